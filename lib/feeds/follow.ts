import type { OffprintDB } from '../db/schema';
import type { Feed, FeedKind } from '../db/types';
import { trashFeedArticles } from '../library/actions';
import { plainText } from '../text/plain';
import { customDomainFeed, targetFromInput, type FeedTarget } from './medium';
import { discoverFeeds, looksLikeMediumPage } from './discover';
import { FeedError } from './errors';
import { fetchFeed } from './fetch';
import { commitIngest, hiddenRepliesKey, planIngest, prepareItems } from './ingest';
import { parseFeed } from './parse';
import { nextRegularCheck, type PollDeps } from './poll';

export interface FollowDeps extends PollDeps {
  newId: () => string;
}

export interface FollowResult {
  feed: Feed;
  /** Articles stored by this follow. */
  added: string[];
  alreadyFollowing: boolean;
  /** New author replies not stored because replies are hidden (they can be shown). */
  hiddenReplies: number;
}

/**
 * Follows what the reader gave: an @handle, a Medium URL, a feed URL or a
 * page that announces its feed. The feed is fetched and parsed before
 * anything is saved, and the feed and its articles are saved together, so a
 * bad address leaves nothing behind but an error message.
 */
export async function followFeed(input: string, deps: FollowDeps): Promise<FollowResult> {
  const target = targetFromInput(input);
  if (!target) throw new FeedError('That is not a web address, an @handle or a feed address.');
  const known = await findFeed(deps.db, target.url);
  if (known) return { feed: known, added: [], alreadyFollowing: true, hiddenReplies: 0 };

  const { url, kind, parsed, fetched } = await loadFeed(target, deps);
  const again = await findFeed(deps.db, url);
  if (again) return { feed: again, added: [], alreadyFollowing: true, hiddenReplies: 0 };

  const settings = await deps.settings();
  const now = deps.now();
  const feed: Feed = {
    id: deps.newId(),
    url,
    siteUrl: parsed.siteUrl,
    title: displayTitle(parsed.title),
    kind,
    iconUrl: parsed.iconUrl,
    addedAt: now,
    lastCheckedAt: now,
    nextCheckAt: nextRegularCheck(now, settings.pollMinutes, deps.random ?? Math.random),
    etag: fetched.etag,
    lastModified: fetched.lastModified,
    failures: 0,
  };
  const plan = await planIngest(deps.db, undefined, parsed.items, { hideReplies: settings.hideReplies, polledBefore: false });
  const articles = await prepareItems(plan.toStore, feed, deps.prepare, now);
  try {
    const outcomes = await commitIngest(deps.db, feed, plan.seen, articles, {}, { isNewFeed: true, store: deps.store, hidden: plan.hidden });
    return { feed, added: outcomes.filter((o) => o.status === 'added').map((o) => o.id), alreadyFollowing: false, hiddenReplies: plan.hiddenNew };
  } catch (err) {
    // Two follows of the same feed raced: the other one won.
    const winner = await findFeed(deps.db, url);
    if (winner) return { feed: winner, added: [], alreadyFollowing: true, hiddenReplies: 0 };
    throw err;
  }
}

/** Medium's "Stories by Rowan Vale on Medium" reads better as "Rowan Vale". */
export function displayTitle(raw: string): string {
  const title = plainText(raw);
  const stories = /^Stories by (.+) on Medium$/.exec(title);
  if (stories) return stories[1]!;
  return title.replace(/\s+[–—-]\s+Medium$/, '') || title;
}

export function findFeed(db: OffprintDB, url: string): Promise<Feed | undefined> {
  return db.feeds.where('url').equals(url).first();
}

async function loadFeed(target: FeedTarget, deps: FollowDeps) {
  const first = await fetchOk(target.url, deps);
  try {
    const parsed = parseFeed(first.body, { url: first.url, contentType: first.contentType });
    return { url: first.url, kind: target.kind, parsed, fetched: first };
  } catch (err) {
    if (!(err instanceof FeedError) || !/<html[\s>]/i.test(first.body.slice(0, 4096))) throw err;
  }
  // A web page: follow the feed it announces (a Medium publication on its own domain serves /feed).
  const discovered = discoverFeeds(first.body, first.url);
  const medium = looksLikeMediumPage(first.body) ? customDomainFeed(first.url) : undefined;
  const candidate: { url: string; kind: FeedKind } | undefined = medium ?? (discovered[0] ? { url: discovered[0].url, kind: 'web' } : undefined);
  if (!candidate) throw new FeedError('This page does not offer a feed to follow.');
  const known = await findFeed(deps.db, candidate.url);
  const second = await fetchOk(candidate.url, deps);
  const parsed = parseFeed(second.body, { url: second.url, contentType: second.contentType });
  return { url: known ? known.url : second.url, kind: candidate.kind, parsed, fetched: second };
}

async function fetchOk(url: string, deps: FollowDeps) {
  const res = await fetchFeed({ url }, deps.fetch, deps.limits, deps.now);
  if (res.kind !== 'ok') throw new FeedError('The feed gave an empty answer.');
  return { ...res, url: res.movedTo ?? url };
}

export function kindLabel(kind: FeedKind): string {
  return { 'medium-user': 'Medium author', 'medium-publication': 'Medium publication', 'medium-tag': 'Medium tag', 'medium-custom-domain': 'Medium publication', web: 'Feed' }[kind];
}

/**
 * Stops following a feed. Its articles stay unless the reader asks to
 * delete them; deleted ones go to Trash (undoable), and starred ones are
 * always kept.
 */
export async function unfollowFeed(db: OffprintDB, feedId: string, opts: { deleteArticles: boolean; now: number }): Promise<{ trashed: string[] }> {
  return db.transaction('rw', [db.feeds, db.kv, db.articles], async () => {
    await db.feeds.delete(feedId);
    await db.kv.delete(`feeds:seen:${feedId}`);
    await db.kv.delete(hiddenRepliesKey(feedId));
    if (!opts.deleteArticles) return { trashed: [] };
    // Through the library, so each remembers its box and a restore puts it back there.
    return { trashed: await trashFeedArticles(db, feedId, opts.now) };
  });
}

/** Per-feed counts for the Following view (metadata only, never bodies). */
export async function feedCounts(db: OffprintDB, feedId: string): Promise<{ total: number; unread: number }> {
  let total = 0;
  let unread = 0;
  await db.articles
    .where('feedId')
    .equals(feedId)
    .each((a) => {
      if (a.box === 'trash') return;
      total += 1;
      if (a.isRead === 0) unread += 1;
    });
  return { total, unread };
}
