// The incrementally kept index equals a fresh build after any sequence of
// adds, updates and removes (many seeds), and a build stopped part-way
// resumes to the same index.
import { describe, expect, it } from 'vitest';
import type { OffprintDB } from '../../../lib/db/schema';
import type { Article } from '../../../lib/db/types';
import { compactVocabulary, continueBuild, flushPending, ensureSearchIndex, readState, rebuildSearchIndex, reindexArticles, removeFromIndex, startBuild } from '../../../lib/search/indexer';
import { LibrarySearch } from '../../../lib/search/search';
import { freshDb } from '../helpers/db';
import { indexSnapshot } from './index-snapshot';

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A small vocabulary, so articles share terms and frequencies go up and down.
const WORDS = 'etcd kubernetes helm chart vault terraform state drift pod node mesh istio grafana loki maxUnavailable kube-system'.split(' ');

function article(id: string, r: () => number): { article: Article; text: string } {
  const pick = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]!).join(' ');
  const sortAt = Date.UTC(2026, 0, 1) + Math.floor(r() * 1e9);
  return {
    article: {
      id,
      url: `https://blog${Math.floor(r() * 3)}.example/${id}`,
      source: 'clip',
      box: 'saved',
      title: pick(2),
      author: r() < 0.5 ? 'Ana Ops' : undefined,
      excerpt: pick(3),
      tags: r() < 0.3 ? [WORDS[Math.floor(r() * WORDS.length)]!] : [],
      savedAt: sortAt,
      sortAt,
      wordCount: 10,
      readingMinutes: 1,
      isRead: 0,
      starred: 0,
      progress: 0,
      isPreview: 0,
      isReply: 0,
      offline: 'ready',
    },
    text: `${pick(6)} w${Math.floor(r() * 40)}`,
  };
}

async function put(db: OffprintDB, items: { article: Article; text: string }[]) {
  await db.transaction('rw', db.articles, db.contents, async () => {
    await db.articles.bulkPut(items.map((i) => i.article));
    await db.contents.bulkPut(items.map((i) => ({ id: i.article.id, html: '', text: i.text })));
  });
}

async function resultIds(db: OffprintDB, queries: string[]) {
  const search = new LibrarySearch(db);
  const out: string[][] = [];
  for (const q of queries) out.push((await search.search(q, {}, { limit: 1000 })).hits.map((h) => h.article.id).sort());
  return out;
}

const QUERIES = ['etcd', 'kubernets', 'kube', 'helm chart', 'w1', 'maxunavailable'];

describe('incremental index = fresh build (property)', () => {
  it.each(Array.from({ length: 30 }, (_, i) => i + 1))('seed %i', async (seed) => {
    const r = prng(seed);
    const db = freshDb();
    let next = 0;
    const live: string[] = [];
    for (let step = 0; step < 40; step++) {
      const x = r();
      if (x < 0.45 || live.length === 0) {
        const batch = Array.from({ length: 1 + Math.floor(r() * 3) }, () => article(`a${String(next++).padStart(3, '0')}`, r));
        await put(db, batch);
        await reindexArticles(db, batch.map((b) => b.article.id));
        live.push(...batch.map((b) => b.article.id));
      } else if (x < 0.75) {
        const id = live[Math.floor(r() * live.length)]!;
        await put(db, [article(id, r)]);
        await reindexArticles(db, [id]);
      } else if (x < 0.88) {
        const id = live.splice(Math.floor(r() * live.length), 1)[0]!;
        await db.articles.delete(id);
        await db.contents.delete(id);
        await (r() < 0.5 ? removeFromIndex(db, [id]) : reindexArticles(db, [id]));
      } else if (x < 0.93) {
        await compactVocabulary(db);
      } else {
        await flushPending(db);
      }
    }
    const incremental = await indexSnapshot(db);
    const incrementalResults = await resultIds(db, QUERIES);
    expect(incremental.consistent).toBe(true);
    expect(incremental.numbered).toBe(true);
    expect(incremental.count).toBe(live.length);

    await rebuildSearchIndex(db, { chunk: 1 + Math.floor(r() * 5) });
    const fresh = await indexSnapshot(db);
    expect(fresh.building).toBe(false);
    expect({ ...incremental, vocab: [...incremental.vocab].sort() }).toEqual({ ...fresh, vocab: [...fresh.vocab].sort() });
    expect(incrementalResults).toEqual(await resultIds(db, QUERIES));
    db.close();
  }, 30_000);
});

