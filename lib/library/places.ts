import Dexie from 'dexie';
import type { OffprintDB } from '../db/schema';
import type { Article, Box } from '../db/types';

/**
 * What the library page lists: a box, Starred, one feed, a folder of feeds
 * or a tag. Saved views are searches and are listed by the search module.
 */
export type Place =
  | { kind: 'box'; box: Box }
  | { kind: 'starred' }
  | { kind: 'feed'; feedId: string }
  | { kind: 'folder'; folder: string }
  | { kind: 'tag'; tag: string };

export type SortOrder = 'newest' | 'oldest' | 'longest' | 'shortest' | 'recent';

export const SORT_ORDERS: [SortOrder, string][] = [
  ['newest', 'Newest first'],
  ['oldest', 'Oldest first'],
  ['longest', 'Longest first'],
  ['shortest', 'Shortest first'],
  ['recent', 'Recently read'],
];

export interface PlacePage {
  rows: Article[];
  /** Length of the whole list. */
  total: number;
}

export interface ListDeps {
  /** Feed ids in a folder (the caller has the feeds already). */
  feedsInFolder?: (folder: string) => string[];
  /** Article id → when it was last opened, for the "recently read" order. */
  recentlyRead?: Map<string, number>;
}

/** Same place, same list: used to keep a selection while the list is re-read. */
export function placeKey(p: Place): string {
  switch (p.kind) {
    case 'box':
      return `box:${p.box}`;
    case 'starred':
      return 'starred';
    case 'feed':
      return `feed:${p.feedId}`;
    case 'folder':
      return `folder:${p.folder}`;
    case 'tag':
      return `tag:${p.tag}`;
  }
}

/**
 * One page of a place in the given order. A box in date order is paged
 * through its [box+sortAt] index, so the first screen of a 50,000-article
 * Inbox costs what the first screen of a small one does; every other list
 * is read whole (feeds, folders and tags are small) and sorted in memory.
 */
export async function listPlace(db: OffprintDB, place: Place, sort: SortOrder, offset: number, limit: number, deps: ListDeps = {}): Promise<PlacePage> {
  if (place.kind === 'box' && (sort === 'newest' || sort === 'oldest')) {
    const range = db.articles.where('[box+sortAt]').between([place.box, Dexie.minKey], [place.box, Dexie.maxKey]);
    const [rows, total] = await Promise.all([
      (sort === 'newest' ? range.reverse() : range).offset(offset).limit(limit).toArray(),
      db.articles.where('box').equals(place.box).count(),
    ]);
    return { rows, total };
  }
  const all = await placeArticles(db, place, deps);
  all.sort(comparator(sort, deps.recentlyRead));
  return { rows: all.slice(offset, offset + limit), total: all.length };
}

/** Every article of a place, unordered. Trash is only ever its own place. */
export async function placeArticles(db: OffprintDB, place: Place, deps: ListDeps = {}): Promise<Article[]> {
  const live = (a: Article) => a.box !== 'trash';
  switch (place.kind) {
    case 'box':
      return db.articles.where('box').equals(place.box).toArray();
    case 'starred':
      return db.articles.where('[starred+sortAt]').between([1, Dexie.minKey], [1, Dexie.maxKey]).filter(live).toArray();
    case 'feed':
      return db.articles.where('feedId').equals(place.feedId).filter(live).toArray();
    case 'folder': {
      const ids = deps.feedsInFolder?.(place.folder) ?? [];
      return ids.length ? db.articles.where('feedId').anyOf(ids).filter(live).toArray() : [];
    }
    case 'tag':
      return db.articles.where('tags').equals(place.tag).filter(live).toArray();
  }
}

/** The order of a list; ties fall back to newest first so the order is stable. */
export function comparator(sort: SortOrder, recentlyRead: Map<string, number> = new Map()): (a: Article, b: Article) => number {
  const newest = (a: Article, b: Article) => b.sortAt - a.sortAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  switch (sort) {
    case 'newest':
      return newest;
    case 'oldest':
      return (a, b) => -newest(a, b);
    case 'longest':
      return (a, b) => b.wordCount - a.wordCount || newest(a, b);
    case 'shortest':
      return (a, b) => a.wordCount - b.wordCount || newest(a, b);
    case 'recent':
      // Opened articles first, the latest opened on top; never-opened ones after, newest first.
      return (a, b) => (recentlyRead.get(b.id) ?? 0) - (recentlyRead.get(a.id) ?? 0) || newest(a, b);
  }
}

/** Unread articles per feed (not counting Trash), for the sidebar. */
export async function unreadByFeed(db: OffprintDB, feedIds: string[]): Promise<Map<string, number>> {
  const counts = await Promise.all(
    feedIds.map((id) =>
      db.articles
        .where('[feedId+isRead]')
        .equals([id, 0])
        .filter((a) => a.box !== 'trash')
        .count(),
    ),
  );
  return new Map(feedIds.map((id, i) => [id, counts[i]!]));
}

/** Articles per tag (not counting Trash), for the sidebar; read from the tag index. */
export async function countByTag(db: OffprintDB, tags: string[]): Promise<Map<string, number>> {
  const counts = await Promise.all(tags.map((t) => db.articles.where('tags').equals(t).filter((a) => a.box !== 'trash').count()));
  return new Map(tags.map((t, i) => [t, counts[i]!]));
}
