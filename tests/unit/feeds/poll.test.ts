// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { followFeed } from '../../../lib/feeds/follow';
import { backoffDelay, pollFeed, pollFeeds } from '../../../lib/feeds/poll';
import { getArticle } from '../../../lib/library/queries';
import { AUTHOR, mediumAuthorFeed, samplePosts, type MediumPostSpec } from '../../fixtures/feeds/medium';
import { freshDb } from '../helpers/db';
import { fakeFetch, feedDeps, MINUTE, T0, xml } from './fakes';

const FEED_URL = `https://medium.com/feed/@${AUTHOR.handle}`;
const reply: MediumPostSpec = { id: 'dddd00000001', title: 'Thanks for reading!', body: ['Thanks for reading!'], tags: [], reply: true };

async function followed(routes: Parameters<typeof fakeFetch>[0]) {
  const db = freshDb();
  const net = fakeFetch(routes);
  const env = feedDeps(db, net.fetch);
  const result = await followFeed(`@${AUTHOR.handle}`, env.deps);
  return { db, net, ...env, result, feed: async () => (await db.feeds.get(result.feed.id))! };
}

describe('following a Medium author', () => {
  it('indexes the posts for search in the same transaction that stores them', async () => {
    const { LibrarySearch } = await import('../../../lib/search/search');
    const posts = samplePosts(3);
    const { db } = await followed({ [FEED_URL]: mediumAuthorFeed(posts) });
    const state = await db.searchMeta.get('state');
    expect(state).toBeDefined();
    const hits = await new LibrarySearch(db).search(posts[1]!.title, {});
    expect(hits.hits[0]?.article.title).toBe(posts[1]!.title);
  });

  it('stores every post sanitized, with code line breaks, clean URLs and no tracking pixel', async () => {
    const posts = samplePosts(4);
    const { db, result, net } = await followed({ [FEED_URL]: mediumAuthorFeed([...posts, reply]) });
    expect(net.log.map((r) => r.url)).toEqual([FEED_URL]);
    expect(result).toMatchObject({ alreadyFollowing: false, feed: { url: FEED_URL, title: AUTHOR.name, kind: 'medium-user', failures: 0 } });
    expect(result.added).toHaveLength(4);
    const articles = (await db.articles.toArray()).sort((a, b) => b.sortAt - a.sortAt);
    // The reply is hidden (not stored) by default.
    expect(articles.map((a) => a.title)).toEqual(posts.map((p) => p.title));
    const { article, content } = (await getArticle(db, articles[0]!.id))!;
    expect(article).toMatchObject({
      source: 'feed',
      box: 'inbox',
      feedId: result.feed.id,
      guid: `https://medium.com/p/${posts[0]!.id}`,
      author: AUTHOR.name,
      tags: ['devops', 'kubernetes'],
      isPreview: 0,
      isRead: 0,
    });
    expect(article.siteName).toBeUndefined();
    expect(article.url).not.toContain('source=');
    expect(article.wordCount).toBeGreaterThan(20);
    expect(content!.html).not.toContain('_/stat');
    expect(content!.html).not.toContain('source=rss');
    expect(content!.text).toContain('apiVersion: v1\nkind: Pod\nmetadata:\n  name: demo-0');
  });

  it('stores replies when the reader shows them, marked as replies', async () => {
    const db = freshDb();
    const net = fakeFetch({ [FEED_URL]: mediumAuthorFeed([reply]) });
    const { deps } = feedDeps(db, net.fetch, { settings: async () => ({ pollMinutes: 30, hideReplies: false }) });
    await followFeed(FEED_URL, deps);
    expect(await db.articles.toArray()).toMatchObject([{ title: 'Thanks for reading!', isReply: 1 }]);
  });

  it('reports the replies it hides, and shows them when asked, without a new fetch', async () => {
    const db = freshDb();
    const net = fakeFetch({ [FEED_URL]: mediumAuthorFeed([reply]) });
    const { deps } = feedDeps(db, net.fetch);
    const result = await followFeed(FEED_URL, deps);
    // "0 articles added" is explained: one item was hidden as an author reply.
    expect(result).toMatchObject({ added: [], hiddenReplies: 1 });
    expect(await db.articles.count()).toBe(0);
    // A later poll does not report the same reply again.
    expect((await pollFeed((await db.feeds.get(result.feed.id))!, deps)).hiddenReplies).toBeUndefined();
    const { showHiddenReplies } = await import('../../../lib/feeds/ingest');
    const shown = await showHiddenReplies(db, (await db.feeds.get(result.feed.id))!, deps.prepare, T0);
    expect(shown.map((o) => o.status)).toEqual(['added']);
    expect(await db.articles.toArray()).toMatchObject([{ title: 'Thanks for reading!', isReply: 1, box: 'inbox' }]);
    expect(net.log).toHaveLength(2);
    expect(await showHiddenReplies(db, (await db.feeds.get(result.feed.id))!, deps.prepare, T0)).toEqual([]);
  });

  it('brings hidden replies in once the reader chooses to show them', async () => {
    const db = freshDb();
    const net = fakeFetch({ [FEED_URL]: mediumAuthorFeed([...samplePosts(1), reply]) });
    let hideReplies = true;
    const { deps } = feedDeps(db, net.fetch, { settings: async () => ({ pollMinutes: 30, hideReplies }) });
    const { feed } = await followFeed(FEED_URL, deps);
    expect(await db.articles.count()).toBe(1);
    hideReplies = false;
    const result = await pollFeed((await db.feeds.get(feed.id))!, deps);
    expect(result.added).toHaveLength(1);
    expect((await db.articles.get(result.added[0]!))!.isReply).toBe(1);
  });

  it('says so when the input is already followed, without fetching again', async () => {
    const { deps, net } = await followed({ [FEED_URL]: mediumAuthorFeed(samplePosts(1)) });
    const again = await followFeed(`https://medium.com/@${AUTHOR.handle}/some-post-123`, deps);
    expect(again.alreadyFollowing).toBe(true);
    expect(net.log).toHaveLength(1);
  });

  it('saves nothing when the address is bad, unreachable or not a feed', async () => {
    const db = freshDb();
    const net = fakeFetch({
      'https://broken.example/feed': '<rss version="2.0"><channel><title>x</channel></rss>',
      'https://plain.example/': () => new Response('<html><head><title>No feeds</title></head></html>', { headers: { 'content-type': 'text/html' } }),
      'https://down.example/feed': () => Promise.reject(new TypeError('Failed to fetch')),
    });
    const { deps } = feedDeps(db, net.fetch);
    await expect(followFeed('not a url', deps)).rejects.toThrow('That is not a web address, an @handle or a feed address.');
    await expect(followFeed('https://gone.example/feed', deps)).rejects.toThrow('The feed was not found (HTTP 404)');
    await expect(followFeed('https://broken.example/feed', deps)).rejects.toThrow('not valid XML');
    await expect(followFeed('https://plain.example/', deps)).rejects.toThrow('This page does not offer a feed to follow.');
    await expect(followFeed('down.example/feed', deps)).rejects.toThrow('Could not reach the feed');
    expect(await db.feeds.count()).toBe(0);
    expect(await db.articles.count()).toBe(0);
  });

  it('follows the feed a page announces, and /feed of a Medium publication on its own domain', async () => {
    const db = freshDb();
    const net = fakeFetch({
      'https://ops.example.org/': () =>
        new Response('<html><head><link rel="alternate" type="application/atom+xml" title="Ops" href="/atom.xml"></head></html>', { headers: { 'content-type': 'text/html' } }),
      'https://ops.example.org/atom.xml': `<feed xmlns="http://www.w3.org/2005/Atom"><title>Ops</title><entry><id>x</id><title>One</title><link href="/one"/></entry></feed>`,
      'https://blog.devops.dev/some-post-0123456789ab': () =>
        new Response('<html><head><meta property="al:android:app_name" content="Medium"></head></html>', { headers: { 'content-type': 'text/html' } }),
      'https://blog.devops.dev/feed': mediumAuthorFeed(samplePosts(2)),
    });
    const { deps } = feedDeps(db, net.fetch);
    const web = await followFeed('https://ops.example.org/', deps);
    expect(web.feed).toMatchObject({ url: 'https://ops.example.org/atom.xml', kind: 'web', title: 'Ops' });
    expect((await db.articles.where('feedId').equals(web.feed.id).first())!.siteName).toBe('Ops');
    const pub = await followFeed('https://blog.devops.dev/some-post-0123456789ab', deps);
    expect(pub.feed).toMatchObject({ url: 'https://blog.devops.dev/feed', kind: 'medium-custom-domain' });
    expect(await db.articles.count()).toBe(3);
  });

  it('stores one article when the same post arrives through an author feed and a publication feed', async () => {
    const posts = samplePosts(3);
    const { db, deps } = await followed({
      [FEED_URL]: mediumAuthorFeed(posts),
      'https://medium.com/feed/devops-dev': mediumAuthorFeed(posts.map((p) => ({ ...p, host: 'blog.devops.dev' })), 'DevOps.dev', 'devops-dev'),
    });
    const pub = await followFeed('https://medium.com/devops-dev', deps);
    expect(pub.added).toEqual([]);
    expect(await db.articles.count()).toBe(3);
  });
});

