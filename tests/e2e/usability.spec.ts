import { shortPost } from '../fixtures/reader/articles';
import { AUTHOR, mediumAuthorFeed, samplePosts } from '../fixtures/feeds/medium';
import { expect, test } from './harness/fixtures';

// Rough edges found by driving the built extension as a new user would.

test('the keyboard-shortcuts dialog keeps focus inside it and Escape always closes it', async ({ popup }) => {
  await popup.open();
  await popup.addArticles([shortPost(1)]);
  const page = await popup.open();
  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  // Tab and Shift+Tab stay in the modal instead of wandering to the page behind it.
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  // A click on the dialog's text moves focus off its button; Escape still closes it.
  await dialog.getByRole('heading', { name: 'Keyboard shortcuts' }).click();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Keyboard shortcuts' })).toBeFocused();
});

test('Back from an article read in the popup returns focus to its row', async ({ popup }) => {
  await popup.open();
  await popup.addArticles([shortPost(1), shortPost(2), shortPost(3)]);
  const page = await popup.open();
  // Clips land in Saved.
  await popup.tab('Saved').click();
  await popup.article(shortPost(2).title).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: shortPost(2).title })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(popup.article(shortPost(2).title)).toBeFocused();
  // The mouse way too.
  await popup.openArticle(shortPost(3).title);
  await page.getByRole('button', { name: '← Back' }).click();
  await expect(popup.article(shortPost(3).title)).toBeFocused();
});

test('the popup leads to the settings page, where import and export live', async ({ context, popup }) => {
  const page = await popup.open();
  const [options] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: 'Settings, import and export' }).click()]);
  await expect(options).toHaveURL(/\/options\.html/);
  await expect(options.getByRole('heading', { name: 'Offprint settings' })).toBeVisible();
  await expect(options.getByRole('heading', { name: 'Import', exact: true })).toBeVisible();
});

test('Unfollow brings its question into view and focus; Cancel returns to the Unfollow button', async ({ server, popup }) => {
  const feedUrl = `https://medium.com/feed/@${AUTHOR.handle}`;
  server.route(feedUrl, { headers: { 'content-type': 'application/rss+xml; charset=utf-8' }, body: mediumAuthorFeed(samplePosts(3)) });
  const page = await popup.open();
  await page.getByRole('tab', { name: /^Following/ }).click();
  await page.getByRole('textbox', { name: /Follow an author or feed/ }).fill(`@${AUTHOR.handle}`);
  await page.getByRole('button', { name: 'Follow', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: `Following ${AUTHOR.name}` })).toBeVisible();
  await page.getByRole('button', { name: `Unfollow ${AUTHOR.name}` }).click();
  const question = page.getByRole('group', { name: `Unfollow ${AUTHOR.name}?` });
  await expect(question.getByRole('button', { name: 'Keep articles' })).toBeFocused();
  await expect(question.getByRole('button', { name: 'Keep articles' })).toBeInViewport();
  await question.getByRole('button', { name: 'Cancel' }).click();
  await expect(question).toHaveCount(0);
  await expect(page.getByRole('button', { name: `Unfollow ${AUTHOR.name}` })).toBeFocused();
});

