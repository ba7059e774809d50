import { searchTables } from '../search/indexer';
import type { OffprintDB } from '../db/schema';
import type { Article, Feed } from '../db/types';
import type { PrepareHtml, PreparedHtml } from '../dom/prepare';
import { storeArticles, type StoreDeps, type StoreOutcome } from '../library/store';
import type { NewArticle } from '../messages';
import type { FeedItem } from './parse';

/** Medium feeds hold this many items; a poll bringing that many new ones may have missed some. */
export const MEDIUM_FEED_SIZE = 10;
const SEEN_CAP = 2000;

export const seenKey = (feedId: string) => `feeds:seen:${feedId}`;
/** Author replies hidden from a feed, parked so the reader can still choose to show them. */
export const hiddenRepliesKey = (feedId: string) => `feeds:hidden-replies:${feedId}`;
const HIDDEN_CAP = 50;
const itemKey = (item: FeedItem) => item.guid ?? item.url;

export interface IngestOptions {
  hideReplies: boolean;
  /** False on the first fetch of a feed: everything is new then. */
  polledBefore: boolean;
  prepare: PrepareHtml;
  store?: StoreDeps;
}

export interface IngestPlan {
  toStore: FeedItem[];
  /** Items to remember as seen: all but hidden replies, which may be shown later. */
  seen: FeedItem[];
  /** New author replies not stored because the reader hides replies (reported, and can be shown). */
  hidden: FeedItem[];
  /** Of those, how many were not hidden (and reported) before. */
  hiddenNew: number;
  /** Items neither stored nor seen before in this feed. */
  newCount: number;
  mayHaveMissed: boolean;
}

/**
 * Decides which items of a fetched feed to store: new posts (not stored,
 * and not seen before in this feed, so a post the reader deleted does not
 * come back) and previews that now arrive in full. Everything else costs
 * nothing. Replies are skipped while the reader hides them.
 */
export async function planIngest(db: OffprintDB, feed: Feed | undefined, items: FeedItem[], opts: Pick<IngestOptions, 'hideReplies' | 'polledBefore'>): Promise<IngestPlan> {
  const seen = new Set<string>(feed ? (((await db.kv.get(seenKey(feed.id)))?.value as string[] | undefined) ?? []) : []);
  const parked = new Set((feed ? await hiddenReplies(db, feed.id) : []).map(itemKey));
  const stored = await findStored(db, items);
  const toStore: FeedItem[] = [];
  const hidden = new Set<FeedItem>();
  let newCount = 0;
  for (const item of items) {
    const existing = (item.guid ? stored.byGuid.get(item.guid) : undefined) ?? stored.byUrl.get(item.url);
    if (existing) {
      if (existing.isPreview === 1 && !item.isPreview) toStore.push(item);
      continue;
    }
    if (seen.has(itemKey(item))) continue;
    newCount += 1;
    if (opts.hideReplies && item.isReply) {
      hidden.add(item);
      continue;
    }
    toStore.push(item);
  }
  return {
    toStore,
    hidden: [...hidden],
    hiddenNew: [...hidden].filter((i) => !parked.has(itemKey(i))).length,
    seen: items.filter((i) => !hidden.has(i)),
    newCount,
    mayHaveMissed: opts.polledBefore && items.length >= MEDIUM_FEED_SIZE && newCount >= items.length,
  };
}

/** Stored articles matching the items by guid or URL, in two indexed queries. */
async function findStored(db: OffprintDB, items: FeedItem[]) {
  const guids = items.flatMap((i) => (i.guid ? [i.guid] : []));
  const [byGuid, byUrl] = await Promise.all([
    guids.length ? db.articles.where('guid').anyOf(guids).toArray() : Promise.resolve([]),
    db.articles.where('url').anyOf(items.map((i) => i.url)).toArray(),
  ]);
  return {
    byGuid: new Map(byGuid.map((a): [string, Article] => [a.guid!, a])),
    byUrl: new Map(byUrl.map((a): [string, Article] => [a.url, a])),
  };
}

// Items per offscreen round trip: few trips, but no message of many megabytes.
const PREPARE_BATCH = 100;

