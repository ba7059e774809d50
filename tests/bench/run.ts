// `npm run bench`: runs every bench area (or those named on the command
// line), prints a table and writes bench-results.json.
import 'fake-indexeddb/auto';
import { writeFileSync } from 'node:fs';
import type { BenchArea, BenchResult } from './result';

const areas: Record<string, () => Promise<{ default: BenchArea }>> = {
  // Each issue adds its area here: feeds, capture, popup, search, import.
  capture: () => import('./capture'),
  popup: () => import('./popup'),
  feeds: () => import('./feeds'),
  import: () => import('./import'),
  search: () => import('./search'),
  library: () => import('./library'),
  fulltext: () => import('./fulltext'),
  highlights: () => import('./highlights'),
  sync: () => import('./sync'),
  // Slow; run only when named: `npm run bench -- scale` / `-- peers` (issue 12).
  scale: () => import('./search-scale'),
  peers: () => import('./search-peers'),
  sanitizer: () => import('./sanitizer'),
};
const onlyWhenNamed = new Set(['scale', 'peers']);

const wanted = process.argv.slice(2);
const results: BenchResult[] = [];
for (const [name, load] of Object.entries(areas)) {
  if (wanted.length ? !wanted.includes(name) : onlyWhenNamed.has(name)) continue;
  console.log(`▸ ${name}`);
  const area = (await load()).default;
  results.push(...(await area()));
}

console.table(results.map((r) => ({ name: r.name, value: r.value, unit: r.unit, baseline: r.baseline ?? '', ratio: r.ratio ?? '' })));
writeFileSync('bench-results.json', JSON.stringify(results, null, 2) + '\n');
console.log(`wrote bench-results.json (${results.length} results)`);
