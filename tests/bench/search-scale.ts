// `npm run bench -- scale`: the search figures at 5,000, 20,000 and 50,000
// articles (SCALE_SIZES=5000,20000 to choose) in Node with fake-indexeddb,
// then in Chromium's real IndexedDB (SCALE_BROWSER_SIZES, default 5000,50000;
// SCALE_BROWSER=0 to skip). Each size is a fresh database; the library is
// generated and stored in slices, never held whole. SCALE_SNAPSHOT_DIR keeps
// built libraries for later runs (search-scale-snapshot.ts); SCALE_ADD_BASE=5000
// measures add1 beside a 5,000 library in each size's own process.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { PerformanceObserver } from 'node:perf_hooks';
import { OffprintDB } from '../../lib/db/schema';
import { storeArticles } from '../../lib/library/store';
import { compactVocabulary, continueBuild, readDocBlocks, readState, removeFromIndex, searchTables, startBuild } from '../../lib/search/indexer';
import { LibrarySearch } from '../../lib/search/search';
import { blockIds, storedBlockIds, type VocabularyRecord } from '../../lib/search/records';
import { startsOfJoined } from '../../lib/search/vocabulary';
import { CHILD_NODE, REPO_ROOT, percentile, round, type BenchArea, type BenchResult } from './result';
import { generateArticles, generateLibrary, QUERIES, type SyntheticArticle } from './search-library';
import { StreamingReference } from './search-scale-reference';
import { runScaleInChromium } from './search-scale-browser';
import { hasSnapshot, loadSnapshot, saveSnapshot, snapshotDir } from './search-scale-snapshot';

const sizes = (env: string | undefined, fallback: number[]) => (env === '0' ? [] : env ? env.split(',').map(Number) : fallback);
const ROUNDS = 5;
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const heap = () => process.memoryUsage().heapUsed;
/** CPU time of this process: on a shared machine it shows the cost without other processes' noise. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export async function storeLibrary(db: OffprintDB, size: number, each?: (a: SyntheticArticle, i: number) => void): Promise<void> {
  let slice: SyntheticArticle[] = [];
  const flush = async () => {
    await db.transaction('rw', db.articles, db.contents, async () => {
      await db.articles.bulkAdd(slice.map((s) => s.article));
      await db.contents.bulkAdd(slice.map((s) => s.content));
    });
    slice = [];
  };
  let i = 0;
  for (const a of generateArticles(size)) {
    each?.(a, i++);
    slice.push(a);
    if (slice.length === 500) await flush();
  }
  if (slice.length) await flush();
}

/**
 * With SCALE_PROFILE_DIR set: a CPU profile from here to the returned
 * function's call, written as <dir>/<name>.cpuprofile (open in DevTools).
 */
async function startProfile(): Promise<((name: string) => Promise<void>) | undefined> {
  const dir = process.env.SCALE_PROFILE_DIR;
  if (!dir) return undefined;
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return async (name) => {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    writeFileSync(`${dir}/${name}.cpuprofile`, JSON.stringify(profile));
    session.disconnect();
  };
}

