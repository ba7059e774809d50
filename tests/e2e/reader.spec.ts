import type { Page } from '@playwright/test';
import { IMAGES, LONG_POST, png, shortPost } from '../fixtures/reader/articles';
import { expect, test } from './harness/fixtures';

/** Every image in the article body is shown (decoded) from a local blob: URL. */
async function expectImagesFromLocalCopy(page: Page) {
  const images = page.locator('.article-body img');
  await expect(images).toHaveCount(2);
  for (const img of await images.all()) {
    await expect(img).toHaveAttribute('src', /^blob:chrome-extension:/);
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
  }
}

test('offline: the popup lists the library and articles open with every image from the local copy; progress comes back', async ({ context, server, popup, reader }) => {
  server.route(IMAGES.diagram, { headers: { 'content-type': 'image/png' }, body: png(700, 300, [70, 130, 180]) });
  server.route(IMAGES.chart, { headers: { 'content-type': 'image/png' }, body: png(600, 240, [200, 120, 60]) });
  await popup.open();
  const [id] = await popup.addArticles([LONG_POST, shortPost(1)]);
  // Stored with its images: each downloaded once, and the "not yet offline" mark gone.
  expect(server.requestsTo(IMAGES.diagram)).toHaveLength(1);
  expect(server.requestsTo(IMAGES.chart)).toHaveLength(1);

  await context.setOffline(true);
  const page = await popup.open();
  await expect(popup.article(LONG_POST.title)).toBeVisible();
  const row = page.getByRole('listitem').filter({ has: popup.article(LONG_POST.title) });
  await expect(row).not.toContainText('not yet offline');
  await expect(popup.tab('Inbox')).toContainText('1');
  await expect(popup.tab('Saved')).toContainText('1');

  await popup.openArticle(LONG_POST.title);
  await expectImagesFromLocalCopy(page);
  await expect(page.getByRole('button', { name: 'Copy code' })).toBeVisible();

  reader.attach(await popup.openInTab());
  const tab = reader.page!;
  await expect(reader.title).toHaveText(LONG_POST.title);
  await expectImagesFromLocalCopy(tab);
  await expect(tab.getByRole('link', { name: 'Read the original' })).toHaveAttribute('href', LONG_POST.url);

  // Read half-way, leave, come back: the reader is where it was.
  await tab.evaluate(() => window.scrollTo(0, (document.documentElement.scrollHeight - innerHeight) / 2));
  await expect(tab.getByText(/min left$/)).toBeVisible();
  await tab.waitForTimeout(800);
  await tab.close();
  reader.page = undefined;
  const again = await reader.open(id!);
  await expectImagesFromLocalCopy(again);
  await expect
    .poll(() => again.evaluate(() => window.scrollY / (document.documentElement.scrollHeight - innerHeight)), { timeout: 5000 })
    .toBeGreaterThan(0.4);
  const restored = await again.evaluate(() => window.scrollY / (document.documentElement.scrollHeight - innerHeight));
  expect(restored).toBeLessThan(0.6);

  // Reading to the end marks it read.
  await again.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await expect(again.getByRole('button', { name: 'Mark unread' })).toBeVisible();
  // Nothing was fetched from the network while offline.
  expect(server.requestsTo(IMAGES.diagram)).toHaveLength(1);
});

