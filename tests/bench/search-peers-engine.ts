// One engine of `npm run bench -- peers`, in a process of its own (so its
// memory is not another engine's): `tsx search-peers-engine.ts <engine> <size>`
// prints one JSON line of figures. The library is the scale bench's, stored
// in fake-indexeddb the same way for every engine; every engine's query is
// timed with what the popup shows: the rows, texts and snippets of the first
// 20 results, read from the same store (texts kept in the same 2 MB memory
// between keystrokes that Offprint's search keeps).
import './search-peers-globals';
import Dexie, { type Table } from 'dexie';
import FlexSearch from 'flexsearch';
import MiniSearch from 'minisearch';
import { OffprintDB } from '../../lib/db/schema';
import type { Article } from '../../lib/db/types';
import { storeArticles } from '../../lib/library/store';
import { LruCache } from '../../lib/search/lru';
import { queryWords } from '../../lib/search/normalize';
import { LibrarySearch } from '../../lib/search/search';
import { highlight, snippet } from '../../lib/search/snippet';
import { continueBuild, readState, startBuild } from '../../lib/search/indexer';
import { percentile } from './result';
import { QUERIES } from './search-library';
import { StreamingReference } from './search-scale-reference';
import { newArticles, storeAndBuild, storeLibrary } from './search-scale';
import { hasSnapshot, loadKeyedSnapshot, saveKeyedSnapshot, snapshotDir } from './search-scale-snapshot';

export type EngineName = 'offprint' | 'minisearch' | 'flexsearch' | 'flexsearch-idb';

export interface EngineFigures {
  engine: EngineName;
  valid10: number;
  emptyQueries: number;
  p50Ms: number;
  p95Ms: number;
  firstRoundP95Ms: number;
  firstQueryMs: number;
  /** The popup opened and the query typed at once: what the reader waits for. */
  openFirstQueryMs: number;
  /** Its CPU time (every thread of the process: compilers and GC included), steadier than wall time on a loaded machine. */
  openFirstQueryCpuMs: number;
  /** Results the engine gave for that first query (FlexSearch has no typo matching: none for the bench's typo query). */
  openQueryHits: number;
  /** The same, typing a word as it is in the library (QUERIES[0]), which every engine answers. */
  openFirstExactQueryMs: number;
  openFirstExactQueryCpuMs: number;
  openExactQueryHits: number;
  /** Open + first query for each of the 20 queries as the first (one open each): the median over them. */
  openEachQueryMs: number;
  openEachQueryCpuMs: number;
  /** Of those 20 opens, how many got no result. */
  openEachQueryEmpty: number;
  /** Each query's open + first query, in QUERIES order (printed, not reported). */
  openEachQueryAllMs: number[];
  /** Open, with what it does in the background (Offprint's rehearsal) finished, plus the first query after it. */
  openThenFirstQueryMs: number;
  openHeapMb: number;
  buildMs: number;
  buildPeakMb: number;
  add20Ms: number;
}

const LIMIT = 20;
const ROUNDS = 5;
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const heap = () => process.memoryUsage().heapUsed;

/** What an engine must do: build from the stored library, save, open, query, add. */
interface Engine {
  /** Indexes the stored library and saves what a later open needs. */
  build(db: OffprintDB): Promise<void>;
  /** A popup opening: what it must load before the first query. */
  open(db: OffprintDB): Promise<Opened>;
  add20(db: OffprintDB, opened: Opened): Promise<void>;
}

interface Opened {
  /** Settles when what the engine does at open in the background is done (Offprint's rehearsal; peers: at once). */
  ready?: Promise<unknown>;
  /** Ids of the best results, best first, with the terms to mark. */
  query(q: string): Promise<{ ids: string[]; terms: string[] }>;
  close(): void;
}