/** Sanitizes and extracts text for items, in batches (one offscreen round trip each). */
export async function prepareItems(items: FeedItem[], feed: Pick<Feed, 'id' | 'title' | 'kind'>, prepare: PrepareHtml, now: number): Promise<NewArticle[]> {
  if (items.length === 0) return [];
  const prepared: PreparedHtml[] = [];
  for (let i = 0; i < items.length; i += PREPARE_BATCH) {
    prepared.push(...(await prepare(items.slice(i, i + PREPARE_BATCH).map((it) => ({ html: it.html, baseUrl: it.url })))));
  }
  return items.map((item, k) => {
    const { html, text } = prepared[k]!;
    return {
      url: item.url,
      guid: item.guid,
      feedId: feed.id,
      source: 'feed',
      title: item.title,
      author: item.author,
      // Medium posts live on medium.com or a publication's domain: the row shows that host.
      siteName: feed.kind === 'web' ? feed.title : undefined,
      excerpt: excerptOf(text),
      leadImage: item.leadImage,
      publishedAt: item.publishedAt,
      updatedAt: item.updatedAt,
      savedAt: now,
      tags: item.tags,
      isPreview: item.isPreview ? 1 : 0,
      isReply: item.isReply ? 1 : 0,
      html,
      text,
    };
  });
}

function excerptOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 220 ? `${flat.slice(0, 217)}…` : flat;
}

/**
 * Stores prepared articles, remembers every item key of this fetch and saves
 * the feed's new state in ONE transaction: if the worker dies before it
 * commits, nothing changed and the next run fetches again; after it, the
 * articles and the feed state agree, so nothing is stored twice.
 */
export async function commitIngest(
  db: OffprintDB,
  feed: Feed,
  items: FeedItem[],
  articles: NewArticle[],
  patch: Partial<Feed>,
  opts: { isNewFeed: boolean; store?: StoreDeps; hidden?: FeedItem[] },
): Promise<StoreOutcome[]> {
  // The search tables too, so new posts are indexed in the same transaction.
  return db.transaction('rw', [db.articles, db.contents, db.feeds, db.kv, ...searchTables(db)], async () => {
    if (opts.isNewFeed) await db.feeds.add({ ...feed, ...patch });
    // Unfollowed while it was being fetched: store nothing for it.
    else if ((await db.feeds.update(feed.id, patch)) === 0) return [];
    const outcomes = articles.length ? await storeArticles(db, articles, opts.store) : [];
    const key = seenKey(feed.id);
    const old = ((await db.kv.get(key))?.value as string[] | undefined) ?? [];
    const merged = [...new Set([...items.map(itemKey), ...old])].slice(0, SEEN_CAP);
    await db.kv.put({ key, value: merged });
    if (opts.hidden?.length) {
      const parked = ((await db.kv.get(hiddenRepliesKey(feed.id)))?.value as FeedItem[] | undefined) ?? [];
      const keys = new Set(opts.hidden.map(itemKey));
      await db.kv.put({ key: hiddenRepliesKey(feed.id), value: [...opts.hidden, ...parked.filter((p) => !keys.has(itemKey(p)))].slice(0, HIDDEN_CAP) });
    }
    return outcomes;
  });
}

/** The author replies parked for a feed (newest first). */
export async function hiddenReplies(db: OffprintDB, feedId: string): Promise<FeedItem[]> {
  return ((await db.kv.get(hiddenRepliesKey(feedId)))?.value as FeedItem[] | undefined) ?? [];
}

/**
 * Shows a feed's hidden author replies: stores them (through the library),
 * remembers them as seen and forgets the parked copies, in one transaction.
 */
export async function showHiddenReplies(db: OffprintDB, feed: Feed, prepare: PrepareHtml, now: number, store?: StoreDeps): Promise<StoreOutcome[]> {
  const items = await hiddenReplies(db, feed.id);
  if (items.length === 0) return [];
  const articles = await prepareItems(items, feed, prepare, now);
  const outcomes = await commitIngest(db, feed, items, articles, {}, { isNewFeed: false, store });
  await db.kv.delete(hiddenRepliesKey(feed.id));
  return outcomes;
}