describe('polling', () => {
  it('adds only the new item of a changed feed, with a conditional request', async () => {
    const posts = samplePosts(11);
    let body = mediumAuthorFeed(posts.slice(1));
    const { db, deps, net, feed, clock } = await followed({
      [FEED_URL]: () => xml(body, { etag: '"v1"', 'last-modified': 'Sat, 23 May 2026 10:00:00 GMT' }),
    });
    expect(await db.articles.count()).toBe(10);
    body = mediumAuthorFeed(posts.slice(0, 10));
    clock.t += 31 * MINUTE;
    const result = await pollFeed(await feed(), deps);
    expect(result.status).toBe('new');
    expect(result.added).toHaveLength(1);
    expect(net.log[1]!.headers).toMatchObject({ 'if-none-match': '"v1"', 'if-modified-since': 'Sat, 23 May 2026 10:00:00 GMT' });
    expect(await db.articles.count()).toBe(11);
    expect((await getArticle(db, result.added[0]!))!.article.title).toBe(posts[0]!.title);
    expect(await feed()).toMatchObject({ lastCheckedAt: clock.t, failures: 0 });
    expect((await feed()).mayHaveMissed).toBeUndefined();
  });

  it('does nothing more for a 304: no parsing, no sanitizing, just the next check', async () => {
    let answer304 = false;
    const { db, deps, prepare, feed, clock } = await followed({
      [FEED_URL]: () => (answer304 ? new Response(null, { status: 304 }) : xml(mediumAuthorFeed(samplePosts(2)), { etag: '"v1"' })),
    });
    answer304 = true;
    prepare.mockClear();
    clock.t += 40 * MINUTE;
    const result = await pollFeed(await feed(), deps);
    expect(result).toMatchObject({ status: 'not-modified', added: [] });
    expect(prepare).not.toHaveBeenCalled();
    expect(await db.articles.count()).toBe(2);
    // 30 minutes ± 10% jitter (random = 0.5 → exactly 30).
    expect(await feed()).toMatchObject({ lastCheckedAt: clock.t, nextCheckAt: clock.t + 30 * MINUTE, etag: '"v1"' });
  });

  it('warns that older posts may be missed when a poll brings a whole feed of new posts', async () => {
    let body = mediumAuthorFeed(samplePosts(10, 20));
    const { deps, feed } = await followed({ [FEED_URL]: () => xml(body) });
    expect((await feed()).mayHaveMissed).toBeUndefined();
    body = mediumAuthorFeed(samplePosts(10));
    await pollFeed(await feed(), deps);
    expect((await feed()).mayHaveMissed).toBe(1);
  });

  it('never brings back a post the reader deleted', async () => {
    const { db, deps, feed } = await followed({ [FEED_URL]: mediumAuthorFeed(samplePosts(3)) });
    const victim = (await db.articles.toArray())[0]!;
    await db.articles.delete(victim.id);
    await db.contents.delete(victim.id);
    const result = await pollFeed(await feed(), deps);
    expect(result.status).toBe('unchanged');
    expect(await db.articles.count()).toBe(2);
  });

  it('upgrades a stored preview in place when the full post arrives, and never downgrades', async () => {
    const post: MediumPostSpec = { ...samplePosts(1)[0]!, preview: true };
    let body = mediumAuthorFeed([post]);
    const { db, deps, feed } = await followed({ [FEED_URL]: () => xml(body) });
    const [stored] = await db.articles.toArray();
    expect(stored!.isPreview).toBe(1);
    await db.articles.update(stored!.id, { isRead: 1, starred: 1 });
    body = mediumAuthorFeed([{ ...post, preview: false }]);
    await pollFeed(await feed(), deps);
    const after = (await getArticle(db, stored!.id))!;
    expect(after.article).toMatchObject({ isPreview: 0, isRead: 1, starred: 1 });
    expect(after.content!.text).toContain('apiVersion: v1');
    body = mediumAuthorFeed([post]);
    await pollFeed(await feed(), deps);
    expect((await getArticle(db, stored!.id))!.content!.text).toContain('apiVersion: v1');
    expect(await db.articles.count()).toBe(1);
  });

  it('stores nothing and changes nothing if the worker dies before committing; the next run picks up once', async () => {
    let body = mediumAuthorFeed(samplePosts(2, 5));
    const { db, deps, feed, prepare } = await followed({ [FEED_URL]: () => xml(body) });
    body = mediumAuthorFeed(samplePosts(4));
    const before = await feed();
    prepare.mockImplementationOnce(() => Promise.reject(new Error('Extension context invalidated.')));
    const died = await pollFeed(before, deps);
    expect(died.status).toBe('failed');
    expect(await db.articles.count()).toBe(2);
    const retried = await pollFeed(await feed(), deps);
    expect(retried.added).toHaveLength(4);
    // A second identical run (e.g. a re-fire after a crash right after commit) adds nothing.
    expect((await pollFeed(await feed(), deps)).added).toEqual([]);
    expect(await db.articles.count()).toBe(6);
  });

  it('updates the feed URL on a permanent redirect only', async () => {
    const moved = 'https://medium.com/feed/@rowan-vale';
    let status = 301;
    const { deps, feed } = await followed({
      [FEED_URL]: () => (status === 301 || status === 302 ? new Response(null, { status, headers: { location: moved } }) : xml('')),
      [moved]: mediumAuthorFeed(samplePosts(1)),
    });
    // The follow itself went through the 301.
    expect((await feed()).url).toBe(moved);
    await (await deps.db.feeds.update((await feed()).id, { url: FEED_URL }));
    status = 302;
    await pollFeed(await feed(), deps);
    expect((await feed()).url).toBe(FEED_URL);
    status = 301;
    await pollFeed(await feed(), deps);
    expect((await feed()).url).toBe(moved);
  });
});