describe('chunked, resumable build', () => {
  async function library(n: number) {
    const db = freshDb();
    const r = prng(99);
    await put(db, Array.from({ length: n }, (_, i) => article(`b${String(i).padStart(3, '0')}`, r)));
    return db;
  }

  it('resumes where a stopped worker left it and ends in the same index', async () => {
    const db = await library(60);
    await rebuildSearchIndex(db, { chunk: 7 });
    const want = await indexSnapshot(db);

    await startBuild(db);
    await continueBuild(db, { chunk: 7, maxChunks: 3 }); // the worker stops here
    const state = await readState(db);
    expect(state?.build).toMatchObject({ done: 21, total: 60 });
    // Meanwhile search says so, with progress.
    expect(await new LibrarySearch(db).search('etcd')).toMatchObject({ index: 'building', progress: { done: 21, total: 60 } });
    // Articles keep arriving and going while it is stopped.
    const r = prng(5);
    await put(db, [article('b000x', r), article('zzz', r)]);
    await reindexArticles(db, ['b000x', 'zzz']);
    await db.articles.delete('b050');
    await removeFromIndex(db, ['b050']);

    // Next start: ensureSearchIndex picks the build up after the last chunk written.
    expect(await ensureSearchIndex(db, { chunk: 7 })).toBe(true);
    const resumed = await indexSnapshot(db);
    await rebuildSearchIndex(db, { chunk: 7 });
    const fresh = await indexSnapshot(db);
    expect(resumed).toEqual(fresh);
    expect(fresh.count).toBe(61);
    expect(want.count).toBe(60);
    expect((await new LibrarySearch(db).search('etcd')).index).toBe('ready');
    expect(await ensureSearchIndex(db)).toBe(false);
  });

  it('steps fill posting blocks, and a block already holding postings is still merged, not overwritten', async () => {
    // 1,100 articles: the default step is a whole posting block (1,024), then the rest.
    const db = await library(1100);
    await startBuild(db);
    // A change before the first step takes number 0: the first step's block is then not fresh.
    const r = prng(8);
    await put(db, [article('a-early', r)]);
    await reindexArticles(db, ['a-early']);
    await flushPending(db);
    await continueBuild(db, { maxChunks: 1 });
    expect((await readState(db))!.build).toMatchObject({ done: 1023 });
    // An import meanwhile: a batch big enough to be flushed at once into the posting blocks.
    const batch = Array.from({ length: 100 }, (_, i) => article(`c${String(i).padStart(3, '0')}`, r));
    await put(db, batch);
    await reindexArticles(db, batch.map((b) => b.article.id));
    await ensureSearchIndex(db);
    const built = await indexSnapshot(db);
    await rebuildSearchIndex(db, { chunk: 97 });
    const fresh = await indexSnapshot(db);
    expect(built.count).toBe(1201);
    expect({ ...built, vocab: [...built.vocab].sort() }).toEqual({ ...fresh, vocab: [...fresh.vocab].sort() });
  }, 60_000);

  it('holds one chunk of articles at a time', async () => {
    const db = await library(50);
    const reads: number[] = [];
    await startBuild(db);
    for (;;) {
      const before = (await readState(db))!.build;
      if (!before) break;
      await continueBuild(db, { chunk: 8, maxChunks: 1 });
      const after = (await readState(db))!.build;
      if (after) reads.push(after.done - before.done);
    }
    expect(Math.max(...reads)).toBeLessThanOrEqual(8);
    expect(reads.reduce((a, b) => a + b, 0)).toBe(50);
  });
});
