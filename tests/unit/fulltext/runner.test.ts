// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { createLocalExtract } from '../../../lib/fulltext/extract';
import { countJobs, enqueue, isLinkOnly, linkOnlyArticles, setPaused } from '../../../lib/fulltext/jobs';
import { backoffMs, retryAfterAt, stillMemberOnly } from '../../../lib/fulltext/page';
import { createFullTextRunner } from '../../../lib/fulltext/runner';
import { storeArticles } from '../../../lib/library/store';
import { NOT_ARTICLE_PAGE, PAYWALL_PAGE, articlePage, memberOnlyPost } from '../../fixtures/fulltext/pages';
import { fixedDeps, freshDb, newArticle } from '../helpers/db';

const stubBody = (url: string) => `<p>Saved in Pocket. Pocket’s export holds only the title and link.</p><p><a href="${url}">Open the original</a></p>`;

async function stubs(db: ReturnType<typeof freshDb>, urls: string[]) {
  const out = await storeArticles(
    db,
    urls.map((url, i) => newArticle({ url, source: 'import', title: `Link ${i}`, html: stubBody(url), text: 'Saved in Pocket. Open the original', tags: ['devops'], captureWarning: 'Imported from Pocket without its text' })),
    fixedDeps(),
  );
  return out.map((o) => o.id);
}

interface NetOptions {
  delayMs?: number;
  routes?: Record<string, () => Response>;
}

/** Pages by URL, with a delay; records concurrency overall and per host. */
function fakeNet(opts: NetOptions = {}) {
  const log: string[] = [];
  let now = 0;
  let peak = 0;
  const perHost = new Map<string, number>();
  let peakHost = 0;
  const fetch = async (input: RequestInfo | URL): Promise<Response> => {
    const url = String(input);
    log.push(url);
    const host = new URL(url).host;
    now += 1;
    peak = Math.max(peak, now);
    perHost.set(host, (perHost.get(host) ?? 0) + 1);
    peakHost = Math.max(peakHost, perHost.get(host)!);
    await new Promise((r) => setTimeout(r, opts.delayMs ?? 5));
    now -= 1;
    perHost.set(host, perHost.get(host)! - 1);
    const route = opts.routes?.[url];
    if (route) return route();
    const i = Number(/(\d+)$/.exec(url)?.[1] ?? 0);
    return new Response(articlePage(i, host), { headers: { 'content-type': 'text/html; charset=utf-8' } });
  };
  return { fetch: fetch as typeof globalThis.fetch, log, peak: () => peak, peakHost: () => peakHost };
}

const runnerDeps = (db: ReturnType<typeof freshDb>, net: ReturnType<typeof fakeNet>, extra: object = {}) => ({ db, fetch: net.fetch, now: () => Date.now(), extract: createLocalExtract(window), ...extra });

