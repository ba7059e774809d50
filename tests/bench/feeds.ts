// Feed benches: parse-and-store of 1,000 items (time and peak heap), and
// polling 200 feeds from a local server with 100 ms latency against the
// ideal 200 × 100 ms / concurrency.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JSDOM } from 'jsdom';
import { OffprintDB } from '../../lib/db/schema';
import type { Feed } from '../../lib/db/types';
import { createLocalPrepare } from '../../lib/dom/prepare';
import { followFeed, type FollowDeps } from '../../lib/feeds/follow';
import { parseFeed } from '../../lib/feeds/parse';
import { pollFeeds, POLL_CONCURRENCY } from '../../lib/feeds/poll';
import { mediumAuthorFeed, samplePosts } from '../fixtures/feeds/medium';
import { measurePeakHeap, round, withRatio, type BenchArea, type BenchResult } from './result';

let dbCount = 0;
const freshDb = () => new OffprintDB(`bench-feeds-${++dbCount}-${Date.now()}`);

function deps(db: OffprintDB, fetchFn: FollowDeps['fetch'], win: Window): FollowDeps {
  let n = 0;
  return {
    db,
    fetch: fetchFn,
    now: () => Date.now(),
    newId: () => `b${++n}`,
    prepare: createLocalPrepare(win),
    settings: async () => ({ pollMinutes: 30, hideReplies: true }),
    store: { now: () => Date.now(), newId: () => `a${++n}` },
  };
}

async function ingest1000(win: Window): Promise<BenchResult[]> {
  const body = mediumAuthorFeed(samplePosts(1000));
  const url = 'https://medium.com/feed/@bench';
  const fakeFetch = async () => new Response(body, { headers: { 'content-type': 'application/rss+xml; charset=utf-8' } });

  // Baseline: the same 1,000 items written straight into the tables, no parsing, sanitizing or dedupe.
  const parsed = parseFeed(body, { url });
  const baseDb = freshDb();
  const t0 = performance.now();
  await baseDb.transaction('rw', baseDb.articles, baseDb.contents, async () => {
    await baseDb.articles.bulkAdd(
      parsed.items.map((it, i) => ({
        id: `x${i}`, url: it.url, guid: it.guid, source: 'feed' as const, box: 'inbox' as const, title: it.title, tags: it.tags, savedAt: 0, sortAt: 0,
        wordCount: 0, readingMinutes: 0, isRead: 0 as const, starred: 0 as const, progress: 0, isPreview: 0 as const, isReply: 0 as const, offline: 'pending' as const,
      })),
    );
    await baseDb.contents.bulkAdd(parsed.items.map((it, i) => ({ id: `x${i}`, html: it.html, text: it.html })));
  });
  const baseline = performance.now() - t0;

  const db = freshDb();
  const run = await measurePeakHeap(() => followFeed(url, deps(db, fakeFetch, win)));
  if (run.result.added.length !== 1000) throw new Error(`expected 1000 stored, got ${run.result.added.length}`);
  return [
    withRatio('feeds.ingest1000_ms', run.ms, baseline),
    { name: 'feeds.ingest1000_peak_mb', value: round(run.peakBytes / 1024 / 1024), unit: 'MB' },
  ];
}

async function poll200(win: Window): Promise<BenchResult[]> {
  const FEEDS = 200;
  const LATENCY = 100;
  const body = mediumAuthorFeed(samplePosts(10));
  const server: Server = createServer((_req, res) => {
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
      res.end(body);
    }, LATENCY);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  try {
    const db = freshDb();
    // 200 followed feeds, all due, whose items are already known: the steady state of polling.
    const keys = parseFeed(body, { url: 'http://127.0.0.1/' }).items.map((i) => i.guid ?? i.url);
    const feeds: Feed[] = Array.from({ length: FEEDS }, (_, i) => ({
      id: `f${i}`, url: `http://127.0.0.1:${port}/feed/${i}`, title: `Feed ${i}`, kind: 'web', addedAt: 0, lastCheckedAt: 1, nextCheckAt: 0, failures: 0,
    }));
    await db.feeds.bulkAdd(feeds);
    await db.kv.bulkPut(feeds.map((f) => ({ key: `feeds:seen:${f.id}`, value: keys })));
    const t0 = performance.now();
    const results = await pollFeeds(deps(db, (u, init) => fetch(u, init), win));
    const elapsed = performance.now() - t0;
    const failed = results.filter((r) => r.status === 'failed');
    if (results.length !== FEEDS || failed.length) throw new Error(`poll200: ${failed.length} failed: ${failed[0]?.error}`);
    const ideal = (FEEDS * LATENCY) / POLL_CONCURRENCY;
    const ratio = elapsed / ideal;
    return [
      { name: 'feeds.poll200.ratio_to_ideal', value: round(ratio, 3), unit: 'ratio', baseline: 1, ratio: round(ratio, 3) },
      withRatio('feeds.poll200_ms', elapsed, ideal),
    ];
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

const feedsBench: BenchArea = async () => {
  const win = new JSDOM('<!doctype html><html><body></body></html>').window as unknown as Window;
  return [...(await ingest1000(win)), ...(await poll200(win))];
};

export default feedsBench;
