import type { Page } from '@playwright/test';
import { IMAGES, LONG_POST, png, shortPost } from '../fixtures/reader/articles';
import { expect, test } from './harness/fixtures';
import type { FixtureServer } from './harness/server';
import { follow, KAI, ROWAN, serveFeeds, spoken, stubSpeech } from './library.helpers';
import { LibraryPage } from './pages/library';
import type { PopupPage } from './pages/popup';

const shot = (page: Page, name: string) => page.screenshot({ path: test.info().outputPath(`${name}.png`) });

/** Two followed authors (4 + 3 posts with images), a long post with code, and three clips; then the library page, opened from the popup. */
async function setUp(server: FixtureServer, popup: PopupPage, library: LibraryPage): Promise<Page> {
  serveFeeds(server);
  server.route(IMAGES.diagram, { headers: { 'content-type': 'image/png' }, body: png(700, 300, [70, 130, 180]) });
  server.route(IMAGES.chart, { headers: { 'content-type': 'image/png' }, body: png(600, 240, [200, 120, 60]) });
  const p = await popup.open();
  await follow(p, ROWAN.handle);
  await follow(p, KAI.handle);
  await popup.addArticles([LONG_POST, ...[1, 2, 3].map((i) => shortPost(i))]);
  await p.reload();
  await expect(popup.tab('Inbox')).toContainText('8');
  const opened = popup.context.waitForEvent('page');
  await p
    .getByRole('button', { name: 'Library', exact: true })
    .click()
    .catch((err: unknown) => {
      if (!p.isClosed()) throw err;
    });
  const page = await opened;
  await page.waitForURL(/library\.html/);
  library.attach(page);
  await page.setViewportSize({ width: 1400, height: 860 });
  await expect(library.listTitle).toContainText('Inbox');
  return page;
}