/** Rows, texts and snippets of the shown results, as the popup needs them, from the same store for every peer. */
async function shown(db: OffprintDB, ids: string[], terms: string[], texts: LruCache<string, string>): Promise<number> {
  const top = ids.slice(0, LIMIT);
  const marks = new Set(terms);
  const missing = top.filter((id) => !texts.has(id));
  const [rows, contents] = await db.transaction('r', db.articles, db.contents, () => Promise.all([db.articles.bulkGet(top), db.contents.bulkGet(missing)]));
  missing.forEach((id, i) => texts.set(id, contents[i]?.text ?? '', (contents[i]?.text.length ?? 0) * 2 + 64));
  let n = 0;
  rows.forEach((a: Article | undefined) => {
    if (!a) return;
    n += highlight(a.title, marks).length + snippet(texts.get(a.id) ?? '', marks).length;
  });
  return n;
}

/** The stored library, 500 articles at a time, as a peer's build reads it. */
async function eachSlice(db: OffprintDB, fn: (docs: PeerDoc[]) => void | Promise<void>): Promise<void> {
  let after = '';
  for (;;) {
    const articles = await db.articles.where(':id').above(after).limit(500).toArray();
    if (!articles.length) return;
    const contents = await db.contents.bulkGet(articles.map((a) => a.id));
    await fn(articles.map((a, i) => peerDoc(a, contents[i]?.text ?? '')));
    after = articles.at(-1)!.id;
  }
}

interface PeerDoc {
  id: string;
  title: string;
  author: string;
  tags: string;
  feed: string;
  excerpt: string;
  text: string;
  [key: string]: string;
}

function peerDoc(a: Article, text: string): PeerDoc {
  return { id: a.id, title: a.title, author: a.author ?? '', tags: a.tags.join(' '), feed: a.siteName ?? '', excerpt: a.excerpt ?? '', text };
}

/** Where peers keep their saved index: a store of their own beside the library. */
class BlobDB extends Dexie {
  blobs!: Table<{ key: string; data: string }, string>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ blobs: 'key' });
  }
}

/** New articles stored as a poll brings them, for the engines that index them outside the library's write path. */
async function storeNew(db: OffprintDB): Promise<PeerDoc[]> {
  const items = newArticles(20, 7);
  const rows = items.map((a, i) => ({ ...a, id: `peer-new-${i}` }));
  await db.transaction('rw', db.articles, db.contents, async () => {
    await db.articles.bulkAdd(rows.map(({ html: _h, text: _t, ...article }) => article as Article));
    await db.contents.bulkAdd(rows.map((r) => ({ id: r.id, html: r.html, text: r.text })));
  });
  return rows.map((r) => peerDoc(r as unknown as Article, r.text));
}

const offprint = (): Engine => ({
  async build(db) {
    await startBuild(db);
    while ((await readState(db))?.build) await continueBuild(db, { maxChunks: 1 });
  },
  async open(db) {
    // Every engine reads rows and texts through the library's open connection
    // (a popup has it open anyway), and each peer opens its own index storage.
    // Offprint's index is in the library database: opening it costs no second
    // connection (the search keeps nothing of an earlier open: a new
    // LibrarySearch reads its vocabulary again).
    const search = new LibrarySearch(db);
    // As the search box does: warm() started, not awaited (a keystroke waits only for the load).
    const ready = search.warm();
    return {
      ready,
      // Offprint's search reads the rows and texts and makes the snippets itself.
      query: async (q) => ({ ids: (await search.search(q, {}, { limit: LIMIT })).hits.map((h) => h.article.id), terms: [] }),
      close: () => undefined,
    };
  },
  async add20(db) {
    let n = 0;
    await storeArticles(db, newArticles(20, 7), { now: () => Date.now(), newId: () => `peer-new-${n++}` });
  },
});

const MINI_OPTIONS = {
  fields: ['title', 'author', 'tags', 'feed', 'excerpt', 'text'],
  searchOptions: { boost: { title: 10, author: 8, tags: 5, feed: 4, excerpt: 2 }, prefix: true, fuzzy: 0.2, combineWith: 'AND' as const },
};

