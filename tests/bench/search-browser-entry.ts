// Runs inside Chromium (bundled by search-browser.ts): the same library,
// index and queries as the Node bench, on the browser's real IndexedDB.
import { OffprintDB } from '../../lib/db/schema';
import { storeArticles } from '../../lib/library/store';
import { rebuildSearchIndex, removeFromIndex } from '../../lib/search/indexer';
import { LibrarySearch } from '../../lib/search/search';
import { generateLibrary, QUERIES } from './search-library';

export interface BrowserFigures {
  buildMs: number;
  /** Database name, kept for the cold-start runs after page reloads. */
  name: string;
  times: number[];
  add20Ms: number;
  remove20Ms: number;
}

async function runSearchBench(articles: number, rounds: number): Promise<BrowserFigures> {
  const library = generateLibrary(articles);
  const name = `bench-search-${Date.now()}`;
  const db = new OffprintDB(name);
  await db.open();
  for (let i = 0; i < library.length; i += 500) {
    const slice = library.slice(i, i + 500);
    await db.transaction('rw', db.articles, db.contents, async () => {
      await db.articles.bulkAdd(slice.map((s) => s.article));
      await db.contents.bulkAdd(slice.map((s) => s.content));
    });
  }
  let t0 = performance.now();
  await rebuildSearchIndex(db);
  const buildMs = performance.now() - t0;

  const search = new LibrarySearch(db);
  await search.warm();
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of QUERIES) {
      t0 = performance.now();
      await search.search(q);
      times.push(performance.now() - t0);
    }
  }

  const extra = generateLibrary(20, 7).map(({ article, content }, i) => ({ ...article, url: `${article.url}-new-${i}`, guid: `new-${i}`, html: content.html, text: content.text }));
  let n = 0;
  t0 = performance.now();
  const stored = await storeArticles(db, extra, { now: () => Date.now(), newId: () => `new-${n++}` });
  const add20Ms = performance.now() - t0;
  t0 = performance.now();
  await removeFromIndex(db, stored.map((s) => s.id));
  const remove20Ms = performance.now() - t0;
  db.close();
  return { buildMs, name, times, add20Ms, remove20Ms };
}

/**
 * The first query of a page that has just loaded, as when the popup opens:
 * fresh JavaScript, a new connection, nothing in memory, then a misspelt query.
 */
async function coldFirstQuery(name: string, drop: boolean): Promise<{ readyMs: number; firstQueryMs: number }> {
  let t0 = performance.now();
  const db = new OffprintDB(name);
  const search = new LibrarySearch(db);
  // What the search box does when it appears: open, load the vocabulary, rehearse.
  await search.warm();
  const readyMs = performance.now() - t0;
  t0 = performance.now();
  await search.search(QUERIES[5]!);
  const firstQueryMs = performance.now() - t0;
  db.close();
  if (drop) await OffprintDB.delete(name);
  return { readyMs, firstQueryMs };
}

Object.assign(globalThis, { runSearchBench, coldFirstQuery });
