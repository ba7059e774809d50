import type { OffprintDB } from '../db/schema';
import type { Feed } from '../db/types';
import type { PrepareHtml } from '../dom/prepare';
import type { StoreDeps } from '../library/store';
import { FeedError } from './errors';
import { fetchFeed, FeedHttpError, type Fetch, type FetchLimits } from './fetch';
import { commitIngest, planIngest, prepareItems } from './ingest';
import { parseFeed } from './parse';

export const POLL_CONCURRENCY = 4;
const MINUTE = 60_000;
const MAX_BACKOFF_MS = 24 * 60 * MINUTE;
const MAX_RETRY_AFTER_MS = 7 * 24 * 60 * MINUTE;

export interface PollSettings {
  pollMinutes: number;
  hideReplies: boolean;
}

/** Everything polling touches, passed in so tests use fakes. */
export interface PollDeps {
  db: OffprintDB;
  fetch: Fetch;
  now: () => number;
  prepare: PrepareHtml;
  settings: () => Promise<PollSettings>;
  /** 0..1; spreads checks over time. */
  random?: () => number;
  limits?: FetchLimits;
  store?: StoreDeps;
}

export type PollStatus = 'new' | 'unchanged' | 'not-modified' | 'failed' | 'skipped';

export interface PollResult {
  feedId: string;
  status: PollStatus;
  /** Ids of articles added by this poll. */
  added: string[];
  /** Ids of articles added or upgraded (previews now in full). */
  stored: string[];
  /** New author replies hidden by this poll. */
  hiddenReplies?: number;
  error?: string;
}

// Feeds being polled in this context, so an alarm run and a "refresh now"
// never fetch the same feed twice at once.
const inFlight = new Set<string>();

/** The next regular check: the interval with ±10% jitter so feeds drift apart over time. */
export function nextRegularCheck(now: number, pollMinutes: number, random: () => number): number {
  const interval = pollMinutes * MINUTE;
  return Math.round(now + interval * (0.9 + 0.2 * random()));
}

/** Exponential backoff after `failures` consecutive failures, capped at a day. */
export function backoffDelay(failures: number, pollMinutes: number): number {
  return Math.min(MAX_BACKOFF_MS, pollMinutes * MINUTE * 2 ** Math.max(0, failures - 1));
}

/**
 * Fetches one feed and stores what is new. Never throws: a failure is
 * recorded on the feed (plain-words message, backoff) and returned.
 */
export async function pollFeed(feed: Feed, deps: PollDeps): Promise<PollResult> {
  if (inFlight.has(feed.id)) return { feedId: feed.id, status: 'skipped', added: [], stored: [] };
  inFlight.add(feed.id);
  try {
    return await pollUnguarded(feed, deps);
  } finally {
    inFlight.delete(feed.id);
  }
}

async function pollUnguarded(feed: Feed, deps: PollDeps): Promise<PollResult> {
  const settings = await deps.settings();
  const random = deps.random ?? Math.random;
  const started = deps.now();
  const ok = (): Partial<Feed> => ({
    lastCheckedAt: started,
    nextCheckAt: nextRegularCheck(started, settings.pollMinutes, random),
    failures: 0,
    lastError: undefined,
    lastErrorAt: undefined,
  });
  try {
    const fetched = await fetchFeed(feed, deps.fetch, deps.limits, deps.now);
    if (fetched.kind === 'not-modified') {
      await deps.db.feeds.update(feed.id, ok());
      return { feedId: feed.id, status: 'not-modified', added: [], stored: [] };
    }
    const parsed = parseFeed(fetched.body, { url: fetched.movedTo ?? feed.url, contentType: fetched.contentType });
    const plan = await planIngest(deps.db, feed, parsed.items, { hideReplies: settings.hideReplies, polledBefore: feed.lastCheckedAt !== undefined });
    const articles = await prepareItems(plan.toStore, feed, deps.prepare, started);
    const patch: Partial<Feed> = {
      ...ok(),
      etag: fetched.etag,
      lastModified: fetched.lastModified,
      iconUrl: feed.iconUrl ?? parsed.iconUrl,
      siteUrl: feed.siteUrl ?? parsed.siteUrl,
      ...(plan.mayHaveMissed ? { mayHaveMissed: 1 as const } : {}),
      ...(fetched.movedTo && (await urlIsFree(deps.db, fetched.movedTo, feed.id)) ? { url: fetched.movedTo } : {}),
    };
    const outcomes = await commitIngest(deps.db, feed, plan.seen, articles, patch, { isNewFeed: false, store: deps.store, hidden: plan.hidden });
    const added = outcomes.filter((o) => o.status === 'added').map((o) => o.id);
    return { feedId: feed.id, status: added.length ? 'new' : 'unchanged', added, stored: outcomes.map((o) => o.id), ...(plan.hiddenNew ? { hiddenReplies: plan.hiddenNew } : {}) };
  } catch (err) {
    const message = describe(err);
    const failures = (feed.failures ?? 0) + 1;
    let delay = backoffDelay(failures, settings.pollMinutes);
    if (err instanceof FeedHttpError && err.retryAfterMs !== undefined) delay = Math.min(MAX_RETRY_AFTER_MS, Math.max(MINUTE, err.retryAfterMs));
    await deps.db.feeds.update(feed.id, {
      lastCheckedAt: started,
      failures,
      lastError: message,
      lastErrorAt: started,
      nextCheckAt: started + delay,
    });
    return { feedId: feed.id, status: 'failed', added: [], stored: [], error: message };
  }
}

async function urlIsFree(db: OffprintDB, url: string, feedId: string): Promise<boolean> {
  const other = await db.feeds.where('url').equals(url).first();
  return !other || other.id === feedId;
}

function describe(err: unknown): string {
  if (err instanceof FeedError) return err.message;
  // Anything else is our bug or a storage problem; say so plainly.
  const detail = err instanceof Error ? err.message : String(err);
  if (/quota/i.test(detail)) return 'Your disk is full, so new posts could not be saved. Nothing already saved was lost.';
  return `Checking this feed failed unexpectedly: ${detail}`;
}

/** Runs tasks with at most `limit` at once, in order of the list. */
export async function runLimited<T, R>(list: T[], limit: number, task: (t: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(list.length);
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const i = next++;
      results[i] = await task(list[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, list.length) }, worker));
  return results;
}

/** Polls every feed whose check is due (or the given feeds), at most 4 at once. */
export async function pollFeeds(deps: PollDeps, opts: { feedIds?: string[]; onlyDue?: boolean } = {}): Promise<PollResult[]> {
  const feeds = opts.feedIds
    ? (await deps.db.feeds.bulkGet(opts.feedIds)).filter((f): f is Feed => !!f)
    : opts.onlyDue === false
      ? await deps.db.feeds.toArray()
      : await deps.db.feeds.where('nextCheckAt').belowOrEqual(deps.now()).sortBy('nextCheckAt');
  return runLimited(feeds, POLL_CONCURRENCY, (feed) => pollFeed(feed, deps));
}
