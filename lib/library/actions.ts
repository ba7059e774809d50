import Dexie from 'dexie';
import type { OffprintDB } from '../db/schema';
import type { Article, Flag } from '../db/types';
import { reindexArticles, removeFromIndex } from '../search/indexer';
import { articleRowTables, tablesFor, tablesOfKind } from './tables';
import { homeBox } from './store';

/**
 * What the reader does to articles: read state, star, archive, tags and
 * delete. Every function takes a list of ids so one call serves a single
 * article and a selection alike.
 */

/** How long a deleted article stays in Trash (undo is possible) before it is purged. */
export const TRASH_KEEP_MS = 24 * 60 * 60 * 1000;

export async function setRead(db: OffprintDB, ids: string[], isRead: Flag): Promise<void> {
  await db.articles.where('id').anyOf(ids).modify({ isRead, ...(isRead ? {} : { progress: 0 }) });
}

export async function setStarred(db: OffprintDB, ids: string[], starred: Flag): Promise<void> {
  await db.articles.where('id').anyOf(ids).modify({ starred });
}

/** Archive moves out of Inbox/Saved; an archived article keeps its star and tags. */
export async function archive(db: OffprintDB, ids: string[]): Promise<void> {
  await db.articles
    .where('id')
    .anyOf(ids)
    .modify((a) => {
      if (a.box !== 'trash') a.box = 'archive';
    });
}

/** Back to the box the article's source puts it in (Inbox for feeds, Saved for clips). */
export async function unarchive(db: OffprintDB, ids: string[]): Promise<void> {
  await db.articles
    .where('id')
    .anyOf(ids)
    .modify((a) => {
      if (a.box === 'archive') a.box = homeBox(a.source);
    });
}

