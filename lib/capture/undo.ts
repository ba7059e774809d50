import type { OffprintDB } from '../db/schema';
import { purgeArticles, type PurgeDeps } from '../library/actions';

/**
 * Undoes a clip that created a new article: removes it, its content and its
 * stored images. An update is never undone this way, since that would delete
 * what was there before.
 */
export async function undoClip(db: OffprintDB, id: string, deps: PurgeDeps = {}): Promise<void> {
  const article = await db.articles.get(id);
  if (!article) return;
  if (article.source !== 'clip') throw new Error('Only a new clip can be undone.');
  await purgeArticles(db, [id], deps);
}