test('the library page, offline: a folder, a tag, a saved view, sorting, reading on with j, the quick switcher and Listen', async ({ context, server, popup, extensionId }) => {
  await stubSpeech(context);
  const library = new LibraryPage(context, extensionId);
  const page = await setUp(server, popup, library);
  await expect(library.rows).toHaveCount(8);
  await expect(library.source('Inbox')).toContainText('8');
  // Every post's image is stored by now; from here on nothing reaches the network.
  await expect(library.article(ROWAN.posts[0]!.title).locator('img')).toHaveAttribute('src', /^blob:/);
  await context.setOffline(true);

  // Feeds management: move Rowan Vale into a folder, rename Kai Ops.
  await library.sidebar.getByRole('button', { name: `Manage ${ROWAN.name}` }).click();
  const manager = page.getByRole('region', { name: `Manage ${ROWAN.name}` });
  await manager.getByRole('combobox', { name: 'Folder' }).fill('Platform');
  await manager.getByRole('button', { name: 'Save' }).click();
  await expect(manager.getByRole('status')).toHaveText('Saved.');
  await library.sidebar.getByRole('button', { name: `Manage ${KAI.name}` }).click();
  const kai = page.getByRole('region', { name: `Manage ${KAI.name}` });
  await kai.getByRole('textbox', { name: 'Name' }).fill('Kai on call');
  await kai.getByRole('button', { name: 'Save' }).click();
  await expect(library.source('Kai on call')).toBeVisible();

  // A folder lists its feeds' articles, with their unread count.
  const folder = library.sidebar.getByRole('list', { name: 'Folder Platform' });
  await expect(folder.getByRole('button', { name: /^Platform/ })).toContainText('4');
  await folder.getByRole('button', { name: /^Platform/ }).click();
  await expect(library.listTitle).toContainText('Platform');
  await expect(library.rows).toHaveCount(4);
  for (const p of ROWAN.posts) await expect(library.article(p.title)).toBeVisible();

  // Bulk Tag puts the cursor in the tag box; typing "later" (with its e) archives nothing.
  await library.source('Inbox').click();
  await library.list.getByRole('checkbox', { name: `Select ${ROWAN.posts[1]!.title}` }).check();
  await library.list.getByRole('checkbox', { name: `Select ${KAI.posts[0]!.title}` }).check();
  await page.getByRole('toolbar', { name: 'Selected articles' }).getByRole('button', { name: 'Tag' }).click();
  await expect(page.getByRole('combobox', { name: 'Tag 2 selected' })).toBeFocused();
  await page.keyboard.type('later');
  await page.keyboard.press('Enter');
  await expect(library.source('#later')).toContainText('2');
  await expect(library.source('Inbox')).toContainText('8');
  await library.source('#later').click();
  await expect(library.rows).toHaveCount(2);
  // The reader's own tag comes before the feed's categories.
  await expect(library.article(KAI.posts[0]!.title).locator('.badge.tag-badge').first()).toHaveText('#later');

  // A saved view: a search saved under a name, with its count.
  await page.getByRole('searchbox', { name: 'Search library' }).fill('terraform');
  await expect(page.getByRole('option').first()).toContainText('Terraform');
  await page.getByRole('button', { name: 'Save view' }).click();
  await page.getByRole('textbox', { name: 'Name of the saved view' }).fill('Terraform notes');
  await page.getByRole('textbox', { name: 'Name of the saved view' }).press('Enter');
  await expect(library.source('Terraform notes')).toHaveAttribute('aria-current', 'page');
  await expect(library.source('Terraform notes')).toContainText('1');
  await expect(library.rows).toHaveCount(1);
  await expect(library.article(ROWAN.posts[1]!.title)).toBeVisible();
  await expect(page.getByRole('searchbox', { name: 'Search library' })).toHaveValue('');

  // Sorting.
  await library.source('Inbox').click();
  const sort = page.getByRole('combobox', { name: 'Sort' });
  await sort.selectOption({ label: 'Oldest first' });
  await expect(library.rows.first()).toContainText(KAI.posts[2]!.title);
  await sort.selectOption({ label: 'Longest first' });
  await expect(library.rows.first()).toContainText(LONG_POST.title);
  await sort.selectOption({ label: 'Newest first' });
  await expect(library.rows.first()).toContainText(LONG_POST.title);
  await expect(library.rows.nth(1)).toContainText(ROWAN.posts[0]!.title);

  // With focus still on the sidebar, j goes into the list and Enter opens the row it reached.
  await library.source('Inbox').focus();
  await page.keyboard.press('j');
  await expect(library.article(LONG_POST.title)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(library.readerTitle).toHaveText(LONG_POST.title);
  await page.keyboard.press('Escape');
  await expect(library.readerTitle).toHaveCount(0);

  // Reading, and j/k to the next and previous article; the list keeps the open one marked.
  await library.article(ROWAN.posts[0]!.title).click();
  await expect(library.readerTitle).toHaveText(ROWAN.posts[0]!.title);
  await expect(library.reader.locator('.article-body img')).toHaveAttribute('src', /^blob:/);
  await page.keyboard.press('j');
  await expect(library.readerTitle).toHaveText(ROWAN.posts[1]!.title);
  await expect(library.list.locator('li[aria-current="true"]')).toContainText(ROWAN.posts[1]!.title);
  await page.keyboard.press('j');
  await expect(library.readerTitle).toHaveText(ROWAN.posts[2]!.title);
  await page.keyboard.press('k');
  await expect(library.readerTitle).toHaveText(ROWAN.posts[1]!.title);
  // s stars the open article.
  await page.keyboard.press('s');
  await expect(library.reader.getByRole('button', { name: '★ Starred' })).toBeVisible();
  // ? lists the keys that work while reading.
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keys while reading' })).toContainText('Listen');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(library.readerTitle).toHaveCount(0);
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keys in the list' })).toContainText('Select or unselect');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // The quick switcher finds a feed from a misspelt name.
  await page.keyboard.press('Control+k');
  const switcher = page.getByRole('dialog', { name: 'Quick switcher' });
  await switcher.getByRole('combobox').fill('rowan vael');
  await expect(switcher.getByRole('option').first()).toContainText(ROWAN.name);
  await page.keyboard.press('Enter');
  await expect(switcher).toHaveCount(0);
  await expect(library.listTitle).toContainText(ROWAN.name);
  await expect(library.rows).toHaveCount(4);

  // Listen reads the article from the top, marks the sentence, pauses and resumes.
  await library.source('Inbox').click();
  await library.article(LONG_POST.title).click();
  await expect(library.readerTitle).toHaveText(LONG_POST.title);
  await library.reader.getByRole('button', { name: '▶ Listen' }).click();
  await expect.poll(async () => (await spoken(page)).spoken[0]).toBe('Canaries do not need a service mesh.');
  await expect(library.reader.locator('.article-body .listening')).toContainText('Canaries do not need a service mesh.');
  await expect(library.reader.getByRole('combobox', { name: 'Voice' })).toContainText('Test Voice');
  await library.reader.getByRole('button', { name: '❚❚ Pause' }).click();
  await expect(library.reader.getByRole('button', { name: '▶ Resume' })).toBeVisible();
  const paused = await spoken(page);
  expect(paused.cancels).toBeGreaterThan(0);
  await library.reader.getByRole('button', { name: '▶ Resume' }).click();
  await expect.poll(async () => (await spoken(page)).spoken.length).toBeGreaterThan(paused.spoken.length);
  // It resumes at the sentence it paused on.
  expect((await spoken(page)).spoken[paused.spoken.length]).toBe(paused.spoken.at(-1));
  await library.reader.getByRole('button', { name: '❚❚ Pause' }).click();

  // Light, dark and sepia, looked at.
  await shot(page, 'library-light');
  for (const theme of ['Dark', 'Sepia']) {
    await library.reader.getByRole('button', { name: /Reading settings/ }).click();
    await library.reader.getByRole('radio', { name: theme }).check();
    await library.reader.getByRole('button', { name: /Reading settings/ }).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme.toLowerCase());
    await shot(page, `library-${theme.toLowerCase()}`);
  }
  await page.keyboard.press('Control+k');
  await shot(page, 'library-sepia-switcher');
});

