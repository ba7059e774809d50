// Runs inside Chromium (bundled by search-scale-browser.ts): a scale library
// stored in the browser's real IndexedDB, built a chunk at a time, searched.
import { OffprintDB } from '../../lib/db/schema';
import { storeArticles } from '../../lib/library/store';
import { continueBuild, readState, removeFromIndex, searchTables, startBuild } from '../../lib/search/indexer';
import { LibrarySearch } from '../../lib/search/search';
import { generateArticles, generateLibrary, QUERIES, type SyntheticArticle } from './search-library';

async function storeScale(name: string, size: number): Promise<number> {
  const db = new OffprintDB(name);
  await db.open();
  const t0 = performance.now();
  let slice: SyntheticArticle[] = [];
  const flush = async () => {
    await db.transaction('rw', db.articles, db.contents, async () => {
      await db.articles.bulkAdd(slice.map((s) => s.article));
      await db.contents.bulkAdd(slice.map((s) => s.content));
    });
    slice = [];
  };
  for (const a of generateArticles(size)) {
    slice.push(a);
    if (slice.length === 500) await flush();
  }
  if (slice.length) await flush();
  db.close();
  return performance.now() - t0;
}

async function buildScale(name: string): Promise<number> {
  const db = new OffprintDB(name);
  await db.open();
  const t0 = performance.now();
  await startBuild(db);
  while ((await readState(db))?.build) await continueBuild(db, { maxChunks: 1 });
  const ms = performance.now() - t0;
  db.close();
  return ms;
}

async function warmTimes(name: string, rounds: number): Promise<number[]> {
  const db = new OffprintDB(name);
  const search = new LibrarySearch(db);
  await search.warm();
  const times: number[] = [];
  // One round first, untimed (each query's first run: store reads, code not yet optimized), as the Node scale bench.
  for (const q of QUERIES) await search.search(q);
  for (let r = 0; r < rounds; r++) {
    for (const q of QUERIES) {
      const t0 = performance.now();
      await search.search(q);
      times.push(performance.now() - t0);
    }
  }
  db.close();
  return times;
}

async function addOne(name: string, count: number): Promise<{ add: number[]; remove: number[] }> {
  const db = new OffprintDB(name);
  await db.open();
  const add: number[] = [];
  const remove: number[] = [];
  for (let i = 0; i < count; i++) {
    const items = generateLibrary(1, 100 + i).map(({ article, content }) => ({ ...article, url: `${article.url}-new-${i}`, guid: `new-${i}`, html: '', text: content.text }));
    let t0 = performance.now();
    const [stored] = await storeArticles(db, items, { now: () => Date.now(), newId: () => `new-${i}` });
    add.push(performance.now() - t0);
    t0 = performance.now();
    await db.transaction('rw', [db.articles, db.contents, ...searchTables(db)], async () => {
      await db.articles.delete(stored!.id);
      await db.contents.delete(stored!.id);
      await removeFromIndex(db, [stored!.id]);
    });
    remove.push(performance.now() - t0);
  }
  db.close();
  return { add, remove };
}

/** A page that has just loaded, as a popup opening: open and load, then a misspelt query. */
async function coldOpen(name: string): Promise<{ openMs: number; firstQueryMs: number }> {
  let t0 = performance.now();
  const db = new OffprintDB(name);
  const search = new LibrarySearch(db);
  await search.warm();
  const openMs = performance.now() - t0;
  t0 = performance.now();
  await search.search(QUERIES[5]!);
  const firstQueryMs = performance.now() - t0;
  db.close();
  return { openMs, firstQueryMs };
}

async function drop(name: string): Promise<void> {
  await OffprintDB.delete(name);
}

Object.assign(globalThis, { storeScale, buildScale, warmTimes, addOne, coldOpen, drop });
