// Issue 12: search keeps working through a rebuild that the browser
// interrupts, says how far it has got, and opened results show their matches.
import type { NewArticle } from '../../lib/messages';
import { SEARCH_LIBRARY } from '../fixtures/search/articles';
import { expect, test } from './harness/fixtures';
import { indexState, markOldVersion } from './scale.helpers';

function filler(n: number): NewArticle {
  const words = ['rollout', 'canary', 'ingress', 'quota', 'sidecar', 'probe', 'taint', 'etcd', 'helm', 'vault'];
  const text = Array.from({ length: 60 }, (_, i) => words[(n * 7 + i * 3) % words.length]).join(' ') + ` filler${n}.`;
  return { url: `https://bulk.example/post-${n}`, source: 'import', title: `Bulk note ${n}`, html: `<p>${text}</p>`, text, savedAt: Date.UTC(2025, 0, 1) + n * 60_000 };
}

test('partial matches are shown as such, and an opened result scrolls to its marked matches', async ({ popup }, testInfo) => {
  const page = await popup.open();
  await popup.addArticles(SEARCH_LIBRARY);
  const box = page.getByRole('searchbox', { name: 'Search library' });
  await box.fill('scheduler queue nosuchword');
  await expect(page.getByRole('status').filter({ hasText: 'matching 2 of 3 words' })).toBeVisible();
  const options = page.getByRole('listbox', { name: 'Search results' }).getByRole('option');
  await expect(options.first()).toHaveAccessibleName('Kubernetes Scheduler Explained');
  await page.screenshot({ path: testInfo.outputPath('partial-matches.png') });
  await options.first().click();
  const first = page.locator('.article-body mark.search-match').first();
  await expect(first).toBeVisible();
  await expect(first).toBeInViewport();
  expect(await page.locator('.article-body mark.search-match').allTextContents()).toEqual(expect.arrayContaining(['scheduler', 'queue']));
  await page.screenshot({ path: testInfo.outputPath('opened-with-marks.png') });
});

test('a rebuild after an index version change completes with the service worker stopped in the middle', async ({ context, popup }) => {
  test.setTimeout(300_000);
  const page = await popup.open();
  const total = 1600;
  for (let from = 0; from < total; from += 400) await popup.addArticles(Array.from({ length: 400 }, (_, i) => filler(from + i)));
  await expect.poll(async () => (await indexState(page))?.count, { timeout: 60_000 }).toBe(total);

  const cdp = await context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  // An update changed the index format: the old index is stale from the next start on.
  await markOldVersion(page);
  await cdp.send('ServiceWorker.stopAllWorkers');
  await popup.addArticles([]); // any message starts the worker again, and with it the rebuild
  await expect.poll(async () => (await indexState(page))?.build?.done ?? 0, { timeout: 120_000, intervals: [100] }).toBeGreaterThan(0);
  // Stopped mid-build (a build step is 1,024 articles, so at 1,600 it stops after the first).
  await cdp.send('ServiceWorker.stopAllWorkers');
  const stoppedAt = (await indexState(page))!.build;
  expect(stoppedAt!.done).toBeLessThan(total);
  // Search says it is building, with progress, while the build waits.
  const box = page.getByRole('searchbox', { name: 'Search library' });
  await box.fill('filler7');
  await expect(page.getByRole('status').filter({ hasText: /Building the search index|being built/ })).toBeVisible();

  // Next start: the build picks up where it stopped and finishes.
  await popup.addArticles([]);
  await expect.poll(async () => {
    const s = await indexState(page);
    return s && !s.build && s.version !== 1 ? s.count : -1;
  }, { timeout: 180_000 }).toBe(total);
  await expect(page.getByRole('listbox', { name: 'Search results' }).getByRole('option').first()).toHaveAccessibleName('Bulk note 7', { timeout: 15_000 });
});
