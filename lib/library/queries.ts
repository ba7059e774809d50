import Dexie from 'dexie';
import type { OffprintDB } from '../db/schema';
import type { Article, ArticleContent, Box } from '../db/types';

/** A page of a box, newest first, read through the [box+sortAt] index. */
export function listBox(db: OffprintDB, box: Box, offset: number, limit: number): Promise<Article[]> {
  return db.articles
    .where('[box+sortAt]')
    .between([box, Dexie.minKey], [box, Dexie.maxKey])
    .reverse()
    .offset(offset)
    .limit(limit)
    .toArray();
}

/** Starred articles in any box but Trash, newest first. */
export async function listStarred(db: OffprintDB, offset: number, limit: number): Promise<Article[]> {
  return db.articles
    .where('[starred+sortAt]')
    .between([1, Dexie.minKey], [1, Dexie.maxKey])
    .reverse()
    .filter((a) => a.box !== 'trash')
    .offset(offset)
    .limit(limit)
    .toArray();
}

/**
 * Trash, most recently deleted first: the one just deleted sits on top. Only
 * trashed articles carry `deletedAt` (restore clears it), so its index is the list.
 */
export function listTrash(db: OffprintDB, offset: number, limit: number): Promise<Article[]> {
  return db.articles
    .where('deletedAt')
    .above(0)
    .reverse()
    .filter((a) => a.box === 'trash')
    .offset(offset)
    .limit(limit)
    .toArray();
}

export type BoxCounts = Record<Box | 'starred', number>;

/** Per-view counts from indexes only, so they stay cheap with a big library. */
export async function countViews(db: OffprintDB): Promise<BoxCounts> {
  const [inbox, saved, archive, trash, starredAll, starredInTrash] = await Promise.all([
    db.articles.where('box').equals('inbox').count(),
    db.articles.where('box').equals('saved').count(),
    db.articles.where('box').equals('archive').count(),
    db.articles.where('box').equals('trash').count(),
    db.articles.where('[starred+sortAt]').between([1, Dexie.minKey], [1, Dexie.maxKey]).count(),
    // Only Trash's rows are read (it is emptied after a while), not every starred article's.
    db.articles
      .where('box')
      .equals('trash')
      .filter((a) => a.starred === 1)
      .count(),
  ]);
  return { inbox, saved, archive, trash, starred: starredAll - starredInTrash };
}

/** Unread articles in the Inbox: what the toolbar badge shows. */
export function countUnreadInbox(db: OffprintDB): Promise<number> {
  return db.articles
    .where('box')
    .equals('inbox')
    .filter((a) => a.isRead === 0)
    .count();
}

export async function getArticle(db: OffprintDB, id: string): Promise<{ article: Article; content: ArticleContent | undefined } | undefined> {
  const article = await db.articles.get(id);
  if (!article) return undefined;
  return { article, content: await db.contents.get(id) };
}
