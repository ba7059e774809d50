import type { Settings } from '../settings/settings';
import type { FollowReply, RefreshReply } from '../messages';
import { followFeed, unfollowFeed, type FollowDeps } from './follow';
import { showHiddenReplies } from './ingest';
import { pollFeeds, type PollResult } from './poll';

export const POLL_ALARM = 'feeds:poll';
/** How often the alarm looks for due feeds; each feed has its own jittered next check. */
export const ALARM_PERIOD_MINUTES = 5;

export interface FeedServiceDeps extends Omit<FollowDeps, 'settings'> {
  settings: () => Promise<Pick<Settings, 'pollMinutes' | 'hideReplies' | 'notifyNewPosts'>>;
  /** Runs after articles were stored or removed: image caching, badge. */
  afterStore: (articleIds: string[]) => Promise<void>;
  /** Shows a desktop notification. */
  notify: (title: string, message: string) => Promise<void>;
}

/** The background's feed operations, built from injected dependencies. */
export function createFeedService(deps: FeedServiceDeps) {
  async function finish(results: PollResult[], announce: boolean): Promise<RefreshReply> {
    const stored = results.flatMap((r) => r.stored);
    const added = results.flatMap((r) => r.added);
    await deps.afterStore(stored);
    if (announce && added.length > 0 && (await deps.settings()).notifyNewPosts) {
      const titles = (await deps.db.articles.bulkGet(added)).flatMap((a) => (a ? [a.title] : []));
      await deps.notify(added.length === 1 ? 'New post in Offprint' : `${added.length} new posts in Offprint`, titles.slice(0, 3).join('\n')).catch(() => undefined);
    }
    const hiddenReplies = results.reduce((n, r) => n + (r.hiddenReplies ?? 0), 0);
    return { checked: results.filter((r) => r.status !== 'skipped').length, added: added.length, failed: results.filter((r) => r.status === 'failed').length, ...(hiddenReplies ? { hiddenReplies } : {}) };
  }

  return {
    async follow(input: string): Promise<FollowReply> {
      const result = await followFeed(input, deps);
      await deps.afterStore(result.added);
      return { feedId: result.feed.id, title: result.feed.title, added: result.added.length, alreadyFollowing: result.alreadyFollowing, ...(result.hiddenReplies ? { hiddenReplies: result.hiddenReplies } : {}) };
    },
    async refresh(feedIds?: string[]): Promise<RefreshReply> {
      return finish(await pollFeeds(deps, { feedIds, onlyDue: false }), false);
    },
    async unfollow(feedId: string, deleteArticles: boolean): Promise<{ trashed: number }> {
      const { trashed } = await unfollowFeed(deps.db, feedId, { deleteArticles, now: deps.now() });
      await deps.afterStore([]);
      return { trashed: trashed.length };
    },
    /** Stores the author replies a follow or poll hid, when the reader asks to see them. */
    async showReplies(feedId: string): Promise<{ added: number }> {
      const feed = await deps.db.feeds.get(feedId);
      if (!feed) throw new Error('This feed is no longer followed.');
      const outcomes = await showHiddenReplies(deps.db, feed, deps.prepare, deps.now(), deps.store);
      await deps.afterStore(outcomes.map((o) => o.id));
      return { added: outcomes.filter((o) => o.status === 'added').length };
    },
    /** The alarm's work: every due feed, then notifications for what is new. */
    async pollDue(): Promise<RefreshReply> {
      return finish(await pollFeeds(deps), true);
    },
  };
}
