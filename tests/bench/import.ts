// Import bench: restoring a generated 5,000-article backup (the path a
// Pocket or Omnivore refugee's whole library takes), against a same-run
// baseline of writing the same records straight into IndexedDB. The ratio
// comes from Chromium (the real restore path: the page's DOM sanitizes,
// real IndexedDB), both sides in the same page; Node (fake-indexeddb, jsdom
// sanitizing) gives the time and peak heap.
import { serveBenchPage } from './bench-page';
import { chromium } from 'playwright-core';
import { OffprintDB } from '../../lib/db/schema';
import type { Article } from '../../lib/db/types';
import { restoreBackup, serializeBackup, validateBackup } from '../../lib/io/backup';
import { findChromium } from '../e2e/harness/chromium';
import { jsdomPrepare } from '../unit/helpers/sanitize';
import { generateBackup } from './import-backup';
import type { ImportFigures } from './import-browser-entry';
import { measurePeakHeap, percentile, round, withRatio, type BenchArea, type BenchResult } from './result';

export { generateBackup } from './import-backup';

const COUNT = 5000;
const BROWSER_ROUNDS = 5;

let dbCounter = 0;
const freshDb = () => new OffprintDB(`bench-import-${++dbCounter}-${Date.now()}`);

/** Rounds of restore vs direct writes in one Chromium page (served from 127.0.0.1). */
async function inChromium(count: number, rounds: number): Promise<ImportFigures[]> {
  const server = await serveBenchPage('./import-browser-entry.ts', 'import bench');
  const browser = await chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(0);
    await page.goto(server.url);
    const out: ImportFigures[] = [];
    for (let r = 0; r < rounds; r++) {
      out.push(await page.evaluate(([n, i]) => (globalThis as unknown as { importRound: (n: number, i: number) => Promise<ImportFigures> }).importRound(n, i), [count, r] as const));
    }
    return out;
  } finally {
    await browser.close();
    server.close();
  }
}

const area: BenchArea = async () => {
  const json = serializeBackup(generateBackup(COUNT));
  console.log(`  backup file: ${(json.length / 1024 / 1024).toFixed(1)} MB, ${COUNT} articles`);

  // Baseline: the same records written with two bulkPuts, no parsing, checks or merging.
  const raw = generateBackup(COUNT).articles;
  const baseDb = freshDb();
  const baseline = await measurePeakHeap(async () => {
    await baseDb.transaction('rw', baseDb.articles, baseDb.contents, async () => {
      await baseDb.articles.bulkPut(raw.map(({ html: _h, text: _t, ...a }) => a as Article));
      await baseDb.contents.bulkPut(raw.map((a) => ({ id: a.id, html: a.html, text: a.text })));
    });
  });
  baseDb.close();

  const db = freshDb();
  const prepare = jsdomPrepare();
  const run = await measurePeakHeap(async () => {
    const backup = validateBackup(JSON.parse(json));
    return restoreBackup(db, backup, { prepare });
  });
  if (run.result.added !== COUNT) throw new Error(`restored ${run.result.added} of ${COUNT}`);
  if ((await db.articles.count()) !== COUNT) throw new Error('article count mismatch after restore');
  db.close();

  const mb = (bytes: number) => bytes / 1024 / 1024;
  const results: BenchResult[] = [
    withRatio('import.backup5000.ms', run.ms, baseline.ms),
    withRatio('import.backup5000_peak_mb', mb(run.peakBytes), Math.max(mb(baseline.peakBytes), 0.01), 'MB'),
  ];
  try {
    const rounds = await inChromium(COUNT, BROWSER_ROUNDS);
    if (rounds.some((r) => r.added !== COUNT)) throw new Error(`restored ${rounds.map((r) => r.added).join(', ')} of ${COUNT}`);
    const restoreMs = percentile(rounds.map((r) => r.restoreMs), 50);
    const directMs = percentile(rounds.map((r) => r.directMs), 50);
    // Each round's two halves run back to back (alternating which goes first): a swing of the
    // machine's load moves both alike, so the figure is the median of the rounds' own ratios.
    const ratios = rounds.map((r) => r.restoreMs / r.directMs).sort((a, b) => a - b);
    console.log(`  Chromium rounds: ${rounds.map((r) => `${Math.round(r.restoreMs)}/${Math.round(r.directMs)} ms`).join(', ')}`);
    results.push(
      // A row named "ratio" carries the ratio as its value (DEVELOPERS.md).
      { name: 'import.backup5000.ratio_to_direct', value: round(percentile(ratios, 50), 3), unit: 'ratio', baseline: round(directMs) },
      { name: 'import.backup5000.ratio_to_direct.min', value: round(ratios[0]!, 3), unit: 'ratio' },
      { name: 'import.backup5000.ratio_to_direct.max', value: round(ratios.at(-1)!, 3), unit: 'ratio' },
      withRatio('import.chromium_backup5000_ms', restoreMs, directMs),
    );
  } catch (err) {
    console.warn(`import: Chromium part skipped: ${err instanceof Error ? err.message : String(err)}`);
  }
  return results;
};

export default area;