const minisearch = (): Engine => {
  const name = `peer-mini-${Date.now()}`;
  const blobs = new BlobDB(name);
  const save = (index: MiniSearch<PeerDoc>) => blobs.blobs.put({ key: 'index', data: JSON.stringify(index) });
  return {
    async build(db) {
      const index = new MiniSearch<PeerDoc>(MINI_OPTIONS);
      await eachSlice(db, (docs) => index.addAll(docs));
      await save(index);
    },
    async open() {
      // A new connection, as a popup opening has (and as Offprint's open has).
      const fresh = new BlobDB(name);
      const rec = await fresh.blobs.get('index');
      fresh.close();
      const index = MiniSearch.loadJSON<PeerDoc>(rec!.data, MINI_OPTIONS);
      return {
        query: async (q) => {
          const res = index.search(q).slice(0, LIMIT);
          return { ids: res.map((r) => String(r.id)), terms: [...new Set(res.flatMap((r) => r.terms))] };
        },
        close: () => undefined,
        index,
      } as Opened & { index: MiniSearch<PeerDoc> };
    },
    async add20(db, opened) {
      const index = (opened as Opened & { index: MiniSearch<PeerDoc> }).index;
      index.addAll(await storeNew(db));
      await save(index); // MiniSearch saves the whole index, or loses the change with the popup
    },
  };
};

const FLEX_FIELDS = ['title', 'author', 'tags', 'feed', 'excerpt', 'text'];
type FlexDoc = InstanceType<typeof FlexSearch.Document>;
const flexIndex = (): FlexDoc =>
  new FlexSearch.Document({ document: { id: 'id', index: FLEX_FIELDS }, tokenize: 'forward', cache: false } as never) as FlexDoc;

async function flexQuery(index: FlexDoc, q: string): Promise<{ ids: string[]; terms: string[] }> {
  const res = (await index.search(q, { limit: LIMIT, merge: true } as never)) as unknown as { id: string }[];
  return { ids: res.map((r) => String(r.id)), terms: queryWords(q) };
}

const flexsearch = (): Engine => {
  const name = `peer-flex-${Date.now()}`;
  const blobs = new BlobDB(name);
  const save = async (index: FlexDoc) => {
    const parts: { key: string; data: string }[] = [];
    await index.export((key: string, data: string) => void parts.push({ key, data }));
    await blobs.transaction('rw', blobs.blobs, async () => {
      await blobs.blobs.clear();
      await blobs.blobs.bulkPut(parts);
    });
  };
  return {
    async build(db) {
      const index = flexIndex();
      await eachSlice(db, (docs) => docs.forEach((d) => index.add(d)));
      await save(index);
    },
    async open() {
      const index = flexIndex();
      const fresh = new BlobDB(name);
      for (const { key, data } of await fresh.blobs.toArray()) index.import(key, data);
      fresh.close();
      return { query: (q) => flexQuery(index, q), close: () => undefined, index } as Opened & { index: FlexDoc };
    },
    async add20(db, opened) {
      const index = (opened as Opened & { index: FlexDoc }).index;
      for (const d of await storeNew(db)) index.add(d);
      await save(index);
    },
  };
};

// Fed as FlexSearch's persistent-index docs have it: auto-commit off, every
// document added, then one commit. A commit first removes every added id
// from the whole stored index (a cursor over every key: `add` may be a
// replace) and then merges each key's list with the stored one, so a commit
// per slice of the build is quadratic (the last session's run: stopped
// after 57 minutes at 20,000).
const flexIdbIndex = (): FlexDoc =>
  new FlexSearch.Document({ document: { id: 'id', index: FLEX_FIELDS }, tokenize: 'forward', cache: false, commit: false } as never) as FlexDoc;

