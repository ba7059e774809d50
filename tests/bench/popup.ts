// Popup bench: how long popup.html takes to show its first rendered list
// with 5,000 and then 50,000 stored articles, against an empty popup
// measured in turns with it in the same bench process.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from '@playwright/test';
import { EXTENSION_DIR, launchWithExtension } from '../e2e/harness/launch';
import { percentile, round, withRatio, type BenchArea, type BenchResult } from './result';

const SIZES = [5000, 50_000];
const RUNS = 15;
/** Articles per IndexedDB transaction while filling the profile. */
const FILL_CHUNK = 5000;
const LIST_ROW = 'ul[aria-label="Articles"] li';

/** Opens popup.html in a new tab and returns ms until `selector` is rendered. */
async function timeOpen(context: BrowserContext, url: string, selector: string): Promise<number> {
  const page = await context.newPage();
  const t0 = performance.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForSelector(selector, { state: 'attached', timeout: 30_000 });
  const ms = performance.now() - t0;
  await page.close();
  return ms;
}

/**
 * Writes articles `from` … `to`-1 straight into the extension's IndexedDB
 * from one of its pages, FILL_CHUNK to a transaction (not through the UI:
 * 50,000 articles in seconds).
 */
async function fill(context: BrowserContext, url: string, from: number, to: number): Promise<void> {
  const page = await context.newPage();
  await page.goto(url);
  if (from === 0) await page.getByRole('heading', { name: 'Welcome to Offprint' }).waitFor();
  else await page.locator(LIST_ROW).first().waitFor();
  for (let start = from; start < to; start += FILL_CHUNK) await page.evaluate(writeArticles, [start, Math.min(to, start + FILL_CHUNK)] as const);
  await page.close();
}

/** Runs in the extension page: one readwrite transaction for articles start … end-1. */
async function writeArticles([start, end]: readonly [number, number]): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open('offprint');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const tx = db.transaction(['articles', 'contents'], 'readwrite');
  const day = 86_400_000;
  for (let i = start; i < end; i++) {
    const id = `bench-${i}`;
    const at = Date.UTC(2026, 0, 1) + i * (day / 4);
    tx.objectStore('articles').put({
      id,
      url: `https://medium.com/@writer${i % 40}/post-${i}`,
      guid: `https://medium.com/p/${i.toString(16)}`,
      source: i % 3 ? 'feed' : 'clip',
      box: i % 3 ? 'inbox' : 'saved',
      title: `Post ${i}: operating Kubernetes clusters without surprises`,
      author: `Writer ${i % 40}`,
      siteName: 'Medium',
      tags: i % 10 ? [] : ['k8s'],
      publishedAt: at,
      savedAt: at,
      sortAt: at,
      wordCount: 1200,
      readingMinutes: 5,
      isRead: i % 2 ? 1 : 0,
      starred: i % 50 ? 0 : 1,
      progress: 0,
      isPreview: 0,
      isReply: 0,
      offline: 'ready',
    });
    tx.objectStore('contents').put({ id, html: `<p>Body ${i}</p>`, text: `Body ${i}` });
  }
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

const popupBench: BenchArea = async () => {
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) throw new Error(`No built extension at ${EXTENSION_DIR}: run \`npm run build\` first.`);
  // Two profiles side by side, measured in turns, so load on the machine
  // weighs on both alike. No request leaves the browsers; port 9 (discard)
  // only satisfies the host mapping.
  const empty = await launchWithExtension(9);
  const full = await launchWithExtension(9);
  try {
    const emptyUrl = `chrome-extension://${empty.extensionId}/popup.html`;
    const fullUrl = `chrome-extension://${full.extensionId}/popup.html`;
    await timeOpen(empty.context, emptyUrl, '#welcome-title'); // warm-up
    const results: BenchResult[] = [];
    let stored = 0;
    for (const size of SIZES) {
      const t0 = performance.now();
      await fill(full.context, fullUrl, stored, size);
      console.log(`  popup: ${size - stored} articles written in ${Math.round(performance.now() - t0)} ms`);
      stored = size;
      await timeOpen(full.context, fullUrl, LIST_ROW); // warm-up
      const emptyMs: number[] = [];
      const fullMs: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        emptyMs.push(await timeOpen(empty.context, emptyUrl, '#welcome-title'));
        fullMs.push(await timeOpen(full.context, fullUrl, LIST_ROW));
      }
      const ms = percentile(fullMs, 50);
      const base = percentile(emptyMs, 50);
      // A row named "ratio" carries the ratio as its value (DEVELOPERS.md); the milliseconds have their own row.
      results.push({ name: `popup.open${size}.ratio_to_empty`, value: round(ms / base, 3), unit: 'ratio', baseline: round(base) });
      results.push(withRatio(`popup.open${size}_ms`, ms, base));
    }
    return results;
  } finally {
    await empty.close();
    await full.close();
  }
};

export default popupBench;
