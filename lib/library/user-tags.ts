import type { OffprintDB } from '../db/schema';

/**
 * Tags the reader typed themselves, remembered so lists show them before the
 * categories a feed put on its posts (both live in an article's `tags`).
 */
export const USER_TAGS_KEY = 'library:userTags';

export async function userTags(db: OffprintDB): Promise<Set<string>> {
  const value = (await db.kv.get(USER_TAGS_KEY))?.value;
  return new Set(Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : []);
}

export async function noteUserTag(db: OffprintDB, tag: string): Promise<void> {
  if (!tag) return;
  await db.transaction('rw', db.kv, async () => {
    const tags = await userTags(db);
    if (tags.has(tag)) return;
    tags.add(tag);
    await db.kv.put({ key: USER_TAGS_KEY, value: [...tags] });
  });
}

/** The reader's own tags first (in the article's order), then feed categories. */
export function orderTags(tags: string[], mine: Set<string>): string[] {
  return [...tags.filter((t) => mine.has(t)), ...tags.filter((t) => !mine.has(t))];
}