const flexSnapshotDir = (size: number) => (process.env.SCALE_SNAPSHOT_DIR ? `${process.env.SCALE_SNAPSHOT_DIR}/flexsearch-idb-${size}` : undefined);

const flexsearchIdb = (size: number): Engine => {
  const name = `peer-flexidb-${Date.now()}`;
  return {
    async build(db) {
      const index = flexIdbIndex();
      await index.mount(new FlexSearch.IndexedDB(name) as never);
      // Its built index from an earlier run's snapshot (SCALE_SNAPSHOT_DIR; the build takes 20+ minutes at 20,000).
      const dir = flexSnapshotDir(size);
      if (hasSnapshot(dir)) return loadKeyedSnapshot(`flexsearch:${name}`, dir);
      await eachSlice(db, (docs) => docs.forEach((d) => index.add(d)));
      await index.commit();
      if (dir) await saveKeyedSnapshot(`flexsearch:${name}`, dir);
    },
    async open() {
      const index = flexIdbIndex();
      await index.mount(new FlexSearch.IndexedDB(name) as never);
      return { query: (q) => flexQuery(index, q), close: () => undefined, index } as Opened & { index: FlexDoc };
    },
    async add20(db, opened) {
      const index = (opened as Opened & { index: FlexDoc }).index;
      // The 20 in one commit (the commit's removal pass reads the whole stored index once).
      for (const d of await storeNew(db)) index.add(d);
      await index.commit();
    },
  };
};

const ENGINES: Record<EngineName, (size: number) => Engine> = { offprint, minisearch, flexsearch, 'flexsearch-idb': flexsearchIdb };

/** Heap growth above the collected floor while fn runs (sampled every 5 ms and at the end). */
async function peakDuring(fn: () => Promise<void>): Promise<{ ms: number; peakMb: number }> {
  gc();
  const floor = heap();
  let top = floor;
  const timer = setInterval(() => (top = Math.max(top, heap())), 5);
  const t0 = performance.now();
  await fn();
  const ms = performance.now() - t0;
  clearInterval(timer);
  top = Math.max(top, heap());
  return { ms, peakMb: (top - floor) / 2 ** 20 };
}

