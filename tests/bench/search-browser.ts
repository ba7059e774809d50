// Runs the search bench in Debian's Chromium with its real IndexedDB (the
// popup's storage engine), since fake-indexeddb's speed differs. The page
// is served from 127.0.0.1; nothing leaves the machine.
import { serveBenchPage } from './bench-page';
import { chromium } from 'playwright-core';
import { findChromium } from '../e2e/harness/chromium';
import type { BrowserFigures } from './search-browser-entry';

const COLD_OPENS = 5;

export async function runSearchBenchInChromium(articles: number, rounds: number): Promise<BrowserFigures & { cold: { readyMs: number; firstQueryMs: number }[] }> {
  const server = await serveBenchPage('./search-browser-entry.ts', 'search bench');
  const browser = await chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    const figures = await page.evaluate(
      ([n, r]) => (globalThis as unknown as { runSearchBench: (n: number, r: number) => Promise<BrowserFigures> }).runSearchBench(n, r),
      [articles, rounds] as const,
    );
    const cold: { readyMs: number; firstQueryMs: number }[] = [];
    for (let i = 0; i < COLD_OPENS; i++) {
      await page.reload();
      cold.push(
        await page.evaluate(
          ([name, drop]) =>
            (globalThis as unknown as { coldFirstQuery: (n: string, d: boolean) => Promise<{ readyMs: number; firstQueryMs: number }> }).coldFirstQuery(name, drop),
          [figures.name, i === COLD_OPENS - 1] as const,
        ),
      );
    }
    return { ...figures, cold };
  } finally {
    await browser.close();
    server.close();
  }
}
