import type { OffprintDB } from '../db/schema';

/**
 * Undoes a clip that created a new article: removes it and its content. An
 * update is never undone this way, since that would delete what was there before.
 */
export async function undoClip(db: OffprintDB, id: string): Promise<void> {
  await db.transaction('rw', db.articles, db.contents, async () => {
    const article = await db.articles.get(id);
    if (!article) return;
    if (article.source !== 'clip') throw new Error('Only a new clip can be undone.');
    await db.articles.delete(id);
    await db.contents.delete(id);
  });
}
