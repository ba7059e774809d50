import type { OffprintDB } from '../db/schema';

/**
 * When each article was last opened, for the "recently read" order. Kept in
 * one kv record (no schema change), capped so it stays small.
 */
export const RECENT_KEY = 'library:recentlyRead';
export const RECENT_CAP = 2000;

type Recent = [id: string, at: number][];

export async function recentlyRead(db: OffprintDB): Promise<Map<string, number>> {
  const value = (await db.kv.get(RECENT_KEY))?.value;
  return new Map(Array.isArray(value) ? (value as Recent).filter((e) => Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'number') : []);
}

/** Notes that an article was opened now; the oldest entries fall off past the cap. */
export async function noteOpened(db: OffprintDB, id: string, now: number): Promise<void> {
  await db.transaction('rw', db.kv, async () => {
    const map = await recentlyRead(db);
    map.delete(id);
    map.set(id, now);
    const entries = [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, RECENT_CAP);
    await db.kv.put({ key: RECENT_KEY, value: entries });
  });
}
