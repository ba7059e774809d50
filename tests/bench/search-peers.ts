// `npm run bench -- peers`: Offprint beside MiniSearch and FlexSearch 0.8
// (in memory, and with its IndexedDB adapter) over the same 20,000-article
// library and the same 20 queries (PEERS_ARTICLES to change the size). Each
// engine runs in a process of its own, the engines interleaved, PEERS_RUNS
// times (default 2); every figure is the median over runs, with its range.
// PEERS_ENGINES=offprint,flexsearch-idb runs only those; with SCALE_SNAPSHOT_DIR
// Offprint's library and index come from the scale bench's snapshot (no build
// figures). open_first_query is what a reader who types as the popup opens
// waits for; open_then_first_query adds what the engine does at open in the
// background (Offprint's rehearsal) before the first query. Every engine
// reads rows and texts through the library's open connection; peers open
// their own index storage, Offprint's index is in the library database.
// open_first_exact_query types a word as it is in the library (QUERIES[0]):
// FlexSearch, having no typo matching, answers the typo query with nothing.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CHILD_NODE, REPO_ROOT, round, type BenchArea, type BenchResult } from './result';
import type { EngineFigures, EngineName } from './search-peers-engine';

const SIZE = Number(process.env.PEERS_ARTICLES ?? 20000);
const RUNS = Number(process.env.PEERS_RUNS ?? 2);
const ALL_ENGINES: EngineName[] = ['offprint', 'minisearch', 'flexsearch', 'flexsearch-idb'];
/** PEERS_ENGINES=offprint,flexsearch-idb to run only some (the ratios need offprint and a peer). */
const ENGINES = process.env.PEERS_ENGINES ? ALL_ENGINES.filter((e) => process.env.PEERS_ENGINES!.split(',').includes(e)) : ALL_ENGINES;
const PEERS = ENGINES.filter((e) => e !== 'offprint');
const run = promisify(execFile);


async function measure(engine: EngineName): Promise<EngineFigures> {
  const script = new URL('./search-peers-engine.ts', import.meta.url).pathname;
  const { stdout } = await run(process.execPath, [...CHILD_NODE, script, engine, String(SIZE)], { maxBuffer: 1 << 24, cwd: REPO_ROOT });
  const line = stdout.split('\n').find((l) => l.startsWith('PEER '));
  if (!line) throw new Error(`no figures from ${engine}`);
  return JSON.parse(line.slice(5)) as EngineFigures;
}

const FIGURES: { key: keyof EngineFigures; name: string; unit: string; digits?: number }[] = [
  { key: 'valid10', name: 'valid10', unit: 'ratio', digits: 3 },
  { key: 'emptyQueries', name: 'empty_queries', unit: 'queries' },
  { key: 'p50Ms', name: 'p50_ms', unit: 'ms' },
  { key: 'p95Ms', name: 'p95_ms', unit: 'ms' },
  { key: 'firstRoundP95Ms', name: 'first_round_p95_ms', unit: 'ms' },
  { key: 'firstQueryMs', name: 'first_query_ms', unit: 'ms' },
  { key: 'openFirstQueryMs', name: 'open_first_query_ms', unit: 'ms' },
  { key: 'openFirstQueryCpuMs', name: 'open_first_query_cpu_ms', unit: 'ms' },
  { key: 'openQueryHits', name: 'open_query_hits', unit: 'results' },
  { key: 'openFirstExactQueryMs', name: 'open_first_exact_query_ms', unit: 'ms' },
  { key: 'openFirstExactQueryCpuMs', name: 'open_first_exact_query_cpu_ms', unit: 'ms' },
  { key: 'openExactQueryHits', name: 'open_exact_query_hits', unit: 'results' },
  { key: 'openEachQueryMs', name: 'open_each_query_ms', unit: 'ms' },
  { key: 'openEachQueryCpuMs', name: 'open_each_query_cpu_ms', unit: 'ms' },
  { key: 'openEachQueryEmpty', name: 'open_each_query_empty', unit: 'queries' },
  { key: 'openThenFirstQueryMs', name: 'open_then_first_query_ms', unit: 'ms' },
  { key: 'openHeapMb', name: 'open_heap_mb', unit: 'MB' },
  { key: 'buildMs', name: 'build_ms', unit: 'ms' },
  { key: 'buildPeakMb', name: 'build_peak_mb', unit: 'MB' },
  { key: 'add20Ms', name: 'add20_ms', unit: 'ms' },
];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const bench: BenchArea = async () => {
  const byEngine = new Map<EngineName, EngineFigures[]>(ENGINES.map((e) => [e, []]));
  for (let r = 0; r < RUNS; r++) {
    // Each run in another order, so no engine always runs first on a warmer (or busier) machine.
    const order = ENGINES.map((_, i) => ENGINES[(i + r) % ENGINES.length]!);
    for (const engine of order) {
      console.log(`  peers: ${engine} at ${SIZE} (run ${r + 1} of ${RUNS})`);
      try {
        const f = await measure(engine);
        byEngine.get(engine)!.push(f);
        console.log(`  ${JSON.stringify(f, (_, v: unknown) => (typeof v === 'number' ? round(v, 3) : v))}`);
      } catch (err) {
        console.warn(`peers: ${engine} failed: ${err instanceof Error ? err.message.split('\n').slice(0, 5).join(' ') : String(err)}`);
      }
    }
  }
  const results: BenchResult[] = [];
  const med = (engine: EngineName, key: keyof EngineFigures) => {
    const runs = byEngine.get(engine) ?? [];
    return runs.length ? median(runs.map((f) => f[key] as number)) : undefined;
  };
  for (const engine of ENGINES) {
    const runs = byEngine.get(engine)!;
    if (!runs.length) continue;
    const prefix = engine === 'offprint' ? 'search.peers.offprint' : `search.peers.${engine}`;
    for (const f of FIGURES) {
      const xs = runs.map((x) => x[f.key] as number).filter((x) => Number.isFinite(x));
      if (!xs.length) continue;
      results.push({ name: `${prefix}.${f.name}_${SIZE}`, value: round(median(xs), f.digits ?? 2), unit: f.unit });
      if (runs.length > 1) console.log(`  ${prefix}.${f.name}: ${xs.map((x) => round(x, f.digits ?? 2)).join(' / ')}`);
    }
  }
  // Against the fastest peer on each figure, whatever its quality.
  const ratio = (name: string, key: keyof EngineFigures) => {
    const ours = med('offprint', key);
    const peers = PEERS.filter((p) => ENGINES.includes(p)).map((p) => med(p, key)).filter((x): x is number => x !== undefined);
    if (ours === undefined || !peers.length) return;
    const fastest = Math.min(...peers);
    results.push({ name: `${name}_${SIZE}`, value: round(ours / fastest, 3), unit: 'ratio', baseline: round(fastest), ratio: round(ours / fastest, 3) });
  };
  ratio('search.p95.ratio_to_fastest_peer', 'p95Ms');
  ratio('search.open_first_query.ratio_to_fastest_peer', 'openFirstQueryMs');
  // Like for like: a query every engine answers (FlexSearch gives nothing for the typo query above).
  ratio('search.open_first_exact_query.ratio_to_fastest_peer', 'openFirstExactQueryMs');
  // Every one of the 20 queries as the first after an open (the median): the same queries, none chosen.
  ratio('search.open_each_query.ratio_to_fastest_peer', 'openEachQueryMs');
  return results;
};

export default bench;
