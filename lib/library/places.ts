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

/** Whether a place in this order is paged through an index (a box by date) rather than read whole. */
export function isIndexed(place: Place, sort: SortOrder): place is { kind: 'box'; box: Box } {
  return place.kind === 'box' && (sort === 'newest' || sort === 'oldest');
}

/** A page of a box by date through its [box+sortAt] index: the first screen of a 50,000-article Inbox costs what a small one does. */
export function listBoxPage(db: OffprintDB, box: Box, sort: 'newest' | 'oldest', offset: number, limit: number): Promise<Article[]> {
  const range = db.articles.where('[box+sortAt]').between([box, Dexie.minKey], [box, Dexie.maxKey]);
  return (sort === 'newest' ? range.reverse() : range).offset(offset).limit(limit).toArray();
}

/** Articles in a box. IndexedDB counts by walking the index (about a second per 50,000), so callers keep it off the first paint. */
export function countBox(db: OffprintDB, box: Box): Promise<number> {
  return db.articles.where('box').equals(box).count();
}

/** Every article of a place, in order; feeds, folders and tags are small, and other orders than date need them all anyway. */
export async function sortedPlace(db: OffprintDB, place: Place, sort: SortOrder, deps: ListDeps = {}): Promise<Article[]> {
  const all = await placeArticles(db, place, deps);
  return all.sort(comparator(sort, deps.recentlyRead));
}

/** One page of a place in the given order, with the length of the whole list. */
export async function listPlace(db: OffprintDB, place: Place, sort: SortOrder, offset: number, limit: number, deps: ListDeps = {}): Promise<PlacePage> {
  if (isIndexed(place, sort)) {
    const [rows, total] = await Promise.all([listBoxPage(db, place.box, sort as 'newest' | 'oldest', offset, limit), countBox(db, place.box)]);
    return { rows, total };
  }
  const all = await sortedPlace(db, place, sort, deps);
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
