// Popup bench: how long popup.html takes to show its first rendered list
// with 5,000 stored articles, against an empty popup in the same browser.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from '@playwright/test';
import { EXTENSION_DIR, launchWithExtension } from '../e2e/harness/launch';
import { percentile, withRatio, type BenchArea, type BenchResult } from './result';

const ARTICLES = 5000;
const RUNS = 15;

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

async function median(context: BrowserContext, url: string, selector: string): Promise<number> {
  await timeOpen(context, url, selector); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await timeOpen(context, url, selector));
  return percentile(samples, 50);
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
  // No request leaves the browser here; port 9 (discard) just satisfies the host mapping.
  const browser = await launchWithExtension(9);
  try {
    const url = `chrome-extension://${browser.extensionId}/popup.html`;
    const empty = await median(browser.context, url, '#welcome-title');
    await fill(browser.context, url, ARTICLES);
    const full = await median(browser.context, url, 'ul[aria-label="Articles"] li');
    const results: BenchResult[] = [withRatio('popup.open5000.ratio_to_empty', full, empty)];
    return results;
  } finally {
    await browser.close();
  }
};

export default popupBench;