describe('polling failures', () => {
  async function failingWith(respond: () => Response | Promise<Response>) {
    const state = { fail: false };
    const env = await followed({ [FEED_URL]: () => (state.fail ? respond() : xml(mediumAuthorFeed(samplePosts(2)))) });
    state.fail = true;
    return { ...env, state };
  }

  it('clears the error and the backoff once the feed works again', async () => {
    const { deps, feed, state } = await failingWith(() => new Response('x', { status: 500 }));
    await pollFeed(await feed(), deps);
    await pollFeed(await feed(), deps);
    expect(await feed()).toMatchObject({ failures: 2 });
    state.fail = false;
    expect((await pollFeed(await feed(), deps)).status).toBe('unchanged');
    const healed = await feed();
    expect(healed.failures).toBe(0);
    expect(healed.lastError).toBeUndefined();
    expect(healed.lastErrorAt).toBeUndefined();
  });

  it.each([
    [404, 'The feed was not found (HTTP 404). The author or site may have moved or removed it.'],
    [410, 'The feed is gone (HTTP 410): the site says it was removed for good.'],
    [500, 'The site had a problem answering (HTTP 500); it will try again later.'],
    [403, 'The site refused access to the feed (HTTP 403).'],
  ])('marks HTTP %i as failing with a message and backs off exponentially', async (status, message) => {
    const { deps, feed, clock, db } = await failingWith(() => new Response('x', { status }));
    const first = await pollFeed(await feed(), deps);
    expect(first).toMatchObject({ status: 'failed', error: message });
    expect(await feed()).toMatchObject({ failures: 1, lastError: message, lastErrorAt: clock.t, nextCheckAt: clock.t + 30 * MINUTE });
    await pollFeed(await feed(), deps);
    expect(await feed()).toMatchObject({ failures: 2, nextCheckAt: clock.t + 60 * MINUTE });
    expect(await db.articles.count()).toBe(2);
  });

  it('caps backoff at a day', () => {
    expect(backoffDelay(1, 30)).toBe(30 * MINUTE);
    expect(backoffDelay(3, 30)).toBe(120 * MINUTE);
    expect(backoffDelay(20, 30)).toBe(24 * 60 * MINUTE);
  });

  it('honours Retry-After in seconds on 429 and as a date on 503', async () => {
    const env = await failingWith(() => new Response('slow down', { status: 429, headers: { 'retry-after': '7200' } }));
    await pollFeed(await env.feed(), env.deps);
    expect(await env.feed()).toMatchObject({ nextCheckAt: env.clock.t + 2 * 60 * MINUTE, lastError: expect.stringContaining('HTTP 429') });

    const env2 = await failingWith(() => new Response('maintenance', { status: 503, headers: { 'retry-after': new Date(T0 + 3 * 60 * MINUTE).toUTCString() } }));
    await pollFeed(await env2.feed(), env2.deps);
    expect((await env2.feed()).nextCheckAt).toBe(T0 + 3 * 60 * MINUTE);
  });

  it('times out a feed that does not answer', async () => {
    const env = await failingWith(() => new Promise<Response>(() => undefined));
    const hang = env.net.fetch;
    const result = await pollFeed(await env.feed(), {
      ...env.deps,
      limits: { timeoutMs: 30 },
      fetch: (url, init) =>
        new Promise((resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
          void hang(url, init).then(resolve);
        }),
    });
    expect(result.error).toBe('The feed did not answer within 0 seconds.');
  });

  it('cuts off a response larger than the cap while reading it', async () => {
    let pulled = 0;
    const endless = () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            pulled += 1;
            controller.enqueue(new Uint8Array(64 * 1024).fill(0x61));
          },
        }),
      );
    const env = await failingWith(endless);
    const result = await pollFeed(await env.feed(), { ...env.deps, limits: { maxBytes: 1024 * 1024 } });
    expect(result.error).toMatch(/larger than 1 MB/);
    expect(pulled).toBeLessThan(40);
  });

  it('refuses a declared oversized response without reading it', async () => {
    const env = await failingWith(() => new Response('x', { headers: { 'content-length': String(50 * 1024 * 1024) } }));
    expect((await pollFeed(await env.feed(), env.deps)).error).toMatch(/larger than 5 MB/);
  });

  it('keeps every stored article when the feed turns malformed or hostile', async () => {
    const env = await failingWith(() => xml('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><rss>&b;</rss>'));
    const result = await pollFeed(await env.feed(), env.deps);
    expect(result.error).toMatch(/declares its own XML entities/);
    expect(await env.db.articles.count()).toBe(2);
  });

  it('reports a network failure in plain words', async () => {
    const env = await failingWith(() => Promise.reject(new TypeError('Failed to fetch')));
    expect((await pollFeed(await env.feed(), env.deps)).error).toBe('Could not reach the feed: you may be offline, or the site is down. Offprint will try again later.');
  });
});

describe('pollFeeds', () => {
  it('polls only due feeds, at most 4 at once', async () => {
    const db = freshDb();
    let active = 0;
    let peak = 0;
    const routes: Record<string, () => Promise<Response>> = {};
    for (let i = 0; i < 10; i++) {
      routes[`https://medium.com/feed/@author${i}`] = async () => {
        active += 1;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 5));
        active -= 1;
        return xml(mediumAuthorFeed(samplePosts(1, i), `Author ${i}`, `author${i}`));
      };
    }
    const net = fakeFetch(routes);
    const { deps, clock } = feedDeps(db, net.fetch);
    for (let i = 0; i < 10; i++) await followFeed(`@author${i}`, deps);
    peak = 0;
    const none = await pollFeeds(deps);
    expect(none).toEqual([]);
    clock.t += 60 * MINUTE;
    const results = await pollFeeds(deps);
    expect(results).toHaveLength(10);
    expect(peak).toBeLessThanOrEqual(4);
    expect(peak).toBeGreaterThan(1);
  });
});