export async function measureEngine(name: EngineName, size: number): Promise<EngineFigures> {
  const db = new OffprintDB(`peers-${name}-${size}-${Date.now()}`);
  await db.open();
  const reference = new StreamingReference(QUERIES, size);
  const engine = ENGINES[name](size);
  let build = { ms: NaN, peakMb: NaN };
  // Offprint's library and index from the scale bench's snapshot when there is one (SCALE_SNAPSHOT_DIR): no build figures then.
  if (name === 'offprint' && hasSnapshot(snapshotDir(size))) await storeAndBuild(db, size, reference);
  else {
    await storeLibrary(db, size, (a, i) => reference.add(a, i));
    const snapshot = name === 'flexsearch-idb' && hasSnapshot(flexSnapshotDir(size));
    build = await peakDuring(() => engine.build(db));
    // Loaded from a snapshot: no build figures.
    if (snapshot) build = { ms: NaN, peakMb: NaN };
  }

  const texts = () => new LruCache<string, string>(2 * 2 ** 20);
  // Two readers, alternating: one types as soon as the popup opens (open + first query: what they wait
  // for), one types after whatever the engine does at open has finished (open, then first query).
  const opens: { open: number; first: number; atOnce: number; atOnceCpu: number; hits: number; exact: number; exactCpu: number; exactHits: number }[] = [];
  // Typing at once: the bench's typo query, then (another open) a word as it is in the library.
  const atOnceWith = async (q: string) => {
    gc();
    await new Promise((r) => setTimeout(r, 300));
    const start = performance.now();
    const cpu0 = process.cpuUsage();
    const o = await engine.open(db);
    const r = await o.query(q);
    if (name !== 'offprint') await shown(db, r.ids, r.terms, texts());
    const ms = performance.now() - start;
    const cpu = process.cpuUsage(cpu0);
    await o.ready;
    o.close();
    return { ms, cpuMs: (cpu.user + cpu.system) / 1000, hits: r.ids.length };
  };
  for (let i = 0; i < 3; i++) {
    const typo = await atOnceWith(QUERIES[5]!);
    const exact = await atOnceWith(QUERIES[0]!);
    gc();
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    const opened = await engine.open(db);
    await opened.ready;
    const t1 = performance.now();
    const res = await opened.query(QUERIES[5]!);
    if (name !== 'offprint') await shown(db, res.ids, res.terms, texts());
    opens.push({ open: t1 - t0, first: performance.now() - t1, atOnce: typo.ms, atOnceCpu: typo.cpuMs, hits: typo.hits, exact: exact.ms, exactCpu: exact.cpuMs, exactHits: exact.hits });
    opened.close();
  }

  // Every query of the bench as the reader's first, one open each: no one query decides the figure.
  const each: { ms: number; cpuMs: number; hits: number }[] = [];
  for (const q of QUERIES) each.push(await atOnceWith(q));

  gc();
  const before = heap();
  const opened = await engine.open(db);
  await opened.ready;
  gc();
  const openHeapMb = (heap() - before) / 2 ** 20;

  const cache = texts();
  // Round 0 (each query's first run) is reported apart; warm figures are the ROUNDS after it, as in the scale bench.
  const firstRound: number[] = [];
  const times: number[] = [];
  const found = new Map<number, string[]>();
  for (let r = 0; r <= ROUNDS; r++) {
    for (const [q, query] of QUERIES.entries()) {
      const t0 = performance.now();
      const { ids, terms } = await opened.query(query);
      if (name !== 'offprint') await shown(db, ids, terms, cache);
      (r === 0 ? firstRound : times).push(performance.now() - t0);
      found.set(q, ids.slice(0, 10));
    }
  }
  let valid = 0;
  let count = 0;
  let empty = 0;
  found.forEach((ids, q) => {
    if (!ids.length) empty++;
    for (const id of ids) valid += reference.valid(q, id) ? 1 : 0;
    count += ids.length;
  });

  const t2 = performance.now();
  await engine.add20(db, opened);
  const add20Ms = performance.now() - t2;
  opened.close();
  const med = (xs: number[]) => percentile(xs, 50);
  return {
    engine: name,
    valid10: count ? valid / count : 0,
    emptyQueries: empty,
    p50Ms: percentile(times, 50),
    p95Ms: percentile(times, 95),
    firstRoundP95Ms: percentile(firstRound, 95),
    firstQueryMs: med(opens.map((o) => o.first)),
    openFirstQueryMs: med(opens.map((o) => o.atOnce)),
    openFirstQueryCpuMs: med(opens.map((o) => o.atOnceCpu)),
    openQueryHits: med(opens.map((o) => o.hits)),
    openFirstExactQueryMs: med(opens.map((o) => o.exact)),
    openFirstExactQueryCpuMs: med(opens.map((o) => o.exactCpu)),
    openExactQueryHits: med(opens.map((o) => o.exactHits)),
    openEachQueryMs: med(each.map((o) => o.ms)),
    openEachQueryCpuMs: med(each.map((o) => o.cpuMs)),
    openEachQueryEmpty: each.filter((o) => o.hits === 0).length,
    openEachQueryAllMs: each.map((o) => o.ms),
    openThenFirstQueryMs: med(opens.map((o) => o.open + o.first)),
    openHeapMb,
    buildMs: build.ms,
    buildPeakMb: build.peakMb,
    add20Ms,
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const [name, size] = process.argv.slice(2);
  const figures = await measureEngine(name as EngineName, Number(size));
  console.log(`PEER ${JSON.stringify(figures)}`);
  process.exit(0);
}
