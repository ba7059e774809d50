// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { displayTitle, feedCounts, followFeed, unfollowFeed } from '../../../lib/feeds/follow';
import { getFullText } from '../../../lib/feeds/fulltext';
import { createFeedService } from '../../../lib/feeds/service';
import { storeArticles } from '../../../lib/library/store';
import { AUTHOR, mediumAuthorFeed, samplePosts } from '../../fixtures/feeds/medium';
import { freshDb } from '../helpers/db';
import { fakeFetch, feedDeps, MINUTE, xml } from './fakes';

const FEED_URL = `https://medium.com/feed/@${AUTHOR.handle}`;

function service(notifyNewPosts: boolean, body: { value: string }) {
  const db = freshDb();
  const net = fakeFetch({ [FEED_URL]: () => xml(body.value) });
  const env = feedDeps(db, net.fetch);
  const afterStore = vi.fn(async () => undefined);
  const notify = vi.fn(async () => undefined);
  const svc = createFeedService({ ...env.deps, settings: async () => ({ pollMinutes: 30, hideReplies: true, notifyNewPosts }), afterStore, notify });
  return { db, svc, afterStore, notify, ...env };
}

describe('feed service', () => {
  it('follows, refreshes the badge and images through afterStore, and notifies only when asked', async () => {
    const body = { value: mediumAuthorFeed(samplePosts(2, 1)) };
    const { svc, afterStore, notify, clock } = service(true, body);
    const reply = await svc.follow(`@${AUTHOR.handle}`);
    expect(reply).toMatchObject({ title: AUTHOR.name, added: 2, alreadyFollowing: false });
    expect(afterStore).toHaveBeenLastCalledWith(expect.arrayContaining([expect.any(String)]));
    // Nothing is due yet.
    expect(await svc.pollDue()).toEqual({ checked: 0, added: 0, failed: 0 });
    body.value = mediumAuthorFeed(samplePosts(3));
    clock.t += 40 * MINUTE;
    expect(await svc.pollDue()).toEqual({ checked: 1, added: 1, failed: 0 });
    expect(notify).toHaveBeenCalledWith('New post in Offprint', samplePosts(1)[0]!.title);
  });

  it('does not notify when notifications are off (the default), nor for a manual refresh', async () => {
    const body = { value: mediumAuthorFeed(samplePosts(1, 1)) };
    const off = service(false, body);
    await off.svc.follow(FEED_URL);
    body.value = mediumAuthorFeed(samplePosts(2));
    off.clock.t += 40 * MINUTE;
    await off.svc.pollDue();
    expect(off.notify).not.toHaveBeenCalled();

    const body2 = { value: mediumAuthorFeed(samplePosts(1, 1)) };
    const on = service(true, body2);
    await on.svc.follow(FEED_URL);
    body2.value = mediumAuthorFeed(samplePosts(2));
    expect(await on.svc.refresh()).toEqual({ checked: 1, added: 1, failed: 0 });
    expect(on.notify).not.toHaveBeenCalled();
  });

  it('names Medium feeds after their author or publication', () => {
    expect(displayTitle('Stories by Rowan Vale on Medium')).toBe('Rowan Vale');
    expect(displayTitle('DevOps.dev - Medium')).toBe('DevOps.dev');
    expect(displayTitle('Ops Notebook')).toBe('Ops Notebook');
  });
});

