import { IMAGES, LONG_POST, png, shortPost } from '../fixtures/reader/articles';
import { expect, test } from './harness/fixtures';

test('an image that failed to download is marked, and "Make all unread offline-ready" fetches it with progress', async ({ context, server, popup, reader }) => {
  let chartUp = false;
  server.route(IMAGES.diagram, { headers: { 'content-type': 'image/png' }, body: png(700, 300, [70, 130, 180]) });
  server.route(IMAGES.chart, () => (chartUp ? { headers: { 'content-type': 'image/png' }, body: png(600, 240, [200, 120, 60]) } : { status: 503, body: 'busy' }));
  const page = await popup.open();
  const [id] = await popup.addArticles([LONG_POST]);

  const row = page.getByRole('listitem').filter({ has: popup.article(LONG_POST.title) });
  await expect(row).toContainText('not yet offline');
  const tab = await reader.open(id!);
  await expect(tab.getByRole('note').filter({ hasText: '1 image is not stored offline yet.' })).toBeVisible();

  chartUp = true;
  await page.bringToFront();
  await page.getByRole('button', { name: 'Make all unread offline-ready' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'All unread articles are offline-ready.' })).toBeVisible();
  await expect(row).not.toContainText('not yet offline');
  expect(server.requestsTo(IMAGES.diagram)).toHaveLength(1);
  await expect(page.getByText(/^Library uses \d/)).toBeVisible();

  await context.setOffline(true);
  await tab.reload();
  await expect(tab.locator('.article-body img')).toHaveCount(2);
  for (const img of await tab.locator('.article-body img').all()) await expect(img).toHaveAttribute('src', /^blob:/);
  await expect(tab.getByText(/not stored offline yet/)).toHaveCount(0);
});

test('a long list is virtualized: the count is exact, few rows exist, and scrolling reaches the oldest', async ({ popup }) => {
  const page = await popup.open();
  const posts = Array.from({ length: 300 }, (_, i) => shortPost(i + 1, { source: 'feed', publishedAt: Date.UTC(2026, 0, 1) + i * 3_600_000 }));
  await popup.addArticles(posts);
  await expect(popup.tab('Inbox')).toContainText('300');
  await expect(popup.article(shortPost(300).title)).toBeVisible();
  const rows = page.getByRole('list', { name: 'Articles' }).getByRole('listitem');
  expect(await rows.count()).toBeLessThan(40);
  await page.locator('.list-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(popup.article(shortPost(1).title)).toBeVisible();
  expect(await rows.count()).toBeLessThan(40);
  await expect(rows.last()).toHaveAttribute('aria-posinset', '300');
});