/** Trims, lowercases and collapses spaces; '' means "not a tag". */
export function normalizeTag(raw: string): string {
  return raw.trim().replace(/^#+/, '').replace(/\s+/g, '-').toLowerCase().slice(0, 60);
}

export async function addTag(db: OffprintDB, ids: string[], raw: string): Promise<string> {
  const tag = normalizeTag(raw);
  if (!tag) throw new Error('A tag needs at least one letter or digit.');
  await db.articles
    .where('id')
    .anyOf(ids)
    .modify((a) => {
      if (!a.tags.includes(tag)) a.tags = [...a.tags, tag];
    });
  // Tags are searchable: the index learns them now.
  await reindexArticles(db, ids);
  return tag;
}

export async function removeTag(db: OffprintDB, ids: string[], tag: string): Promise<void> {
  await db.articles
    .where('id')
    .anyOf(ids)
    .modify((a) => {
      a.tags = a.tags.filter((t) => t !== tag);
    });
  await reindexArticles(db, ids);
}

/** Every tag in use, sorted, read from the multi-entry index only. */
export async function listTags(db: OffprintDB): Promise<string[]> {
  const keys = await db.articles.orderBy('tags').uniqueKeys();
  return keys.map(String).sort((a, b) => a.localeCompare(b));
}

/**
 * Moves articles to Trash. They disappear from every view at once but stay
 * stored for TRASH_KEEP_MS, so `restoreFromTrash` can undo the delete.
 */
export async function moveToTrash(db: OffprintDB, ids: string[], now: number): Promise<void> {
  await db.articles
    .where('id')
    .anyOf(ids)
    .modify((a) => {
      if (a.box === 'trash') return;
      a.trashedFrom = a.box;
      a.box = 'trash';
      a.deletedAt = now;
    });
}

export async function restoreFromTrash(db: OffprintDB, ids: string[]): Promise<void> {
  await db.articles
    .where('id')
    .anyOf(ids)
    .modify((a) => {
      if (a.box !== 'trash') return;
      a.box = a.trashedFrom ?? homeBox(a.source);
      delete a.trashedFrom;
      delete a.deletedAt;
    });
}

export interface PurgeDeps {
  /**
   * Kept for callers written before the library owned the index: the index
   * is now always updated in the purge's own transaction, so this is ignored.
   */
  removeFromIndex?: (db: OffprintDB, ids: string[]) => Promise<void>;
}

/**
 * Deletes articles for good, in one transaction: every library table that
 * holds rows for them (lib/library/tables.ts), their search records, and
 * every stored image no other article uses. Images shared with a kept
 * article stay.
 */
export async function purgeArticles(db: OffprintDB, ids: string[], _deps: PurgeDeps = {}): Promise<number> {
  if (ids.length === 0) return 0;
  const gone = new Set(ids);
  await db.transaction('rw', tablesFor(db, 'purge'), async () => {
    const present = (await db.articles.bulkGet(ids)).filter((a) => a).length;
    for (const table of tablesOfKind(db, 'article', 'per-article')) await table.bulkDelete(ids);
    for (const { table, key } of articleRowTables(db)) await table.where(key).anyOf(ids).delete();
    const images = await db.images.where('articleIds').anyOf(ids).distinct().toArray();
    const drop: string[] = [];
    for (const image of images) {
      const rest = image.articleIds.filter((id) => !gone.has(id));
      if (rest.length === 0) drop.push(image.url);
      else await db.images.update(image.url, { articleIds: rest });
    }
    await db.images.bulkDelete(drop);
    await removeFromIndex(db, ids);
    return present;
  });
  return ids.length;
}

/** Purges Trash entries whose undo window has passed; the purge alarm calls this. */
export async function purgeExpiredTrash(db: OffprintDB, now: number, deps: PurgeDeps = {}, keepMs = TRASH_KEEP_MS): Promise<number> {
  const expired = await db.articles
    .where('box')
    .equals('trash')
    .filter((a) => (a.deletedAt ?? 0) <= now - keepMs)
    .primaryKeys();
  return purgeArticles(db, expired, deps);
}

/**
 * For unfollowing a feed: moves that feed's articles to Trash, except the
 * starred ones, which are never removed by an unfollow. Returns the ids
 * trashed, so the caller can offer undo.
 */
export async function trashFeedArticles(db: OffprintDB, feedId: string, now: number): Promise<string[]> {
  const ids = await db.articles
    .where('feedId')
    .equals(feedId)
    .filter((a) => a.starred === 0 && a.box !== 'trash')
    .primaryKeys();
  await moveToTrash(db, ids, now);
  return ids;
}

/** Articles with a tag, in one view (or all but Trash), newest first. */
export async function listByTag(db: OffprintDB, tag: string, view: 'inbox' | 'saved' | 'archive' | 'starred' | 'all'): Promise<Article[]> {
  const rows = await db.articles.where('tags').equals(tag).toArray();
  return rows
    .filter((a) => a.box !== 'trash' && (view === 'all' || (view === 'starred' ? a.starred === 1 : a.box === view)))
    .sort((a, b) => b.sortAt - a.sortAt);
}

/** Saves reading progress (0..1); reaching the end marks the article read. */
export async function saveProgress(db: OffprintDB, id: string, progress: number): Promise<void> {
  const p = Math.min(1, Math.max(0, progress));
  await db.articles.update(id, p >= READ_AT ? { progress: p, isRead: 1 } : { progress: p });
}

/** Progress from which an article counts as read to the end. */
export const READ_AT = 0.97;

/** The article before (newer) and after (older) this one in its list. */
export async function neighbors(db: OffprintDB, article: Article): Promise<{ prev?: Article; next?: Article }> {
  const box = article.box;
  const [prev, next] = await Promise.all([
    db.articles.where('[box+sortAt]').between([box, article.sortAt], [box, Dexie.maxKey], false, true).first(),
    db.articles.where('[box+sortAt]').between([box, Dexie.minKey], [box, article.sortAt], true, false).reverse().first(),
  ]);
  return { prev, next };
}

/**
 * Undoes a clip that created a new article: removes it, its content, its
 * stored images and its search record. An update is never undone this way,
 * since that would delete what was there before.
 */
export async function removeNewClip(db: OffprintDB, id: string): Promise<void> {
  const article = await db.articles.get(id);
  if (!article) return;
  if (article.source !== 'clip') throw new Error('Only a new clip can be undone.');
  await purgeArticles(db, [id]);
}
