import Dexie from 'dexie';
import { describe, expect, it, vi } from 'vitest';
import { storeArticles } from '../../../lib/library/store';
import type { NewArticle } from '../../../lib/messages';
import { ensureSearchIndex, INDEX_VERSION, mergePostings, readDocBlocks, rebuildSearchIndex, reindexArticles, removeFromIndex } from '../../../lib/search/indexer';
import { blockIds, type IndexStateRecord } from '../../../lib/search/records';
import { effectiveVocabulary, indexSnapshot } from './index-snapshot';
import { LibrarySearch } from '../../../lib/search/search';
import { fixedDeps, freshDb, newArticle } from '../helpers/db';

const post = (n: number, o: Partial<NewArticle> = {}) => newArticle({ url: `https://blog.example/${n}`, title: `Post ${n}`, ...o });

async function snapshot(db: ReturnType<typeof freshDb>) {
  return (await indexSnapshot(db)).byTerm;
}
describe('incremental index updates', () => {
  it('indexes articles as storeArticles adds them and finds them at once', async () => {
    const db = freshDb();
    const search = new LibrarySearch(db);
    expect((await search.search('prometheus')).hits).toHaveLength(0);
    await storeArticles(db, [post(1, { text: 'Prometheus alerting rules' })], fixedDeps());
    expect((await search.search('prometheus')).hits.map((h) => h.article.title)).toEqual(['Post 1']);
  });

  it('indexes articles stored inside a caller transaction without the search tables once it commits', async () => {
    const db = freshDb();
    // As a feed poll does: its own transaction over the library and feed state.
    await db.transaction('rw', [db.articles, db.contents, db.feeds, db.kv], async () => {
      await storeArticles(db, [post(1, { text: 'vector pipelines' })], fixedDeps());
      await db.kv.put({ key: 'seen', value: 1 });
    });
    await vi.waitFor(async () => expect((await new LibrarySearch(db).search('vector')).hits).toHaveLength(1));
  });

  it('updates an article in place when its text changes', async () => {
    const db = freshDb();
    const deps = fixedDeps();
    await storeArticles(db, [post(1, { guid: 'g1', text: 'grafana dashboards' })], deps);
    await storeArticles(db, [post(1, { guid: 'g1', text: 'loki queries' })], deps);
    const search = new LibrarySearch(db);
    expect((await search.search('grafana')).hits).toHaveLength(0);
    expect((await search.search('loki')).hits).toHaveLength(1);
    expect((await effectiveVocabulary(db)).has('grafana')).toBe(false);
  });

  it('removes deleted articles and their now unused terms', async () => {
    const db = freshDb();
    const deps = fixedDeps();
    const [a, b] = await storeArticles(db, [post(1, { text: 'istio mesh' }), post(2, { text: 'linkerd mesh' })], deps);
    await db.articles.delete(a!.id);
    await removeFromIndex(db, [a!.id, 'not-indexed']);
    const search = new LibrarySearch(db);
    expect((await search.search('mesh')).hits.map((h) => h.article.id)).toEqual([b!.id]);
    expect((await effectiveVocabulary(db)).has('istio')).toBe(false);
    expect(((await db.searchMeta.get('state')) as IndexStateRecord).count).toBe(1);
    // The freed document number is reused by the next article.
    const [c] = await storeArticles(db, [post(3, { text: 'cilium mesh' })], deps);
    expect((await db.searchDocs.get(c!.id))!.no).toBe((await db.searchDocs.get(a!.id))?.no ?? 0);
    expect((await search.search('mesh')).hits).toHaveLength(2);
  });

  it('ends in the same index as a full rebuild after adds, updates and deletes', async () => {
    const db = freshDb();
    const deps = fixedDeps();
    const stored = await storeArticles(db, [1, 2, 3, 4].map((n) => post(n, { guid: `g${n}`, text: `common word${n} shared`, tags: n % 2 ? ['odd'] : [] })), deps);
    await storeArticles(db, [post(2, { guid: 'g2', text: 'rewritten common', title: 'Retitled' })], deps);
    await db.articles.delete(stored[2]!.id);
    await removeFromIndex(db, [stored[2]!.id]);
    await db.articles.update(stored[0]!.id, { tags: ['odd', 'favourite'] });
    await reindexArticles(db, [stored[0]!.id]);
    const incremental = await snapshot(db);
    await rebuildSearchIndex(db);
    expect(incremental).toEqual(await snapshot(db));
    expect(incremental.get('favourite')).toHaveLength(1);
  });

  it('splits long posting lists into blocks and keeps them right through deletes', async () => {
    const db = freshDb();
    const deps = fixedDeps();
    const stored = await storeArticles(db, Array.from({ length: 1100 }, (_, i) => post(i, { text: `shared w${i}` })), deps);
    const blocks = await db.searchPostings.where('[term+block]').between(['shared', Dexie.minKey], ['shared', Dexie.maxKey]).toArray();
    expect(blocks.map((b) => [b.block, b.docs.length])).toEqual([[0, 1024], [1, 76]]);
    await db.articles.bulkDelete(stored.slice(1000).map((s) => s.id));
    await removeFromIndex(db, stored.slice(1000).map((s) => s.id));
    expect(await db.searchPostings.where('[term+block]').between(['shared', Dexie.minKey], ['shared', Dexie.maxKey]).count()).toBe(1);
    const search = new LibrarySearch(db);
    expect((await search.search('w999')).hits[0]!.article.title).toBe('Post 999');
    expect((await search.search('w1050')).hits.map((h) => h.article.title)).not.toContain('Post 1050');
    const incremental = await snapshot(db);
    await rebuildSearchIndex(db);
    expect(incremental).toEqual(await snapshot(db));
  }, 30_000);

  it('reads document-table blocks stored as id lists (before ids were joined) and rewrites a changed one joined', async () => {
    const db = freshDb();
    const deps = fixedDeps();
    const stored = await storeArticles(db, ['alpha', 'bravo', 'charlie'].map((w, i) => post(i + 1, { guid: `g${i}`, text: `listed ${w}` })), deps);
    // The block as an index written before this change holds it.
    const [block] = await readDocBlocks(db);
    expect(typeof block!.ids).toBe('string');
    await db.searchMeta.put({ ...block!, ids: blockIds(block!.ids) } as never);
    expect(Array.isArray((await readDocBlocks(db))[0]!.ids)).toBe(true);
    expect((await new LibrarySearch(db).search('bravo')).hits.map((h) => h.article.title)).toEqual(['Post 2']);
    await db.articles.delete(stored[0]!.id);
    await removeFromIndex(db, [stored[0]!.id]);
    await storeArticles(db, [post(4, { text: 'listed delta' })], deps);
    expect(typeof (await readDocBlocks(db))[0]!.ids).toBe('string');
    expect((await new LibrarySearch(db).search('listed')).hits.map((h) => h.article.title).sort()).toEqual(['Post 2', 'Post 3', 'Post 4']);
    const incremental = await snapshot(db);
    await rebuildSearchIndex(db);
    expect(incremental).toEqual(await snapshot(db));
  });

  it('keeps posting lists sorted while merging edits', () => {
    const merged = mergePostings({ term: 't', block: 0, docs: Uint32Array.of(1, 4, 9), fields: Uint8Array.of(1, 2, 4) }, new Map([[4, 0], [0, 8], [9, 32], [12, 1]]));
    expect(Array.from(merged.docs)).toEqual([0, 1, 9, 12]);
    expect(Array.from(merged.fields)).toEqual([8, 1, 32, 1]);
  });
});