test('the library opens from the toolbar menu and the keyboard shortcut', async ({ context, serviceWorker }) => {
  for (const trigger of ['menu', 'command'] as const) {
    const opened = context.waitForEvent('page');
    await serviceWorker.evaluate(
      (t) => {
        const l = (globalThis as unknown as { offprintListeners: { contextMenu: (i: { menuItemId: string }) => unknown; command: (c: string) => unknown } }).offprintListeners;
        return t === 'menu' ? l.contextMenu({ menuItemId: 'offprint-open-library' }) : l.command('open-library');
      },
      trigger,
    );
    const page = await opened;
    await page.waitForURL(/\/library\.html$/);
    await expect(page.getByRole('region', { name: 'Article list' })).toBeVisible();
    await page.close();
  }
  const manifest = await serviceWorker.evaluate(() => chrome.runtime.getManifest());
  expect((manifest.commands as Record<string, { description: string }>)['open-library']!.description).toBe('Open the Offprint library');
});

test('narrow windows: the sidebar becomes a drawer, then list and article take turns', async ({ context, server, popup, extensionId }) => {
  const library = new LibraryPage(context, extensionId);
  const page = await setUp(server, popup, library);
  await page.setViewportSize({ width: 900, height: 800 });
  await expect(library.sidebar).toBeHidden();
  await page.getByRole('button', { name: /Sources/ }).click();
  await library.source('Saved').click();
  await expect(library.sidebar).toBeHidden();
  await expect(library.listTitle).toContainText('Saved');
  await expect(library.rows).toHaveCount(3);
  await page.setViewportSize({ width: 560, height: 800 });
  await library.article(shortPost(3).title).click();
  await expect(library.readerTitle).toHaveText(shortPost(3).title);
  await expect(library.list).toBeHidden();
  await shot(page, 'library-narrow-reading');
  await library.reader.getByRole('button', { name: '← Articles' }).click();
  await expect(library.list).toBeVisible();
  await expect(library.readerTitle).toBeHidden();
});

