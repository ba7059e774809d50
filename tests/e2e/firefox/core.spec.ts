import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AUTHOR, mediumAuthorFeed, samplePosts } from '../../fixtures/feeds/medium';
import { png } from '../../fixtures/reader/articles';
import { SEARCH_LIBRARY } from '../../fixtures/search/articles';
import { serveCaptureFixture } from '../capture.helpers';
import type { FixtureServer } from '../harness/server';
import type { Page } from '@playwright/test';
import { extensionErrors } from './browser';
import { expect, test } from './fixtures';
import { grantHost, storedRecords, waitUntilOffline } from './helpers';

// The core promises of the README, checked in a real Firefox (the event
// page, moz-extension: pages, Firefox's IndexedDB and permissions).

const PROFILE = `https://medium.com/@${AUTHOR.handle}`;
const MEDIUM_FEED = `https://medium.com/feed/@${AUTHOR.handle}`;
const posts = samplePosts(3);
const RSS = 'https://infra-notes.example.dev/feed.xml';
const RSS_IMAGE = 'https://infra-notes.example.dev/img/queue.png';
const RSS_TITLE = 'Queues that drain themselves';

function serveMediumAuthor(server: FixtureServer) {
  server.page(PROFILE, `<!doctype html><html><head><title>${AUTHOR.name} – Medium</title><meta property="og:title" content="${AUTHOR.name} – Medium"><meta property="al:android:app_name" content="Medium"></head><body><h1>${AUTHOR.name}</h1></body></html>`);
  server.route(MEDIUM_FEED, { headers: { 'content-type': 'application/rss+xml; charset=utf-8' }, body: mediumAuthorFeed(posts) });
  for (const p of posts) server.route(`https://cdn-images-1.medium.com/max/1024/1*${p.id}.png`, { headers: { 'content-type': 'image/png' }, body: png(320, 160, [40, 90, 160]) });
}

/** A plain RSS 2.0 feed on a host outside Medium (an optional host permission). */
function servePlainRss(server: FixtureServer) {
  const item = (title: string, slug: string, body: string) =>
    `<item><title>${title}</title><link>https://infra-notes.example.dev/posts/${slug}</link><guid>https://infra-notes.example.dev/posts/${slug}</guid><pubDate>Mon, 02 Mar 2026 09:00:00 GMT</pubDate><description><![CDATA[${body}]]></description></item>`;
  server.route(RSS, {
    headers: { 'content-type': 'application/rss+xml; charset=utf-8' },
    body: `<?xml version="1.0"?><rss version="2.0"><channel><title>Infra Notes</title><link>https://infra-notes.example.dev/</link>${item(RSS_TITLE, 'queues', `<p>Backpressure first.</p><img src="${RSS_IMAGE}" alt="queue depth"><pre>max_inflight: 64</pre>`)}${item('Paging less', 'paging', '<p>Alert on symptoms, not causes.</p>')}</channel></rss>`,
  });
  server.route(RSS_IMAGE, { headers: { 'content-type': 'image/png' }, body: png(300, 120, [180, 60, 40]) });
}

/** The article's images are shown from the library (blob: URLs), loaded. */
async function expectStoredImages(page: Page, n: number) {
  const imgs = page.locator('.article-body img');
  await expect(imgs).toHaveCount(n);
  for (const img of await imgs.all()) {
    await expect(img).toHaveAttribute('src', /^blob:moz-extension:/);
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
  }
}