test('star, archive, tag, filter by tag and delete with undo, in the reader, by keyboard and on a selection', async ({ context, popup, reader }) => {
  await popup.open();
  const ids = await popup.addArticles([shortPost(1), shortPost(2), shortPost(3), shortPost(4)]);
  await context.setOffline(true);
  const page = await popup.open();
  await popup.tab('Saved').click();
  await expect(popup.tab('Saved')).toContainText('4');
  // Arrow keys move between the views, like any tab list.
  await page.keyboard.press('ArrowLeft');
  await expect(popup.tab('Inbox')).toHaveAttribute('aria-selected', 'true');
  await expect(popup.tab('Inbox')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(popup.tab('Saved')).toHaveAttribute('aria-selected', 'true');

  // Reader page: star and tag.
  const tab = await reader.open(ids[0]!);
  await tab.getByRole('button', { name: '☆ Star' }).click();
  await expect(tab.getByRole('button', { name: '★ Starred' })).toHaveAttribute('aria-pressed', 'true');
  await tab.getByRole('combobox', { name: 'Add tag' }).fill('Postmortems');
  await tab.getByRole('combobox', { name: 'Add tag' }).press('Enter');
  await expect(tab.getByRole('list', { name: 'Tags' })).toContainText('#postmortems');
  await expect(popup.tab('Starred')).toContainText('1');

  // Filter by tag in the popup.
  await page.getByRole('combobox', { name: 'Filter by tag' }).selectOption('postmortems');
  await expect(page.getByRole('list', { name: 'Articles' }).getByRole('listitem')).toHaveCount(1);
  await expect(popup.article(shortPost(1).title)).toBeVisible();
  await page.getByRole('combobox', { name: 'Filter by tag' }).selectOption('');
  await expect(page.getByRole('list', { name: 'Articles' }).getByRole('listitem')).toHaveCount(4);

  // Remove the tag again in the reader.
  await tab.getByRole('button', { name: 'Remove tag postmortems' }).click();
  await expect(tab.getByRole('list', { name: 'Tags' })).toHaveCount(0);

  // Previous/next walk the same list (Saved, newest first).
  await expect(tab.getByRole('button', { name: 'Next →' })).toBeDisabled();
  await tab.getByRole('button', { name: '← Previous' }).click();
  await expect(tab.getByRole('heading', { level: 1 })).toHaveText(shortPost(2).title);
  await tab.getByRole('button', { name: 'Next →' }).click();
  await expect(tab.getByRole('heading', { level: 1 })).toHaveText(shortPost(1).title);

  // Keyboard in the popup: j moves, e archives the active article.
  await page.bringToFront();
  await page.getByRole('heading', { name: 'Offprint', exact: true }).click();
  await page.keyboard.press('j');
  await expect(page.getByRole('button', { name: shortPost(4).title })).toBeFocused();
  await page.keyboard.press('j');
  await expect(page.getByRole('button', { name: shortPost(3).title })).toBeFocused();
  await page.keyboard.press('k');
  await expect(page.getByRole('button', { name: shortPost(4).title })).toBeFocused();
  await page.keyboard.press('e');
  await expect(popup.tab('Archive')).toContainText('1');
  await expect(popup.tab('Saved')).toContainText('3');

  // Delete with undo, by keyboard.
  await expect(page.getByRole('button', { name: shortPost(3).title })).toBeVisible();
  await page.getByRole('button', { name: shortPost(3).title }).focus();
  await page.keyboard.press('#');
  await expect(page.getByRole('status').getByText('Article deleted.')).toBeVisible();
  await expect(popup.article(shortPost(3).title)).toHaveCount(0);
  await expect(popup.tab('Saved')).toContainText('2');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(popup.article(shortPost(3).title)).toBeVisible();
  await expect(popup.tab('Saved')).toContainText('3');

  // A selection: mark two read, then delete both and undo.
  await page.getByRole('checkbox', { name: `Select ${shortPost(3).title}` }).check();
  await page.getByRole('checkbox', { name: `Select ${shortPost(2).title}` }).check();
  const bulk = page.getByRole('toolbar', { name: 'Selected articles' });
  await expect(bulk).toContainText('2 selected');
  await bulk.getByRole('button', { name: 'Mark read' }).click();
  await expect(page.locator('.row.unread')).toHaveCount(1);
  await bulk.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('status').getByText('2 articles deleted.')).toBeVisible();
  await expect(popup.tab('Saved')).toContainText('1');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(popup.tab('Saved')).toContainText('3');

  // "?" shows the keys.
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
});