/** Garbage collections from now on; `within` gives the collection time inside each window (performance.now() times). */
function collectGc(): { within(windows: [number, number][]): Promise<number[]> } {
  const entries: { start: number; end: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) entries.push({ start: e.startTime, end: e.startTime + e.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    async within(windows) {
      await new Promise((r) => setTimeout(r, 50)); // observers are called asynchronously
      observer.disconnect();
      return windows.map(([a, b]) => entries.reduce((sum, e) => sum + Math.max(0, Math.min(b, e.end) - Math.max(a, e.start)), 0));
    },
  };
}

/** New articles as a poll or a clip brings them. */
export function newArticles(count: number, seed: number) {
  return generateLibrary(count, seed).map(({ article, content }, i) => ({
    ...article,
    url: `${article.url}-new-${seed}-${i}`,
    guid: `new-${seed}-${i}`,
    html: content.html,
    text: content.text,
  }));
}

/**
 * The build, a chunk at a time, with the heap collected before each chunk:
 * the peak above that floor is the build's own working memory (what
 * fake-indexeddb holds, the stored data, is in the floor).
 */
async function measureBuild(db: OffprintDB): Promise<{ ms: number; cpuMs: number; peakMb: number }> {
  await startBuild(db);
  let ms = 0;
  let cpu = 0;
  let peak = 0;
  for (;;) {
    const state = await readState(db);
    if (!state?.build) break;
    gc();
    const floor = heap();
    let top = floor;
    const timer = setInterval(() => (top = Math.max(top, heap())), 2);
    const t0 = performance.now();
    const c0 = cpuMs();
    await continueBuild(db, { maxChunks: 1 });
    ms += performance.now() - t0;
    cpu += cpuMs() - c0;
    clearInterval(timer);
    top = Math.max(top, heap());
    peak = Math.max(peak, top - floor);
  }
  return { ms, cpuMs: cpu, peakMb: peak / 2 ** 20 };
}

/**
 * The library stored and its index built (the build measured), or both
 * loaded from a snapshot (SCALE_SNAPSHOT_DIR, see search-scale-snapshot.ts):
 * then there are no build figures.
 */
export async function storeAndBuild(db: OffprintDB, size: number, reference?: StreamingReference) {
  const dir = snapshotDir(size);
  const t0 = performance.now();
  if (hasSnapshot(dir)) {
    let i = 0;
    if (reference) for (const a of generateArticles(size)) reference.add(a, i++);
    await loadSnapshot(db, dir);
    // A snapshot saved before compactions stored term starts, or while they still wrote the length tables: as a compaction now writes it.
    const vocab = (await db.searchMeta.get('vocab')) as VocabularyRecord | undefined;
    if (vocab && (!vocab.starts || vocab.byLength)) {
      const { byLength: _b, lengthStarts: _l, ...current } = vocab;
      await db.searchMeta.put({ ...current, starts: current.starts ?? startsOfJoined(current.words) } as VocabularyRecord as never);
    }
    // Blocks saved before their ids were joined: as a change now writes them.
    const blocks = await readDocBlocks(db);
    if (blocks.some((b) => Array.isArray(b.ids))) await db.searchMeta.bulkPut(blocks.map((b) => ({ ...b, ids: storedBlockIds(blockIds(b.ids)) })) as never);
    console.log(`  ${size}: library and index loaded from ${dir} in ${Math.round(performance.now() - t0)} ms`);
    return undefined;
  }
  await storeLibrary(db, size, (a, i) => reference?.add(a, i));
  console.log(`  ${size}: library stored in ${Math.round(performance.now() - t0)} ms`);
  const build = await measureBuild(db);
  console.log(`  ${size}: built in ${Math.round(build.ms)} ms (${Math.round(build.cpuMs)} ms CPU), peak ${build.peakMb.toFixed(1)} MB`);
  if (dir) {
    const t1 = performance.now();
    await saveSnapshot(db, dir);
    console.log(`  ${size}: snapshot saved to ${dir} in ${Math.round(performance.now() - t1)} ms`);
  }
  return build;
}

export async function measureSize(size: number): Promise<BenchResult[]> {
  const db = new OffprintDB(`bench-scale-${size}-${Date.now()}`);
  await db.open();
  const reference = new StreamingReference(QUERIES, size);
  const build = await storeAndBuild(db, size, reference);

  // A popup opening: a new connection, the vocabulary loaded, then the first query.
  db.close();
  const opens: { openMs: number; firstMs: number }[] = [];
  for (let i = 0; i < 3; i++) {
    // A popup is a fresh page with a small heap: collect first (and let the
    // sweeping finish), so a pause for fake-indexeddb's library-sized heap
    // (Node only) does not land in the open or the first query.
    gc();
    await new Promise((r) => setTimeout(r, 300));
    const t1 = performance.now();
    const fresh = new OffprintDB(db.name);
    const cold = new LibrarySearch(fresh);
    await cold.warm();
    const t2 = performance.now();
    await cold.search(QUERIES[5]!);
    opens.push({ openMs: t2 - t1, firstMs: performance.now() - t2 });
    fresh.close();
  }
  await db.open();
  gc();
  const before = heap();
  const held = new LibrarySearch(db);
  await held.warm();
  gc();
  const heldMb = (heap() - before) / 2 ** 20;

  const cacheBefore = await held.cacheStats();
  const profile = await startProfile();
  // Round 0 is the first time each query runs (its postings and texts read from the store, code not yet
  // optimized): reported apart as first_round. The warm figures are the ROUNDS after it.
  const firstRound: number[] = [];
  const gcs = collectGc();
  const windows: [number, number][] = [];
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const found = new Map<number, string[]>();
  for (let r = 0; r <= ROUNDS; r++) {
    for (const [q, query] of QUERIES.entries()) {
      const t1 = performance.now();
      const c1 = cpuMs();
      const res = await held.search(query);
      if (r === 0) firstRound.push(performance.now() - t1);
      else {
        const t2 = performance.now();
        times.push(t2 - t1);
        windows.push([t1, t2]);
        cpuTimes.push(cpuMs() - c1);
      }
      found.set(q, res.hits.slice(0, 10).map((h) => h.article.id));
    }
  }
  await profile?.(`queries-${size}`);
  const gcMs = await gcs.within(windows);
  // Hit rates of the keystrokes' caches over every round (the first round's reads included).
  const cacheAfter = await held.cacheStats();
  const hitRate = (k: 'postings' | 'texts') => {
    const hits = (cacheAfter?.[k].hits ?? 0) - (cacheBefore?.[k].hits ?? 0);
    const misses = (cacheAfter?.[k].misses ?? 0) - (cacheBefore?.[k].misses ?? 0);
    return hits + misses ? hits / (hits + misses) : 0;
  };
  // Allocation per warm query: the heap and array buffers grown over one query after a young-generation
  // collection (a query allocates far less than the young generation holds, so none runs inside it).
  const allocs: number[] = [];
  for (const query of QUERIES) {
    (globalThis as { gc?: (o: object) => void }).gc?.({ type: 'minor', execution: 'sync' });
    const m0 = process.memoryUsage();
    await held.search(query);
    const m1 = process.memoryUsage();
    allocs.push(m1.heapUsed - m0.heapUsed + (m1.arrayBuffers - m0.arrayBuffers));
  }
  const timesWithoutGc = times.map((t, i) => t - gcMs[i]!);
  let recall = 0;
  let recallN = 0;
  let valid = 0;
  let shown = 0;
  let empty = 0;
  QUERIES.forEach((_, q) => {
    const got = found.get(q) ?? [];
    if (got.length === 0) empty++;
    for (const id of got) valid += reference.valid(q, id) ? 1 : 0;
    shown += got.length;
    const want = reference.expected(q);
    if (!want.length) return;
    const gotSet = new Set(got);
    recall += want.filter((id) => gotSet.has(id)).length / want.length;
    recallN++;
  });

  // One article at a time, as a clip: stored and indexed in one transaction. Then removed.
  // With SCALE_ADD_BASE (a smaller size, e.g. 5000), a library of that size is loaded in this same process
  // and the adds alternate between the two, so their ratio is not a comparison of two runs on a shared machine.
  const baseSize = Number(process.env.SCALE_ADD_BASE ?? 0);
  const baseDb = baseSize && baseSize !== size ? new OffprintDB(`bench-scale-base-${baseSize}-${Date.now()}`) : undefined;
  if (baseDb) {
    await baseDb.open();
    await storeAndBuild(baseDb, baseSize);
  }
  const addProfile = await startProfile();
  const add: number[] = [];
  const addCpu: number[] = [];
  const remove: number[] = [];
  const baseAdd: number[] = [];
  const baseAddCpu: number[] = [];
  let n = 0;
  const addOne = async (target: OffprintDB, i: number, times: number[], cpu: number[], removes?: number[]) => {
    const t1 = performance.now();
    const c1 = cpuMs();
    const [stored] = await storeArticles(target, newArticles(1, 100 + i), { now: () => Date.now(), newId: () => `new-${size}-${n++}` });
    times.push(performance.now() - t1);
    cpu.push(cpuMs() - c1);
    const t2 = performance.now();
    await target.transaction('rw', [target.articles, target.contents, ...searchTables(target)], async () => {
      await target.articles.delete(stored!.id);
      await target.contents.delete(stored!.id);
      await removeFromIndex(target, [stored!.id]);
    });
    removes?.push(performance.now() - t2);
  };
  for (let i = 0; i < 15; i++) {
    // Which library goes first alternates too.
    if (baseDb && i % 2) await addOne(baseDb, i, baseAdd, baseAddCpu);
    await addOne(db, i, add, addCpu, remove);
    if (baseDb && !(i % 2)) await addOne(baseDb, i, baseAdd, baseAddCpu);
  }
  if (baseDb) {
    baseDb.close();
    await OffprintDB.delete(baseDb.name);
  }
  await addProfile?.(`adds-${size}`);
  const t3 = performance.now();
  const twenty = await storeArticles(db, newArticles(20, 7), { now: () => Date.now(), newId: () => `new20-${size}-${n++}` });
  const add20 = performance.now() - t3;
  void twenty;
  // What the background does once deltas pile up.
  const t4 = performance.now();
  await compactVocabulary(db);
  const compactMs = performance.now() - t4;
  const state = await readState(db);
  db.close();
  await OffprintDB.delete(db.name);

  const s = `_${size}`;
  const med = (xs: number[]) => percentile(xs, 50);
  console.log(`  ${size}: p95 ${percentile(times, 95).toFixed(1)} ms (CPU ${percentile(cpuTimes, 95).toFixed(1)}, without GC ${percentile(timesWithoutGc, 95).toFixed(1)}), add1 ${med(add).toFixed(1)} ms (CPU ${med(addCpu).toFixed(1)}), recall ${(recall / recallN).toFixed(3)}`);
  return [
    ...(build
      ? [
          { name: `search.build_ms${s}`, value: round(build.ms), unit: 'ms' },
          { name: `search.build_cpu_ms${s}`, value: round(build.cpuMs), unit: 'ms' },
          { name: `search.build_peak_mb${s}`, value: round(build.peakMb), unit: 'MB' },
        ]
      : []),
    { name: `search.vocabulary_terms${s}`, value: state?.vocabSize ?? 0, unit: 'terms' },
    { name: `search.open_ms${s}`, value: round(med(opens.map((o) => o.openMs))), unit: 'ms' },
    { name: `search.first_query_ms${s}`, value: round(med(opens.map((o) => o.firstMs))), unit: 'ms' },
    { name: `search.open_first_query_ms${s}`, value: round(med(opens.map((o) => o.openMs + o.firstMs))), unit: 'ms' },
    { name: `search.open_heap_mb${s}`, value: round(heldMb), unit: 'MB' },
    { name: `search.p50_ms${s}`, value: round(percentile(times, 50)), unit: 'ms' },
    { name: `search.p95_ms${s}`, value: round(percentile(times, 95)), unit: 'ms' },
    { name: `search.p95_cpu_ms${s}`, value: round(percentile(cpuTimes, 95)), unit: 'ms' },
    // What a collection of fake-indexeddb's heap (the whole library and index, in Node only) adds to the queries it lands in.
    { name: `search.p95_without_gc_ms${s}`, value: round(percentile(timesWithoutGc, 95)), unit: 'ms' },
    { name: `search.queries_gc_ms${s}`, value: round(gcMs.reduce((a, b) => a + b, 0)), unit: 'ms' },
    { name: `search.first_round_p95_ms${s}`, value: round(percentile(firstRound, 95)), unit: 'ms' },
    { name: `search.postings_cache_hit_rate${s}`, value: round(hitRate('postings'), 3), unit: 'ratio' },
    { name: `search.postings_cache_mb${s}`, value: round((cacheAfter?.postings.bytes ?? 0) / 2 ** 20), unit: 'MB' },
    { name: `search.postings_cache_max_mb${s}`, value: round((cacheAfter?.postings.maxBytes ?? 0) / 2 ** 20), unit: 'MB' },
    { name: `search.texts_cache_hit_rate${s}`, value: round(hitRate('texts'), 3), unit: 'ratio' },
    { name: `search.query_alloc_kb${s}`, value: round(percentile(allocs, 50) / 1024), unit: 'KB' },
    { name: `search.query_alloc_p95_kb${s}`, value: round(percentile(allocs, 95) / 1024), unit: 'KB' },
    { name: `search.slowest_query_ms${s}`, value: round(Math.max(...times)), unit: 'ms' },
    { name: `search.recall10${s}`, value: round(recall / recallN, 3), unit: 'ratio' },
    { name: `search.valid10${s}`, value: round(shown ? valid / shown : 0, 3), unit: 'ratio' },
    { name: `search.empty_queries${s}`, value: empty, unit: 'queries' },
    { name: `search.add1_ms${s}`, value: round(med(add)), unit: 'ms' },
    { name: `search.add1_p95_ms${s}`, value: round(percentile(add, 95)), unit: 'ms' },
    { name: `search.add1_cpu_ms${s}`, value: round(med(addCpu)), unit: 'ms' },
    { name: `search.remove1_ms${s}`, value: round(med(remove)), unit: 'ms' },
    ...(baseAdd.length
      ? [
          { name: `search.add1.ratio${s}_to_${baseSize}`, value: round(med(add) / med(baseAdd), 3), unit: 'ratio', baseline: round(med(baseAdd)), ratio: round(med(add) / med(baseAdd), 3) },
          { name: `search.add1_cpu.ratio${s}_to_${baseSize}`, value: round(med(addCpu) / med(baseAddCpu), 3), unit: 'ratio', baseline: round(med(baseAddCpu)), ratio: round(med(addCpu) / med(baseAddCpu), 3) },
          { name: `search.add1_ms_${baseSize}_beside${s}`, value: round(med(baseAdd)), unit: 'ms' },
        ]
      : []),
    { name: `search.add20_ms${s}`, value: round(add20), unit: 'ms' },
    { name: `search.compact_ms${s}`, value: round(compactMs), unit: 'ms' },
  ];
}

/**
 * One size in a process of its own: fake-indexeddb keeps the whole library
 * and index in the JS heap (about 1 GB at 20,000 articles), so each size
 * starts from an empty heap, with room for 50,000 and a young generation
 * large enough that collections do not dominate the build.
 */
async function measureSizeInChild(size: number): Promise<BenchResult[]> {
  const script = new URL('./search-scale-size.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, [...CHILD_NODE, script, String(size)], { stdio: ['ignore', 'pipe', 'inherit'], cwd: REPO_ROOT });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    const text = d.toString();
    out += text;
    process.stdout.write(text.split('\n').filter((l) => !l.startsWith('SCALE ')).join('\n'));
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const line = out.split('\n').find((l) => l.startsWith('SCALE '));
  if (code !== 0 || !line) throw new Error(`scale ${size}: the child process failed (exit ${code})`);
  return JSON.parse(line.slice(6)) as BenchResult[];
}

const bench: BenchArea = async () => {
  const results: BenchResult[] = [];
  for (const size of sizes(process.env.SCALE_SIZES, [5000, 20000, 50000])) {
    console.log(`▸ scale ${size}`);
    const figures = await measureSizeInChild(size);
    // Printed as they come: a later size that fails must not lose them.
    console.log(`  ${JSON.stringify(figures.map((r) => [r.name, r.value]))}`);
    results.push(...figures);
  }
  const value = (name: string) => results.find((r) => r.name === name)?.value;
  const a5 = value('search.add1_ms_5000');
  const a50 = value('search.add1_ms_50000');
  // Across two processes only when the 50,000 one did not measure it beside a 5,000 library (SCALE_ADD_BASE=5000).
  const within = (name: string) => results.some((r) => r.name === name);
  if (a5 && a50 && !within('search.add1.ratio_50000_to_5000')) results.push({ name: 'search.add1.ratio_50000_to_5000', value: round(a50 / a5, 3), unit: 'ratio', baseline: a5 });
  const c5 = value('search.add1_cpu_ms_5000');
  const c50 = value('search.add1_cpu_ms_50000');
  if (c5 && c50 && !within('search.add1_cpu.ratio_50000_to_5000')) results.push({ name: 'search.add1_cpu.ratio_50000_to_5000', value: round(c50 / c5, 3), unit: 'ratio', baseline: c5 });
  const b5 = value('search.build_peak_mb_5000');
  const b50 = value('search.build_peak_mb_50000');
  if (b5 && b50) results.push({ name: 'search.build_peak.ratio_50000_to_5000', value: round(b50 / b5, 3), unit: 'ratio', baseline: b5 });
  if (process.env.SCALE_BROWSER !== '0') {
    for (const size of sizes(process.env.SCALE_BROWSER_SIZES, [5000, 50000])) {
      console.log(`▸ scale ${size} in Chromium`);
      try {
        results.push(...(await runScaleInChromium(size)));
      } catch (err) {
        console.warn(`scale: Chromium ${size} skipped: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  return results;
};

export default bench;