test('following a Medium author and a plain RSS feed stores articles and images; they read offline in the popup and the reader', async ({ context, server, popup, reader }) => {
  serveMediumAuthor(server);
  servePlainRss(server);

  // From the author's page, as a reader arrives at it.
  const tab = await context.newPage();
  await tab.goto(PROFILE);
  await tab.bringToFront();
  const page = await popup.open();
  await page.getByRole('button', { name: `Follow ${AUTHOR.name}` }).click();
  await expect(page.getByRole('status').filter({ hasText: `Following ${AUTHOR.name}: 3 articles added.` })).toBeVisible();
  await expect(popup.tab('Inbox')).toContainText('3');

  // A feed URL pasted in Following: Firefox grants the optional host permission from the click.
  await popup.tab('Following').click();
  await page.getByLabel(/Follow an author or feed/).fill(RSS);
  await page.getByRole('button', { name: 'Follow', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Following Infra Notes: 2 articles added.' })).toBeVisible();
  await expect(page.getByRole('listitem', { name: 'Infra Notes' })).toContainText('2 articles');
  await page.screenshot({ path: test.info().outputPath('following.png') });

  await waitUntilOffline(page);
  const images = await storedRecords<{ url: string }>(page, 'images');
  expect(images.map((i) => i.url).sort()).toEqual([...posts.map((p) => `https://cdn-images-1.medium.com/max/1024/1*${p.id}.png`), RSS_IMAGE].sort());

  // Offline: pages cannot reach the network, and nothing asks the server for images again.
  const imageRequests = () => server.requests.filter((r) => /\.png$/.test(r.url)).length;
  const before = imageRequests();
  await context.setOffline(true);
  popup.page = undefined;
  const offline = await popup.open();
  expect(await offline.evaluate(() => navigator.onLine)).toBe(false);
  await popup.tab('Inbox').click();
  await popup.openArticle(RSS_TITLE);
  await expect(offline.locator('.article-body pre')).toHaveText('max_inflight: 64');
  await expectStoredImages(offline, 1);
  await offline.screenshot({ path: test.info().outputPath('popup-reader-offline.png') });

  reader.attach(await popup.openInTab());
  await expect(reader.title).toHaveText(RSS_TITLE);
  await expect(reader.body).toContainText('Backpressure first.');
  await expectStoredImages(reader.page!, 1);
  await reader.page!.screenshot({ path: test.info().outputPath('reader-offline.png') });

  // "Open in tab" closed the popup, as it does in the toolbar.
  const [id] = (await storedRecords<{ id: string; title: string }>(reader.page!, 'articles')).filter((a) => a.title === posts[1]!.title).map((a) => a.id);
  await reader.open(id!);
  await expect(reader.title).toHaveText(posts[1]!.title);
  await expectStoredImages(reader.page!, 1);
  expect(imageRequests()).toBe(before);
});

test('search forgives a typo and opens the article', async ({ context, popup }) => {
  await popup.open();
  await popup.addArticles(SEARCH_LIBRARY);
  await context.setOffline(true);
  const page = await popup.open();
  await page.reload();
  const box = page.getByRole('searchbox', { name: 'Search library' });
  await box.fill('kubernets schedular');
  const options = page.getByRole('listbox', { name: 'Search results' }).getByRole('option');
  await expect(options.first()).toHaveAccessibleName('Kubernetes Scheduler Explained');
  await expect(options.first().locator('mark').first()).toHaveText('Kubernetes');
  await page.screenshot({ path: test.info().outputPath('search.png') });
  await options.first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Kubernetes Scheduler Explained' })).toBeVisible();
  await expect(page.getByText('Every pod waits in a queue')).toBeVisible();
});

test('"Save this page" clips the open tab with its code blocks, and it opens in the reader', async ({ context, server, popup }) => {
  const fixture = serveCaptureFixture(server, 'blog-prism');
  const article = await context.newPage();
  await article.goto(fixture.url);
  const page = await popup.open();
  // Firefox gives automation no toolbar button to click (which grants activeTab);
  // the site's permission, granted from the popup, lets the same capture run.
  await grantHost(page, fixture.url);
  await article.bringToFront();
  await page.reload();
  await page.getByRole('button', { name: 'Save this page' }).click();
  const status = page.getByRole('status', { name: 'Save status' });
  await expect(status).toContainText('Saved');
  await page.screenshot({ path: test.info().outputPath('saved.png') });

  const opened = context.waitForEvent('page');
  await status.getByRole('button', { name: 'Open' }).click();
  const tab = await opened;
  await tab.waitForLoadState();
  await expect(tab.getByRole('heading', { level: 1 })).toHaveText(fixture.expected.meta.title!);
  const blocks = tab.locator('.article-body pre');
  await expect(blocks).toHaveCount(fixture.expected.code.length);
  for (const [i, block] of fixture.expected.code.entries()) expect(await blocks.nth(i).evaluate((pre) => pre.textContent)).toBe(block.text);
  for (const noise of fixture.expected.noise) await expect(tab.locator('.article-body')).not.toContainText(noise);
  await tab.screenshot({ path: test.info().outputPath('reader-clip.png'), fullPage: true });
});

test('a file imports from the options page, and the backup downloads as a file that holds it', async ({ context, firefox, origin }) => {
  const page = await context.newPage();
  await page.goto(`${origin}/options.html`);
  await page.getByRole('heading', { name: 'Import', exact: true }).waitFor();
  await page.getByLabel('Choose files to import').setInputFiles([resolve('tests/fixtures/io/notes.md'), resolve('tests/fixtures/io/atom-feed.xml')]);
  const files = page.getByRole('list', { name: 'Imported files' });
  await expect(files.getByRole('listitem', { name: 'notes.md', exact: true })).toContainText('Imported 1 article');
  await expect(files.getByRole('listitem', { name: 'atom-feed.xml', exact: true })).toContainText(/Imported \d+ articles?/);
  const imported = await storedRecords<{ title: string }>(page, 'articles');
  expect(imported.map((a) => a.title)).toContain('Shipping Terraform modules safely');

  await page.getByRole('button', { name: 'Download backup' }).click();
  await expect(page.getByText(new RegExp(`Backup downloaded: ${imported.length} articles?, 0 follows`))).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('options.png'), fullPage: true });
  const backup = await expect
    .poll(() => readdirSync(firefox.downloadDir).find((f) => /^offprint-backup-\d{4}-\d\d-\d\d\.json$/.test(f) && !existsSync(join(firefox.downloadDir, `${f}.part`))))
    .toBeTruthy()
    .then(() => readdirSync(firefox.downloadDir).find((f) => f.startsWith('offprint-backup-'))!);
  const data = JSON.parse(readFileSync(join(firefox.downloadDir, backup), 'utf8')) as { articles: { title: string }[] };
  expect(data.articles.map((a) => a.title).sort()).toEqual(imported.map((a) => a.title).sort());
});