test('offline, "Make all unread offline-ready" says in plain words what is still missing', async ({ context, popup }) => {
  await popup.open();
  await context.setOffline(true);
  await popup.addArticles([shortPost(1, { html: '<p>Diagram:</p><img src="https://cdn-images-1.medium.com/max/1024/1*missing.png" alt="diagram">' })]);
  const page = await popup.open();
  await popup.tab('Saved').click();
  await expect(page.getByRole('listitem').filter({ has: popup.article(shortPost(1).title) })).toContainText('not yet offline');
  await page.getByRole('button', { name: 'Make all unread offline-ready' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Done. 1 article is still missing images (you are offline, or their site did not answer).' })).toBeVisible();
});

test('a link the sanitizer disarmed reads as plain text, not as a dead link', async ({ popup }) => {
  await popup.open();
  await popup.addArticles([shortPost(1, { html: '<p>Before <a href="javascript:alert(1)">disarmed</a> and <a href="https://example.org/">real</a>.</p>' })]);
  const page = await popup.open();
  await popup.tab('Saved').click();
  await popup.openArticle(shortPost(1).title);
  const body = page.locator('.article-body');
  const disarmed = body.getByText('disarmed');
  await expect(disarmed).not.toHaveAttribute('href', /./);
  const colour = (el: Element) => getComputedStyle(el).color;
  expect(await disarmed.evaluate(colour)).toBe(await body.locator('p').evaluate(colour));
  expect(await body.getByRole('link', { name: 'real' }).evaluate(colour)).not.toBe(await body.locator('p').evaluate(colour));
});

test('a very long tag is cut short instead of pushing the popup reader sideways', async ({ popup }) => {
  const tag = 'kubernetes_admission_webhook_configuration_'.repeat(2) + 'end';
  await popup.open();
  await popup.addArticles([shortPost(1, { tags: [tag] })]);
  const page = await popup.open();
  await popup.tab('Saved').click();
  await popup.openArticle(shortPost(1).title);
  await expect(page.getByRole('list', { name: 'Tags' })).toContainText(`#${tag}`);
  await expect(page.getByRole('button', { name: `Remove tag ${tag}` })).toBeInViewport({ ratio: 1 });
  const reading = page.locator('.reading');
  expect(await reading.evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);
});

test('Follow with an empty box says what to type instead of doing nothing', async ({ popup }) => {
  const page = await popup.open();
  await popup.tab('Following').click();
  await page.getByRole('button', { name: 'Follow', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('Type an @handle, a Medium or site address, or a feed URL first.');
});

test('keyboard focus on "Choose files…" in the options page is visible', async ({ context, extensionId }) => {
  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  const input = options.getByRole('button', { name: 'Choose files to import' });
  // Tab from the field just before it, as a keyboard user would.
  await options.getByRole('spinbutton', { name: /MB of images per article/ }).focus();
  await options.keyboard.press('Tab');
  await expect(input).toBeFocused();
  const outline = await options.locator('label.button').filter({ has: input }).evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).toBe('solid');
});

test('a long save message does not squash the header buttons', async ({ context, popup }) => {
  const tab = await context.newPage();
  await tab.goto('https://blog.example.dev/not-granted');
  const page = await popup.open();
  await page.setViewportSize({ width: 420, height: 600 });
  await page.getByRole('button', { name: 'Save this page' }).click();
  await expect(page.getByRole('alert', { name: 'Save status' })).not.toBeEmpty();
  for (const name of ['Settings, import and export', 'Keyboard shortcuts']) {
    const box = (await page.getByRole('button', { name }).boundingBox())!;
    expect(Math.round(box.width)).toBe(Math.round(box.height));
  }
});

test('the Following view scrolls inside the popup when there are many feeds', async ({ server, popup }) => {
  const handles = Array.from({ length: 8 }, (_, i) => `author${i}`);
  for (const [i, h] of handles.entries()) {
    server.route(`https://medium.com/feed/@${h}`, { headers: { 'content-type': 'application/rss+xml; charset=utf-8' }, body: mediumAuthorFeed(samplePosts(1, i * 10), `Author ${i}`, h) });
  }
  const page = await popup.open();
  await page.setViewportSize({ width: 420, height: 600 });
  await popup.tab('Following').click();
  for (const h of handles) {
    await page.getByRole('textbox', { name: /Follow an author or feed/ }).fill(`@${h}`);
    await page.getByRole('button', { name: 'Follow', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: /^Following Author \d: 1 article added\.$/ })).toContainText(`Author ${h.slice(-1)}`);
  }
  const last = page.getByRole('button', { name: 'Unfollow Author 7' });
  await last.focus();
  await expect(last).toBeInViewport({ ratio: 1 });
  // The list scrolled, not the whole popup: the header and the footer stay where they are.
  await expect(page.getByRole('heading', { name: 'Offprint', exact: true })).toBeInViewport({ ratio: 1 });
  expect(await page.locator('.popup').evaluate((el) => el.scrollTop)).toBe(0);
});

/** WCAG contrast ratio between an element's text colour and its background colour. */
function contrastOf(el: Element): number {
  const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
  const lum = (c: string) => {
    const [r, g, b] = rgb(c).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const cs = getComputedStyle(el);
  const [a, b] = [lum(cs.color), lum(cs.backgroundColor)].sort((x, y) => y - x);
  return (a! + 0.05) / (b! + 0.05);
}

test('in the dark theme the green buttons keep readable text', async ({ context, extensionId, popup }) => {
  const page = await popup.open();
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await page.getByRole('button', { name: 'Save this page' }).evaluate(contrastOf)).toBeGreaterThanOrEqual(4.5);
  const options = await context.newPage();
  await options.emulateMedia({ colorScheme: 'dark' });
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  expect(await options.locator('label.button').filter({ hasText: 'Choose files…' }).evaluate(contrastOf)).toBeGreaterThanOrEqual(4.5);
  expect(await options.getByRole('button', { name: 'Download backup' }).evaluate(contrastOf)).toBeGreaterThanOrEqual(4.5);
});

test('deleting or archiving the focused row by keyboard moves focus to the row that takes its place', async ({ popup }) => {
  await popup.open();
  await popup.addArticles([shortPost(1), shortPost(2), shortPost(3), shortPost(4)]);
  const page = await popup.open();
  await popup.tab('Saved').click();
  // Newest first: 4, 3, 2, 1.
  await popup.article(shortPost(3).title).focus();
  await page.keyboard.press('#');
  await expect(page.getByRole('status').getByText('Article deleted.')).toBeVisible();
  await expect(popup.article(shortPost(2).title)).toBeFocused();
  await page.keyboard.press('e');
  await expect(popup.article(shortPost(2).title)).toHaveCount(0);
  await expect(popup.article(shortPost(1).title)).toBeFocused();
  // The last row going away leaves focus on the new last row.
  await page.keyboard.press('#');
  await expect(popup.article(shortPost(1).title)).toHaveCount(0);
  await expect(popup.article(shortPost(4).title)).toBeFocused();
});