test('a long list stays virtualized and reaches its oldest row', async ({ context, popup, extensionId }) => {
  const p = await popup.open();
  await p.evaluate(async (n) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('offprint');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const tx = db.transaction(['articles', 'contents'], 'readwrite');
    for (let i = 0; i < n; i++) {
      const at = Date.UTC(2026, 0, 1) + i * 3_600_000;
      tx.objectStore('articles').put({ id: `long-${i}`, url: `https://blog.example/p/${i}`, source: 'clip', box: 'saved', title: `Runbook ${i}`, tags: [], savedAt: at, sortAt: at, wordCount: 100 + i, readingMinutes: 1, isRead: 0, starred: 0, progress: 0, isPreview: 0, isReply: 0, offline: 'ready' });
      tx.objectStore('contents').put({ id: `long-${i}`, html: `<p>Runbook ${i}</p>`, text: `Runbook ${i}` });
    }
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, 3000);
  const library = new LibraryPage(context, extensionId);
  const page = await library.open();
  await library.source('Saved').click();
  await expect(library.listTitle).toContainText('3000');
  await expect(library.article('Runbook 2999')).toBeVisible();
  expect(await library.rows.count()).toBeLessThan(60);
  await page.locator('.lib-list-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(library.article('Runbook 0')).toBeVisible();
  expect(await library.rows.count()).toBeLessThan(60);
  await expect(library.rows.last()).toHaveAttribute('aria-posinset', '3000');
  await page.getByRole('combobox', { name: 'Sort' }).selectOption({ label: 'Shortest first' });
  await expect(library.rows.first()).toContainText('Runbook 0');
});

declare const chrome: { runtime: { getManifest(): { commands?: unknown } } };

test('polish: text size keeps the place, Copy sits above the code, options follow the dark theme', async ({ context, server, popup, reader, extensionId }) => {
  server.route(IMAGES.diagram, { headers: { 'content-type': 'image/png' }, body: png(700, 300, [70, 130, 180]) });
  server.route(IMAGES.chart, { headers: { 'content-type': 'image/png' }, body: png(600, 240, [200, 120, 60]) });
  await popup.open();
  const [id] = await popup.addArticles([LONG_POST]);
  const tab = await reader.open(id!);
  await tab.getByRole('button', { name: 'Copy code' }).waitFor();

  // The Copy button never covers a line of code.
  const copy = (await tab.getByRole('button', { name: 'Copy code' }).boundingBox())!;
  const pre = (await tab.getByRole('region', { name: 'Code' }).or(tab.locator('.article-body pre')).first().boundingBox())!;
  expect(copy.y + copy.height).toBeLessThanOrEqual(pre.y + 1);

  // Larger text: the paragraph at the top of the view stays there.
  const steps = tab.locator('.article-body p');
  const target = steps.nth(9);
  await target.evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + scrollY - 120));
  await expect.poll(() => tab.evaluate(() => scrollY)).toBeGreaterThan(0);
  const before = await target.evaluate((el) => el.getBoundingClientRect().top);
  await tab.getByRole('button', { name: /Reading settings/ }).click();
  for (let i = 0; i < 3; i++) await tab.getByRole('button', { name: 'Larger text' }).click();
  await expect(tab.getByRole('group', { name: 'Reading settings' }).locator('output')).toHaveText('22px');
  // Polled: the place is restored on the next frame, and a late image may shift it meanwhile.
  await expect.poll(() => target.evaluate((el, top) => Math.abs(el.getBoundingClientRect().top - top), before)).toBeLessThan(40);

  // Dark chosen in the reader reaches the options page, whose controls are styled.
  await tab.getByRole('radio', { name: 'Dark' }).check();
  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  await expect(options.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(() => options.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(23, 24, 26)');
  const field = options.getByRole('spinbutton').first();
  await expect.poll(() => field.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(23, 24, 26)');
  await shot(options, 'options-dark');
  await tab.getByRole('button', { name: /Reading settings/ }).click();
  await tab.evaluate(() => window.scrollTo(0, document.querySelector('pre')!.getBoundingClientRect().top + scrollY - 300));
  await shot(tab, 'reader-dark-settings');
});
