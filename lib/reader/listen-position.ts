import type { OffprintDB } from '../db/schema';

/** Where Listen stopped in an article (sentence index), kept next to its reading progress. */
export const listenKey = (articleId: string) => `listen:${articleId}`;

export async function loadListenPosition(db: OffprintDB, articleId: string): Promise<number | undefined> {
  const value = (await db.kv.get(listenKey(articleId)))?.value as { sentence?: unknown } | undefined;
  return typeof value?.sentence === 'number' && value.sentence >= 0 ? value.sentence : undefined;
}

export async function saveListenPosition(db: OffprintDB, articleId: string, sentence: number | undefined): Promise<void> {
  if (sentence === undefined) await db.kv.delete(listenKey(articleId));
  else await db.kv.put({ key: listenKey(articleId), value: { sentence } });
}
