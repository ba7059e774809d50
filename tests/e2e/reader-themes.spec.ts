import { IMAGES, LONG_POST, png, shortPost } from '../fixtures/reader/articles';
import { expect, test } from './harness/fixtures';

const background = (page: import('@playwright/test').Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

test('reading settings are remembered across pages; screenshots of popup and reader in light and dark', async ({ server, popup, reader }, testInfo) => {
  server.route(IMAGES.diagram, { headers: { 'content-type': 'image/png' }, body: png(700, 300, [70, 130, 180]) });
  server.route(IMAGES.chart, { headers: { 'content-type': 'image/png' }, body: png(600, 240, [200, 120, 60]) });
  const page = await popup.open();
  await page.setViewportSize({ width: 420, height: 600 });
  const ids = await popup.addArticles([
    LONG_POST,
    ...Array.from({ length: 6 }, (_, i) => shortPost(i + 1, { source: 'feed', publishedAt: Date.UTC(2026, 9, 10 + i), isPreview: i === 2 ? 1 : 0 })),
  ]);
  const tab = await reader.open(ids[0]!);
  await tab.getByRole('button', { name: 'Copy code' }).waitFor();

  // Light (the default follows the system, which is light here).
  await page.reload();
  await popup.article(LONG_POST.title).waitFor();
  await page.screenshot({ path: testInfo.outputPath('popup-light.png') });
  await tab.screenshot({ path: testInfo.outputPath('reader-light.png') });
  const lightBg = await background(tab);

  // Dark, chosen in the reader's settings, reaches the popup too.
  await tab.getByRole('button', { name: /Reading settings/ }).click();
  await tab.getByRole('radio', { name: 'Dark' }).check();
  await tab.getByRole('button', { name: 'Larger text' }).click();
  await expect(tab.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await background(tab)).not.toBe(lightBg);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await tab.getByRole('button', { name: /Reading settings/ }).click();
  await tab.screenshot({ path: testInfo.outputPath('reader-dark.png') });
  await page.screenshot({ path: testInfo.outputPath('popup-dark.png') });
  await popup.openArticle(LONG_POST.title);
  await page.screenshot({ path: testInfo.outputPath('popup-reading-dark.png') });

  await page.getByRole('button', { name: '← Back' }).click();
  await page.getByRole('checkbox', { name: `Select ${shortPost(6).title}` }).check();
  await page.getByRole('checkbox', { name: `Select ${shortPost(5).title}` }).check();
  await page.screenshot({ path: testInfo.outputPath('popup-selection-dark.png') });
  await page.keyboard.press('?');
  await page.screenshot({ path: testInfo.outputPath('popup-keys-dark.png') });
  await page.keyboard.press('Escape');

  // Sepia, with the settings open.
  await tab.getByRole('button', { name: /Reading settings/ }).click();
  await tab.getByRole('radio', { name: 'Sepia' }).check();
  await tab.getByRole('combobox', { name: 'Font' }).selectOption('sans');
  await tab.evaluate(() => window.scrollTo(0, document.querySelector('pre')!.getBoundingClientRect().top + scrollY - 300));
  await tab.screenshot({ path: testInfo.outputPath('reader-sepia-settings.png') });
  await tab.getByRole('radio', { name: 'Dark' }).check();
  await tab.getByRole('combobox', { name: 'Font' }).selectOption('serif');

  // Remembered: a new reader page opens dark with the larger text.
  await tab.close();
  reader.page = undefined;
  const again = await reader.open(ids[1]!);
  await expect(again.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(() => again.locator('.article').evaluate((el) => getComputedStyle(el).fontSize)).toBe('20px');
});