describe('full-text queue', { timeout: 30_000 }, () => {
  it('upgrades link-only stubs with the clipper’s extraction, within 2 per host and 6 overall', async () => {
    const db = freshDb();
    const urls = Array.from({ length: 24 }, (_, i) => `https://h${i % 4}.example.dev/post-${i}`);
    const ids = await stubs(db, urls);
    expect((await linkOnlyArticles(db)).length).toBe(24);
    const net = fakeNet({ delayMs: 15 });
    const stored: string[] = [];
    const runner = createFullTextRunner(runnerDeps(db, net, { afterStore: async (x: string[]) => void stored.push(...x) }));
    expect(await enqueue(db, await linkOnlyArticles(db), Date.now())).toBe(24);
    await runner.idle();
    expect(net.peakHost()).toBeLessThanOrEqual(2);
    expect(net.peak()).toBeLessThanOrEqual(6);
    expect(net.peak()).toBeGreaterThanOrEqual(5);
    expect(await countJobs(db)).toMatchObject({ done: 24, queued: 0, running: 0, failed: 0 });
    const article = (await db.articles.get(ids[5]!))!;
    expect(article).toMatchObject({ title: 'Notes on terraform state #5', tags: ['devops'], source: 'import', url: urls[5] });
    expect(article.captureWarning).toBeUndefined();
    expect(isLinkOnly(article)).toBe(false);
    const html = (await db.contents.get(ids[5]!))!.html;
    const code = new DOMParser().parseFromString(html, 'text/html').querySelector('pre code')!;
    expect(code.textContent).toBe('kind: ConfigMap\nmetadata:\n  name: article-5\ndata:\n  level: "debug"   # keep\n\ttabbed: true\n');
    expect(html).toContain(`src="https://h1.example.dev/img/diagram-5.png"`);
    expect(stored.sort()).toEqual([...ids].sort());
    // Nothing fetched twice, and asking again fetches nothing.
    expect(new Set(net.log).size).toBe(24);
    expect(net.log.length).toBe(24);
    expect(await enqueue(db, await linkOnlyArticles(db, ids), Date.now())).toBe(0);
  });

  it('explains failures in plain words and keeps the stub', async () => {
    const db = freshDb();
    const urls = ['https://a.example.dev/gone', 'https://b.example.dev/premium', 'https://c.example.dev/shop', 'https://d.example.dev/paper.pdf', 'https://e.example.dev/ok-1'];
    const ids = await stubs(db, urls);
    const net = fakeNet({
      routes: {
        [urls[0]!]: () => new Response('no', { status: 404 }),
        [urls[1]!]: () => new Response(PAYWALL_PAGE, { headers: { 'content-type': 'text/html' } }),
        [urls[2]!]: () => new Response(NOT_ARTICLE_PAGE, { headers: { 'content-type': 'text/html' } }),
        [urls[3]!]: () => new Response('%PDF-1.4', { headers: { 'content-type': 'application/pdf' } }),
      },
    });
    const runner = createFullTextRunner(runnerDeps(db, net));
    await enqueue(db, await linkOnlyArticles(db), Date.now());
    await runner.idle();
    const jobs = await db.fulltextJobs.bulkGet(ids);
    expect(jobs.map((j) => j!.state)).toEqual(['failed', 'failed', 'failed', 'failed', 'done']);
    expect(jobs[0]!.error).toMatch(/gone .*404/);
    expect(jobs[1]!.error).toMatch(/^Paywall or login wall/);
    expect(jobs[2]!.error).toMatch(/^Not an article/);
    expect(jobs[3]!.error).toMatch(/PDF file/);
    expect((await db.contents.get(ids[0]!))!.html).toContain('Saved in Pocket');
  });

  it('respects Retry-After for the whole host, then succeeds', async () => {
    const db = freshDb();
    const urls = ['https://busy.example.dev/post-1', 'https://busy.example.dev/post-2'];
    await stubs(db, urls);
    let refusals = 0;
    let clock = Date.now();
    const net = fakeNet({ routes: { [urls[0]!]: () => (refusals++ === 0 ? new Response('slow down', { status: 429, headers: { 'retry-after': '1' } }) : new Response(articlePage(1, 'busy'), { headers: { 'content-type': 'text/html' } })) } });
    const runner = createFullTextRunner({ ...runnerDeps(db, net), now: () => clock, perHost: 1, setTimer: (fn: () => void, ms: number) => setTimeout(() => { clock += ms; fn(); }, 1) });
    await enqueue(db, await linkOnlyArticles(db), clock);
    await runner.idle();
    expect(await countJobs(db)).toMatchObject({ done: 2 });
    expect(net.log).toEqual([urls[0], urls[0], urls[1]]);
    expect(retryAfterAt('120', 0)).toBe(120_000);
    expect(retryAfterAt('Wed, 21 Oct 2015 07:28:00 GMT', 0)).toBe(Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'));
    expect(backoffMs(1, () => 0.5)).toBe(2000);
    expect(backoffMs(20, () => 0.5)).toBe(300_000);
  });

  it('survives a stop: a new runner requeues interrupted jobs, never refetches finished ones; pause holds the queue', async () => {
    const db = freshDb();
    const urls = Array.from({ length: 6 }, (_, i) => `https://s${i % 2}.example.dev/post-${i}`);
    const ids = await stubs(db, urls);
    await enqueue(db, await linkOnlyArticles(db), Date.now());
    // As a worker that died: two done, one running.
    const first = createFullTextRunner({ ...runnerDeps(db, fakeNet()), overall: 1 });
    await setPaused(db, true);
    await first.start();
    expect(await countJobs(db)).toMatchObject({ queued: 6, running: 0 });
    await db.fulltextJobs.update(ids[0]!, { state: 'done' });
    await db.fulltextJobs.update(ids[1]!, { state: 'running' });
    // Fetched before the stop, not yet stored: stored from the kept page, the site is not asked again.
    await db.fulltextJobs.update(ids[2]!, { fetched: { html: articlePage(2, 's0.example.dev'), url: urls[2]! } });
    await setPaused(db, false);
    const net = fakeNet();
    const second = createFullTextRunner(runnerDeps(db, net));
    await second.idle();
    expect(await countJobs(db)).toMatchObject({ done: 6, running: 0, queued: 0 });
    expect(net.log.sort()).toEqual([urls[1], ...urls.slice(3)].sort());
    expect((await db.articles.get(ids[2]!))!.title).toBe('Notes on etcd backups #2');
    expect((await db.fulltextJobs.get(ids[2]!))!.fetched).toBeUndefined();
  });
  it('pause holds a running queue: fetches under way finish, none start; resume carries on from there', async () => {
    const db = freshDb();
    const urls = Array.from({ length: 12 }, (_, i) => `https://p${i % 3}.example.dev/post-${i}`);
    await stubs(db, urls);
    const net = fakeNet({ delayMs: 50 });
    let pausing: Promise<void> | undefined;
    // The reader presses Pause while the first fetches are under way.
    const fetch = ((input: RequestInfo | URL) => {
      pausing ??= runner.pause();
      return net.fetch(input);
    }) as typeof globalThis.fetch;
    const runner = createFullTextRunner({ ...runnerDeps(db, net), fetch });
    await enqueue(db, await linkOnlyArticles(db), Date.now());
    void runner.start();
    await expect.poll(() => pausing !== undefined).toBe(true);
    await pausing;
    const asked = net.log.length;
    await new Promise((r) => setTimeout(r, 300));
    // Only what had started before the pause (at most 6) was fetched.
    expect(net.log.length).toBe(asked);
    expect(asked).toBeLessThanOrEqual(6);
    expect((await runner.progress()).paused).toBe(true);
    await runner.resume();
    await runner.idle();
    expect(await countJobs(db)).toMatchObject({ done: 12, queued: 0 });
    expect(net.log.length).toBe(12);
  });
  it('a queue longer than the window in memory is read in turns: every job once, in order per host', async () => {
    const db = freshDb();
    const urls = Array.from({ length: 37 }, (_, i) => `https://w${i % 5}.example.dev/post-${i}`);
    await stubs(db, urls);
    const net = fakeNet({ delayMs: 1 });
    const runner = createFullTextRunner({ ...runnerDeps(db, net), windowSize: 8 });
    await enqueue(db, await linkOnlyArticles(db), Date.now());
    await runner.idle();
    expect(await countJobs(db)).toMatchObject({ done: 37, queued: 0 });
    expect([...net.log].sort()).toEqual([...urls].sort());
    // First in, first out within a host (queue order is the jobs' seq).
    const bySeq = (await db.fulltextJobs.toArray()).sort((a, b) => a.seq - b.seq).map((j) => j.url);
    expect(net.log.filter((u) => u.includes('//w0.'))).toEqual(bySeq.filter((u) => u.includes('//w0.')));
    // Jobs queued later join on the next start (the enqueue handler calls it).
    const more = await stubs(db, ['https://w9.example.dev/post-late']);
    await enqueue(db, await linkOnlyArticles(db, more), Date.now());
    await runner.idle();
    expect(net.log.at(-1)).toBe('https://w9.example.dev/post-late');
  });
  it('a member-only post: the visitor’s preview goes to the background tab; a member’s capture (badge and all) is the post', async () => {
    const db = freshDb();
    const url = 'https://medium.com/@ops-writer/draining-node-pools-1a2b3c4d5e6f';
    const [id] = await stubs(db, [url]);
    const net = fakeNet({ routes: { [url]: () => new Response(memberOnlyPost('Draining node pools quietly', false), { headers: { 'content-type': 'text/html' } }) } });
    const local = createLocalExtract(window);
    const tabs: string[] = [];
    const captureInTab = async (u: string) => {
      tabs.push(u);
      return local(memberOnlyPost('Draining node pools quietly', true), u);
    };
    const runner = createFullTextRunner({ ...runnerDeps(db, net), captureInTab });
    await enqueue(db, await linkOnlyArticles(db), Date.now());
    await runner.idle();
    expect(tabs).toEqual([url]);
    expect((await db.fulltextJobs.get(id!))!.state).toBe('done');
    expect((await db.contents.get(id!))!.text).toContain('Members read this part 5.');
    expect(stillMemberOnly(await local(memberOnlyPost('x', false), url))).toBe(true);
    expect(stillMemberOnly(await local(memberOnlyPost('x', true), url))).toBe(false);
  });
  it('a fetched page poorer than the saved copy leaves it, and its job says why (the merge rule)', async () => {
    const db = freshDb();
    const url = 'https://h0.example.dev/post-1';
    const id = (await storeArticles(db, [newArticle({ url, source: 'import', title: 'Gallery', html: '<p>Three diagrams.</p><img src="https://h0.example.dev/a.png"><img src="https://h0.example.dev/b.png"><img src="https://h0.example.dev/c.png">', text: 'Three diagrams.' })], fixedDeps()))[0]!.id;
    const runner = createFullTextRunner(runnerDeps(db, fakeNet()));
    expect(await enqueue(db, await linkOnlyArticles(db), Date.now())).toBe(1);
    await runner.idle();
    expect(await countJobs(db)).toMatchObject({ done: 0, failed: 1 });
    expect((await db.fulltextJobs.get(id))!.error).toMatch(/saved copy was kept.*fewer images/);
    expect((await db.contents.get(id))!.html).toContain('c.png');
  });
  it('an extraction that throws (Offprint’s side, e.g. the browser closing) is tried again, not failed', async () => {
    const db = freshDb();
    const [id] = await stubs(db, ['https://h0.example.dev/post-3']);
    const net = fakeNet();
    const local = createLocalExtract(window);
    let calls = 0;
    const extract = (html: string, url: string) => (++calls === 1 ? Promise.reject(new Error('The browser is shutting down.')) : local(html, url));
    const runner = createFullTextRunner({ ...runnerDeps(db, net), extract });
    await enqueue(db, await linkOnlyArticles(db), Date.now());
    await runner.idle();
    await expect.poll(async () => (await db.fulltextJobs.get(id!))?.state, { timeout: 15_000 }).toBe('done');
    expect(calls).toBe(2);
    // The page fetched before the failure was kept: the site was asked once.
    expect(net.log).toEqual(['https://h0.example.dev/post-3']);
    expect(isLinkOnly((await db.articles.get(id!))!)).toBe(false);
  });
});
