import type { OffprintDB } from '../db/schema';
import { canIndexInTransaction, indexArticles, indexAfterCommit, searchTables } from '../search/indexer';
import { countWords, readingMinutes } from '../text/words';

export type FillOutcome = 'filled' | 'changed' | 'gone';

/**
 * Stores an article's content with its embedded code filled in (issue 15):
 * the stored HTML `from`, with its gist placeholders replaced by the gists'
 * files (or, for an embed that was not code, by a link to it). That content is
 * the stored one plus what was missing, so it replaces it as it is, without
 * the merge rule's measures: they count a placeholder as a code block and its
 * address as words, and would refuse a short gist or a non-code embed's link.
 * If the stored content changed since `from` was read (a full-text upgrade,
 * a new capture), nothing is written: the next fill starts from the new text.
 * Reader state and metadata stay; the search index follows.
 */
export async function fillPlaceholders(db: OffprintDB, articleId: string, from: string, html: string, text: string): Promise<FillOutcome> {
  const indexHere = canIndexInTransaction(db);
  return db.transaction('rw', [db.articles, db.contents, ...(indexHere ? searchTables(db) : [])], async () => {
    const article = await db.articles.get(articleId);
    const stored = await db.contents.get(articleId);
    if (!article || !stored || article.box === 'trash') return 'gone';
    if (stored.html !== from) return 'changed';
    const words = countWords(text);
    const next = { ...article, wordCount: words, readingMinutes: readingMinutes(words), offline: 'pending' as const };
    await db.contents.put({ id: articleId, html, text });
    await db.articles.put(next);
    if (indexHere) await indexArticles(db, [{ article: next, text }]);
    else indexAfterCommit(db, [articleId]);
    return 'filled';
  });
}
