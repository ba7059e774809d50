// Library page bench (issue 14): library.html open to its first list row with
// 5,000 and 50,000 stored articles, against an empty library in the same run;
// and clicking the next article until its text is painted.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { EXTENSION_DIR, launchWithExtension } from '../e2e/harness/launch';
import { percentile, round, withRatio, type BenchArea, type BenchResult } from './result';

const RUNS = 11;
const SWITCHES = 20;
const FIRST_ROW = 'ul[aria-label="Articles"] li';
const EMPTY = '#library-empty';

async function timeOpen(context: BrowserContext, url: string, selector: string): Promise<number> {
  const page = await context.newPage();
  const t0 = performance.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForSelector(selector, { state: 'attached', timeout: 60_000 });
  const ms = performance.now() - t0;
  await page.close();
  return ms;
}

/** Writes articles straight into the extension's IndexedDB, in batches. */
async function fill(context: BrowserContext, url: string, count: number): Promise<void> {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector(EMPTY);
  for (let from = 0; from < count; from += 5000) {
    await page.evaluate(
      async ([start, end]) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const req = indexedDB.open('offprint');
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        const tx = db.transaction(['articles', 'contents'], 'readwrite');
        const hour = 3_600_000;
        for (let i = start!; i < end!; i++) {
          const id = `bench-${i}`;
          const at = Date.UTC(2024, 0, 1) + i * hour;
          tx.objectStore('articles').put({
            id,
            url: `https://medium.com/@writer${i % 40}/post-${i}`,
            guid: `https://medium.com/p/${i.toString(16)}`,
            source: i % 3 ? 'feed' : 'clip',
            box: 'inbox',
            title: `Post ${i}: operating Kubernetes clusters without surprises, and what the pager taught us about it`,
            author: `Writer ${i % 40}`,
            siteName: 'Medium',
            tags: i % 10 ? ['devops'] : ['k8s', 'devops'],
            publishedAt: at,
            savedAt: at,
            sortAt: at,
            wordCount: 1200 + (i % 700),
            readingMinutes: 5,
            isRead: i % 2 ? 1 : 0,
            starred: i % 50 ? 0 : 1,
            progress: i % 7 ? 0 : 0.4,
            isPreview: 0,
            isReply: 0,
            offline: 'ready',
          });
          tx.objectStore('contents').put({ id, html: `<h2>Post ${i}</h2><p>Body ${i}. ${'Pods restart when probes fail. '.repeat(40)}</p><pre><code>kubectl get pods -n ops-${i}</code></pre>`, text: `Body ${i}` });
        }
        await new Promise<void>((resolve, reject) => {
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        });
        db.close();
      },
      [from, Math.min(count, from + 5000)],
    );
  }
  await page.close();
}

/** Clicks the next row and waits for that article's text to be painted; ms per switch. */
async function switches(page: Page, n: number): Promise<number[]> {
  await page.waitForSelector(FIRST_ROW);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      await page.evaluate(async (index) => {
        const row = document.querySelector<HTMLButtonElement>(`li[data-index="${index}"] .lib-row-open`);
        if (!row) throw new Error(`no row ${index}`);
        row.scrollIntoView({ block: 'nearest' });
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        const title = row.getAttribute('aria-label')!;
        const want = `Body ${/^Post (\d+)/.exec(title)![1]}.`;
        const t0 = performance.now();
        row.click();
        // Polled every frame (no named helpers: the bench runs through tsx, which would wrap them).
        while (!document.querySelector('.lib-reader .article-body')?.textContent?.includes(want)) await new Promise((r) => requestAnimationFrame(r));
        // Painted: the frame after the text is in the DOM.
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        return performance.now() - t0;
      }, i + 1),
    );
    // A reader spends a moment on an article before moving on; the page uses it to prepare the next one.
    await page.waitForTimeout(400);
  }
  return out;
}

const libraryBench: BenchArea = async () => {
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) throw new Error(`No built extension at ${EXTENSION_DIR}: run \`npm run build\` first.`);
  const empty = await launchWithExtension(9);
  const five = await launchWithExtension(9);
  const fifty = await launchWithExtension(9);
  try {
    const url = (b: { extensionId: string }) => `chrome-extension://${b.extensionId}/library.html`;
    await fill(five.context, url(five), 5000);
    await fill(fifty.context, url(fifty), 50000);
    await timeOpen(empty.context, url(empty), EMPTY);
    await timeOpen(five.context, url(five), FIRST_ROW);
    await timeOpen(fifty.context, url(fifty), FIRST_ROW);
    const e: number[] = [];
    const f5: number[] = [];
    const f50: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      e.push(await timeOpen(empty.context, url(empty), EMPTY));
      f5.push(await timeOpen(five.context, url(five), FIRST_ROW));
      f50.push(await timeOpen(fifty.context, url(fifty), FIRST_ROW));
    }
    // The other browsers are done: only this one runs while switching is timed.
    await empty.close();
    await fifty.close();
    const page = await five.context.newPage();
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(url(five));
    await switches(page, 3); // warm-up
    await page.reload();
    // Let the sidebar counts of the fresh page finish first, as they would before anyone clicks.
    await page.waitForTimeout(2500);
    const sw = await switches(page, SWITCHES);
    if (process.env.BENCH_VERBOSE) console.log('switch samples', sw.map(Math.round).join(' '));
    await page.close();
    // A row named *ratio* carries the ratio as its value; the open times go along for reading.
    const ratioRow = (name: string, ms: number, baselineMs: number) => ({ ...withRatio(name, ms, baselineMs), value: round(ms / baselineMs, 3), unit: 'ratio', ms: round(ms), baselineMs: round(baselineMs) });
    const results: BenchResult[] = [
      ratioRow('library.open5000.ratio_to_empty', percentile(f5, 50), percentile(e, 50)),
      ratioRow('library.open50000.ratio_to_empty', percentile(f50, 50), percentile(e, 50)),
      { name: 'library.switch_ms', value: round(percentile(sw, 95)), unit: 'ms' },
    ];
    return results;
  } finally {
    await Promise.all([empty.close(), five.close(), fifty.close()].map((p) => p.catch(() => undefined)));
  }
};

export default libraryBench;