test('restarting Firefox with the same profile loses nothing: articles, images, follows, stars', async ({ server, popup, restart }) => {
  servePlainRss(server);
  const page = await popup.open();
  await popup.tab('Following').click();
  await page.getByLabel(/Follow an author or feed/).fill(RSS);
  await page.getByRole('button', { name: 'Follow', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Following Infra Notes: 2 articles added.' })).toBeVisible();
  await popup.addArticles(SEARCH_LIBRARY.slice(0, 3));
  await waitUntilOffline(page);
  await popup.tab('Inbox').click();
  await popup.openArticle(RSS_TITLE);
  await page.getByRole('button', { name: '☆ Star', exact: true }).click();
  await expect(page.getByRole('button', { name: '★ Starred', exact: true })).toBeVisible();
  type State = { id: string; title: string; box: string; starred: number; isRead: number; offline: string };
  const state = async (p: Page) => (await storedRecords<State>(p, 'articles')).map(({ id, title, box, starred, isRead, offline }) => ({ id, title, box, starred, isRead, offline })).sort((a, b) => a.id.localeCompare(b.id));
  const before = await state(page);
  expect(before.find((a) => a.title === RSS_TITLE)?.starred).toBe(1);

  const again = await restart();
  const after = await again.popup.open();
  expect(await after.evaluate(() => chrome.runtime.sendMessage({ type: 'ping' }))).toEqual({ ok: true, value: 'pong' });
  expect(await state(after)).toEqual(before);
  await expect(again.popup.tab('Starred')).toContainText(String(before.filter((a) => a.starred).length));
  expect(await storedRecords(after, 'images')).toHaveLength(1);
  // The event page set its alarms up again after the restart.
  expect(await after.evaluate(() => chrome.alarms.get('feeds:poll').then((a) => Boolean(a)))).toBe(true);
  await again.popup.tab('Following').click();
  await expect(after.getByRole('listitem', { name: 'Infra Notes' })).toContainText('2 articles');
  await again.context.setOffline(true);
  await again.popup.tab('Inbox').click();
  await again.popup.openArticle(RSS_TITLE);
  await expectStoredImages(after, 1);
  await after.screenshot({ path: test.info().outputPath('after-restart.png') });
  expect(extensionErrors(again.firefox)).toEqual([]);
});

declare const chrome: {
  runtime: { sendMessage(message: unknown): Promise<unknown> };
  alarms: { get(name: string): Promise<unknown> };
};
