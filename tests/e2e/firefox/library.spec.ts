import type { NewArticle } from '../../../lib/messages';
import { shortPost } from '../../fixtures/reader/articles';
import { LibraryPage } from '../pages/library';
import { expect, test } from './fixtures';

// The full-tab library page in Firefox, offline: a box from the sidebar, an article, j to the next.

const FEED_POST: NewArticle = { ...shortPost(9), url: 'https://medium.com/@kaiops/pager-budget-1a2b3c', source: 'feed', title: 'Pager budgets for small teams' };

test('the library, offline: a box from the sidebar, an article opened, j reads the next', async ({ context, popup, origin }) => {
  await popup.open();
  await popup.addArticles([FEED_POST, ...[1, 2, 3].map((i) => shortPost(i))]);
  await context.setOffline(true);

  const library = new LibraryPage(context, origin.replace(/^moz-extension:\/\//, ''), 'moz-extension');
  const page = await library.open();
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  await expect(library.listTitle).toContainText('Inbox');

  // The Saved box lists the three clips, newest first.
  await library.source('Saved').click();
  await expect(library.listTitle).toContainText('Saved');
  await expect(library.rows).toHaveCount(3);
  await expect(library.rows.first()).toContainText(shortPost(3).title);

  await library.article(shortPost(3).title).click();
  await expect(library.readerTitle).toHaveText(shortPost(3).title);
  await expect(library.reader.locator('.article-body')).toContainText('Review 3.');
  await page.keyboard.press('j');
  await expect(library.readerTitle).toHaveText(shortPost(2).title);
  await expect(library.reader.locator('.article-body')).toContainText('Review 2.');
  await expect(library.list.locator('li[aria-current="true"]')).toContainText(shortPost(2).title);
  await page.screenshot({ path: test.info().outputPath('library-offline.png') });
});
