import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { AUTHOR, mediumAuthorFeed, type MediumPostSpec } from '../../fixtures/feeds/medium';
import { NOT_ARTICLE_PAGE, PNG, articlePage, pocketCsv } from '../../fixtures/fulltext/pages';
import { DEPLOY_GIST, MEDIA_HASH_1, MEDIA_HASH_2, PROBE_GIST, feedIframe } from '../../fixtures/gists/gists';
import { codeBlocks, expected, serveGists } from '../gists.helpers';
import { expect, test } from './fixtures';
import { storedRecords } from './helpers';

// Issue 15 in a real Firefox: the event page (a DOM, no offscreen document) runs the gist filling
// and the full-text extraction; the optional host permissions are asked through the real
// permissions.request from a click (extensions.webextOptionalPermissionPrompts=false answers yes),
// on a build that holds none of them beforehand.

declare const browser: { permissions: { contains(p: { origins: string[] }): Promise<boolean> } };
const GIST_HOSTS = ['https://gist.github.com/*', 'https://api.github.com/*', 'https://gist.githubusercontent.com/*'];
const allowed = (page: Page, origins: string[]) => page.evaluate((o) => browser.permissions.contains({ origins: o }), origins);

test('a Medium feed item with two embedded gists: Fetch code asks for the gist hosts, then the code reads offline', async ({ context, server, popup }) => {
  serveGists(server);
  const post: MediumPostSpec = { id: '7c6d5e4f3a2b', title: 'Rollouts with a safety net', tags: ['kubernetes'], body: ['First the manifest.'] };
  const feed = mediumAuthorFeed([post]).replace('<p>First the manifest.</p>', `<p>First the manifest.</p>${feedIframe(MEDIA_HASH_1)}<p>Then the probe.</p>${feedIframe(MEDIA_HASH_2)}<p>That is all.</p>`);
  server.route(`https://medium.com/feed/@${AUTHOR.handle}`, { headers: { 'content-type': 'application/rss+xml; charset=utf-8' }, body: feed });
  server.page(`https://medium.com/@${AUTHOR.handle}`, `<!doctype html><html><head><title>${AUTHOR.name} – Medium</title><meta property="al:android:app_name" content="Medium"></head><body><h1>${AUTHOR.name}</h1></body></html>`);

  const tab = await context.newPage();
  await tab.goto(`https://medium.com/@${AUTHOR.handle}`);
  await tab.bringToFront();
  const page = await popup.open();
  expect(await allowed(page, GIST_HOSTS)).toBe(false);
  await page.getByRole('button', { name: `Follow ${AUTHOR.name}` }).click();
  await expect(page.getByRole('status').filter({ hasText: `Following ${AUTHOR.name}` })).toBeVisible();

  // Without the gist hosts nothing was fetched from GitHub: two placeholders, each with Fetch code.
  await popup.tab('Inbox').click();
  await popup.openArticle(post.title);
  const placeholders = page.getByRole('group', { name: 'Embedded code not stored yet' });
  await expect(placeholders).toHaveCount(2);
  await expect(placeholders.first()).toContainText('Offprint needs to read gist.github.com');
  expect(server.requests.filter((r) => /api\.github\.com/.test(r.url))).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('gists-placeholders.png') });

  await placeholders.first().getByRole('button', { name: 'Fetch code' }).click();
  await expect(page.locator('.article-body figure figcaption')).toHaveCount(3, { timeout: 20_000 });
  expect(await allowed(page, GIST_HOSTS)).toBe(true);
  // Polled, as the Chromium spec does: three captions can be there a moment before every code block (CI, loaded: [] twice).
  await expect.poll(() => codeBlocks(page)).toEqual([...expected(DEPLOY_GIST), ...expected(PROBE_GIST)]);
  await expect(placeholders).toHaveCount(0);

  await context.setOffline(true);
  popup.page = undefined;
  const offline = await popup.open();
  expect(await offline.evaluate(() => navigator.onLine)).toBe(false);
  await popup.tab('Inbox').click();
  await popup.openArticle(post.title);
  await expect(offline.locator('.article-body figure figcaption')).toHaveCount(3);
  await expect.poll(() => codeBlocks(offline)).toEqual([...expected(DEPLOY_GIST), ...expected(PROBE_GIST)]);
  const text = await offline.locator('.article-body').innerText();
  expect(text.indexOf('First the manifest.')).toBeLessThan(text.indexOf('deployment.yaml'));
  expect(text.indexOf('Then the probe.')).toBeLessThan(text.indexOf('probe.go'));
  await offline.screenshot({ path: test.info().outputPath('gists-offline.png') });
});

