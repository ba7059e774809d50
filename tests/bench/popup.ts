// Popup bench: how long popup.html takes to show its first rendered list
// with 5,000 stored articles, against an empty popup in the same browser.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from '@playwright/test';
import { EXTENSION_DIR, launchWithExtension } from '../e2e/harness/launch';
import { percentile, withRatio, type BenchArea, type BenchResult } from './result';

const ARTICLES = 5000;
const RUNS = 15;
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

/** Writes articles straight into the extension's IndexedDB from one of its pages. */
async function fill(context: BrowserContext, url: string, count: number): Promise<void> {
  const page = await context.newPage();
  await page.goto(url);
  await page.getByRole('heading', { name: 'Welcome to Offprint' }).waitFor();
  await page.evaluate(async (n) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('offprint');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const tx = db.transaction(['articles', 'contents'], 'readwrite');
    const day = 86_400_000;
    for (let i = 0; i < n; i++) {
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
  }, count);
  await page.close();
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
    await fill(full.context, fullUrl, ARTICLES);
    await timeOpen(empty.context, emptyUrl, '#welcome-title'); // warm-up
    await timeOpen(full.context, fullUrl, LIST_ROW);
    const emptyMs: number[] = [];
    const fullMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      emptyMs.push(await timeOpen(empty.context, emptyUrl, '#welcome-title'));
      fullMs.push(await timeOpen(full.context, fullUrl, LIST_ROW));
    }
    const results: BenchResult[] = [withRatio('popup.open5000.ratio_to_empty', percentile(fullMs, 50), percentile(emptyMs, 50))];
    return results;
  } finally {
    await empty.close();
    await full.close();
  }
};

export default popupBench;