describe('unfollowing', () => {
  async function setup() {
    const db = freshDb();
    const net = fakeFetch({ [FEED_URL]: mediumAuthorFeed(samplePosts(3)) });
    const { deps } = feedDeps(db, net.fetch);
    const { feed } = await followFeed(FEED_URL, deps);
    const [a, b] = await db.articles.toArray();
    await db.articles.update(a!.id, { starred: 1 });
    await db.articles.update(b!.id, { isRead: 1 });
    return { db, feed, starred: a!.id };
  }

  it('counts articles and unread ones per feed', async () => {
    const { db, feed } = await setup();
    expect(await feedCounts(db, feed.id)).toEqual({ total: 3, unread: 2 });
  });

  it('keeps every article when asked to', async () => {
    const { db, feed } = await setup();
    expect(await unfollowFeed(db, feed.id, { deleteArticles: false, now: 5 })).toEqual({ trashed: [] });
    expect(await db.feeds.count()).toBe(0);
    expect((await db.articles.toArray()).map((a) => a.box)).toEqual(['inbox', 'inbox', 'inbox']);
  });

  it('moves unstarred articles to Trash (undoable) and always keeps starred ones', async () => {
    const { db, feed, starred } = await setup();
    const { trashed } = await unfollowFeed(db, feed.id, { deleteArticles: true, now: 5 });
    expect(trashed).toHaveLength(2);
    expect(trashed).not.toContain(starred);
    expect((await db.articles.get(starred))!.box).toBe('inbox');
    expect(await db.articles.where('box').equals('trash').count()).toBe(2);
    expect((await db.articles.get(trashed[0]!))!.deletedAt).toBe(5);
    expect(await db.kv.get(`feeds:seen:${feed.id}`)).toBeUndefined();
  });
});

describe('Get full text', () => {
  it('opens the post in a background tab, captures it over the preview and closes the tab', async () => {
    const db = freshDb();
    const { id } = (await storeArticles(db, [
      { url: 'https://medium.com/@a/members-only-0a1b2c3d4e5f', guid: 'https://medium.com/p/0a1b2c3d4e5f', source: 'feed', title: 'Members only', html: '<p>Snippet…</p>', text: 'Snippet…', savedAt: 1, isPreview: 1 },
    ]))[0]!;
    const calls: string[] = [];
    const result = await getFullText(id, {
      db,
      openTab: async (url) => (calls.push(`open ${url}`), 7),
      waitForLoad: async (tabId) => void calls.push(`wait ${tabId}`),
      closeTab: async (tabId) => void calls.push(`close ${tabId}`),
      captureTab: async (tabId) => {
        calls.push(`capture ${tabId}`);
        // Issue 4's capture stores by canonical URL, which upgrades the preview in place.
        await storeArticles(db, [{ url: 'https://medium.com/@a/members-only-0a1b2c3d4e5f', source: 'clip', title: 'Members only', html: '<p>The whole post.</p>', text: 'The whole post.', savedAt: 2 }]);
        return { status: 'updated', id, title: 'Members only' };
      },
    });
    expect(calls).toEqual(['open https://medium.com/@a/members-only-0a1b2c3d4e5f', 'wait 7', 'capture 7', 'close 7']);
    expect(result).toEqual({ status: 'updated', id, title: 'Members only' });
    expect((await db.articles.get(id))!.isPreview).toBe(0);
    expect((await db.contents.get(id))!.text).toBe('The whole post.');
  });

  it('closes the tab and reports when the capture fails or still shows a preview', async () => {
    const db = freshDb();
    const { id } = (await storeArticles(db, [{ url: 'https://medium.com/@a/p-0a1b2c3d4e5f', source: 'feed', title: 'P', html: '<p>x</p>', text: 'x', savedAt: 1, isPreview: 1 }]))[0]!;
    const closeTab = vi.fn(async () => undefined);
    const base = { db, openTab: async () => 3, waitForLoad: async () => undefined, closeTab };
    await expect(getFullText(id, { ...base, captureTab: () => Promise.reject(new Error('This page could not be captured.')) })).rejects.toThrow('This page could not be captured.');
    expect(closeTab).toHaveBeenCalledWith(3);
    const still = await getFullText(id, { ...base, captureTab: async () => ({ status: 'updated', id, title: 'P' }) });
    expect(still.warning).toMatch(/still showed only a preview/);
    await expect(getFullText('missing', { ...base, captureTab: async () => ({ status: 'updated', id, title: 'P' }) })).rejects.toThrow('no longer in your library');
  });
});