test('Fetch full text on a small Pocket export: extracted in the event page, the 404 explained, readable offline', async ({ context, server, popup, origin }) => {
  const hosts = ['blog.opsnotes.dev', 'sre.example.org'];
  const links = [0, 1, 2].map((i) => {
    const host = hosts[i % hosts.length]!;
    const url = `https://${host}/posts/article-${i}`;
    server.route(url, { headers: { 'content-type': 'text/html; charset=utf-8' }, body: articlePage(i, host) });
    server.route(`https://${host}/img/diagram-${i}.png`, { headers: { 'content-type': 'image/png' }, body: PNG });
    return { url, title: `Saved link ${i}` };
  });
  const gone = { url: 'https://blog.opsnotes.dev/posts/removed-draft', title: 'A removed draft' };
  server.route('https://shop.example.com/', { headers: { 'content-type': 'text/html' }, body: NOT_ARTICLE_PAGE });
  const file = join(test.info().outputPath(), 'pocket-export.csv');
  writeFileSync(file, pocketCsv([...links, gone]));

  const page = await context.newPage();
  await page.goto(`${origin}/options.html`);
  await page.getByRole('heading', { name: 'Full text for link-only articles' }).waitFor();
  await page.getByLabel('Choose files to import').setInputFiles([file]);
  await expect(page.getByRole('list', { name: 'Imported files' })).toContainText('Imported 4 articles', { timeout: 30_000 });
  const panel = page.getByRole('region', { name: 'Full text for link-only articles' });
  await expect(panel).toContainText('4 saved articles hold only a link');
  expect(await allowed(page, ['https://*/*'])).toBe(false);

  await panel.getByRole('button', { name: 'Fetch full text for all 4' }).click();
  const status = panel.getByRole('status', { name: 'Full text progress' });
  await expect(status).toContainText('Full text: 4/4 done, 1 failed', { timeout: 60_000 });
  expect(await allowed(page, ['https://*/*'])).toBe(true);
  const failures = panel.getByRole('list', { name: 'Articles whose full text could not be fetched' });
  await expect(failures.getByRole('listitem')).toHaveCount(1);
  await expect(failures.getByRole('listitem').filter({ hasText: gone.title })).toContainText('The page is gone (the site answered 404 Not Found).');
  await page.screenshot({ path: test.info().outputPath('fulltext-done.png'), fullPage: true });

  for (const l of links) expect(server.requestsTo(l.url)).toHaveLength(1);
  await expect
    .poll(async () => (await storedRecords<{ offline: string; wordCount: number }>(page, 'articles')).filter((a) => a.offline === 'ready' && a.wordCount > 100).length, { timeout: 30_000 })
    .toBe(3);

  await context.setOffline(true);
  const p = await popup.open();
  await popup.tab('Saved').click();
  await popup.openArticle('Notes on etcd backups #2');
  await expect.poll(() => p.locator('.article-body pre code').textContent()).toBe('kind: ConfigMap\nmetadata:\n  name: article-2\ndata:\n  level: "debug"   # keep\n\ttabbed: true\n');
  await expect(p.locator('.article-body img')).toHaveAttribute('src', /^blob:moz-extension:/);
  await p.screenshot({ path: test.info().outputPath('fulltext-offline.png') });
});
