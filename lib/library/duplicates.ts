import type { OffprintDB } from '../db/schema';
import type { Article } from '../db/types';
import { indexArticles } from '../search/indexer';
import { compareCompleteness, completeness, mergeArticle } from './merge';
import { moveHighlights } from './highlights';
import { articleRowTables, tablesFor } from './tables';

/**
 * Merges duplicates into the one the reader keeps: it gains their tags,
 * star, read state and furthest progress; their highlights and other
 * per-article rows move to it; its text is replaced only by a copy that is
 * strictly more complete (the reader chose this one). The others go to Trash
 * remembering their box. Call inside a transaction over
 * `tablesFor(db, 'duplicateMerge')`, or alone.
 */
export async function mergeDuplicateArticles(db: OffprintDB, keepId: string, otherIds: string[], now: number): Promise<Article> {
  return db.transaction('rw', tablesFor(db, 'duplicateMerge'), async () => {
    const keep = await db.articles.get(keepId);
    if (!keep) throw new Error('The article to keep is gone.');
    const others = (await db.articles.bulkGet(otherIds)).filter((a): a is Article => !!a && a.id !== keepId);
    let article = keep;
    let content = await db.contents.get(keepId);
    for (const other of others) {
      const otherContent = await db.contents.get(other.id);
      const richer =
        otherContent &&
        compareCompleteness(completeness(otherContent, other.isPreview), completeness(content, article.isPreview)).ok &&
        !compareCompleteness(completeness(content, article.isPreview), completeness(otherContent, other.isPreview)).ok;
      const merged = mergeArticle(article, content, {
        fields: other,
        content: richer ? otherContent : (content ?? { html: '', text: '' }),
        state: { isRead: other.isRead, starred: other.starred, progress: other.progress, tags: other.tags },
      });
      // Duplicates never move the kept one between boxes.
      article = { ...merged.article, box: keep.box };
      if (merged.content) content = { id: keepId, ...merged.content };
    }
    await db.articles.put(article);
    if (content) await db.contents.put({ ...content, id: keepId });
    // Highlights move without doubling a quote the kept one has, and article notes are joined
    // (issue 13); any other per-article rows simply change hands.
    await moveHighlights(db, otherIds, keepId, { now: () => now });
    for (const { table, key } of articleRowTables(db)) {
      if (table.schema.primKey.keyPath !== key) {
        await table.where(key).anyOf(otherIds).modify({ [key]: keepId });
        continue;
      }
      // One row per article, keyed by its id (a queued "Fetch full text" job): the kept article's own
      // row stays; otherwise the first duplicate's row moves to it (re-keying would collide).
      const moving = (await table.bulkGet(otherIds)).find((row) => row !== undefined) as Record<string, unknown> | undefined;
      await table.bulkDelete(otherIds);
      if (moving && !(await table.get(keepId))) await table.put({ ...moving, [key]: keepId });
    }
    await db.articles
      .where('id')
      .anyOf(others.map((o) => o.id))
      .modify((a) => {
        if (a.box === 'trash') return;
        a.trashedFrom = a.box;
        a.box = 'trash';
        a.deletedAt = now;
      });
    await indexArticles(db, [{ article, text: content?.text ?? '', html: content?.html }]);
    return article;
  });
}