describe('rebuilding a missing or stale index', () => {
  it('rebuilds when the index is missing, of another version or has a different count', async () => {
    const db = freshDb();
    await storeArticles(db, [post(1, { text: 'vault secrets' }), post(2, { text: 'consul' })], fixedDeps());
    expect(await ensureSearchIndex(db)).toBe(false);

    await Promise.all([db.searchPostings.clear(), db.searchDocs.clear(), db.searchMeta.clear()]);
    expect(await ensureSearchIndex(db)).toBe(true);
    expect((await new LibrarySearch(db).search('vault')).hits).toHaveLength(1);

    await db.searchMeta.put({ ...(await db.searchMeta.get('state')), version: INDEX_VERSION + 1 } as IndexStateRecord);
    expect(await ensureSearchIndex(db)).toBe(true);
    expect(((await db.searchMeta.get('state')) as IndexStateRecord).version).toBe(INDEX_VERSION);

    // An article deleted without removeFromIndex leaves the count stale.
    await db.articles.limit(1).delete();
    expect(await ensureSearchIndex(db)).toBe(true);
    expect(((await db.searchMeta.get('state')) as IndexStateRecord).count).toBe(1);
  });

  it('keeps the service worker alive while rebuilding, and only then', async () => {
    const db = freshDb();
    await storeArticles(db, Array.from({ length: 300 }, (_, i) => post(i, { text: `filler ${i}` })), fixedDeps());
    await db.searchMeta.clear();
    const keepAlive = vi.fn();
    expect(await ensureSearchIndex(db, { keepAlive, keepAliveMs: 1 })).toBe(true);
    const calls = keepAlive.mock.calls.length;
    expect(calls).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 20));
    expect(keepAlive).toHaveBeenCalledTimes(calls);
  });

  it('does not lose an article stored while a rebuild is reading the library', async () => {
    const db = freshDb();
    const deps = fixedDeps();
    await storeArticles(db, Array.from({ length: 450 }, (_, i) => post(i, { text: `filler ${i}` })), deps);
    // A feed poll stores an article just as the rebuild reads its first chunk.
    let stored: Promise<unknown> | undefined;
    const read = db.contents.bulkGet.bind(db.contents);
    vi.spyOn(db.contents, 'bulkGet').mockImplementation((keys) => {
      stored ??= Dexie.ignoreTransaction(() => storeArticles(db, [post(999, { text: 'nomad scheduler' })], deps));
      return read(keys);
    });
    await rebuildSearchIndex(db);
    await stored;
    expect((await new LibrarySearch(db).search('nomad')).hits).toHaveLength(1);
    expect(await ensureSearchIndex(db)).toBe(false);
  });

  it('lets an open search see changes made elsewhere', async () => {
    const db = freshDb();
    const search = new LibrarySearch(db);
    const deps = fixedDeps();
    await storeArticles(db, [post(1, { text: 'argocd sync' })], deps);
    expect((await search.search('argocd')).hits).toHaveLength(1);
    await rebuildSearchIndex(db);
    await storeArticles(db, [post(2, { text: 'argocd rollback' })], deps);
    expect((await search.search('argocd')).hits).toHaveLength(2);
  });
});
