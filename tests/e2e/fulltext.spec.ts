import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect } from './harness/fixtures';
import { testWithHosts } from './harness/granted';
import { launchWithExtension } from './harness/launch';
import type { FixtureResponse, FixtureServer } from './harness/server';
import { PopupPage } from './pages/popup';
import { NOT_ARTICLE_PAGE, PAYWALL_PAGE, PNG, articlePage, memberOnlyPost, pocketCsv } from '../fixtures/fulltext/pages';

// Fetching pages of any site needs host access; headless Chromium cannot answer the prompt.
const test = testWithHosts(['https://*/*', 'http://*/*']);

const HOSTS = ['blog.opsnotes.dev', 'sre.example.org', 'medium-mirror.example.net', 'platform.example.com', 'k8s.example.io'];

/** n article pages (with an image each) across five hosts, answering after `delayMs`. */
function serveArticles(server: FixtureServer, n: number, delayMs: number): { url: string; title: string }[] {
  return Array.from({ length: n }, (_, i) => {
    const host = HOSTS[i % HOSTS.length]!;
    const url = `https://${host}/posts/article-${i}`;
    server.route(url, { headers: { 'content-type': 'text/html; charset=utf-8' }, body: articlePage(i, host), delayMs });
    server.route(`https://${host}/img/diagram-${i}.png`, { headers: { 'content-type': 'image/png' }, body: PNG });
    return { url, title: `Saved link ${i}` };
  });
}

type Row = Record<string, unknown>;
async function all(page: Page, store: string): Promise<Row[]> {
  return page.evaluate(
    (name) =>
      new Promise<Row[]>((done, fail) => {
        const open = indexedDB.open('offprint');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction(name).objectStore(name).getAll();
          req.onsuccess = () => done(req.result as Row[]);
          req.onerror = () => fail(req.error);
        };
      }),
    store,
  );
}

async function openOptions(page: Page, extensionId: string) {
  await page.goto(`chrome-extension://${extensionId}/options.html`);
  await page.getByRole('heading', { name: 'Full text for link-only articles' }).waitFor();
}

test('a Pocket export of links becomes readable articles offline after Fetch full text; failures are explained', async ({ context, server, popup, extensionId }) => {
  const links = serveArticles(server, 50, 100);
  const gone = { url: 'https://blog.opsnotes.dev/posts/removed-draft', title: 'A removed draft' };
  const premium = { url: 'https://news.example.com/premium/kafka', title: 'Premium: scaling Kafka' };
  server.route(premium.url, { headers: { 'content-type': 'text/html' }, body: PAYWALL_PAGE });
  server.route('https://shop.example.com/', { headers: { 'content-type': 'text/html' }, body: NOT_ARTICLE_PAGE });
  const file = join(test.info().outputPath(), 'pocket-export.csv');
  writeFileSync(file, pocketCsv([...links, gone, premium]));

  const page = await context.newPage();
  await openOptions(page, extensionId);
  await page.getByLabel('Choose files to import').setInputFiles([file]);
  await expect(page.getByRole('list', { name: 'Imported files' })).toContainText('Imported 52 articles', { timeout: 30_000 });
  const panel = page.getByRole('region', { name: 'Full text for link-only articles' });
  await expect(panel).toContainText('52 saved articles hold only a link');

  // One article first, from the reader.
  const reader = await context.newPage();
  const first = (await all(page, 'articles')).find((a) => a.url === links[0]!.url)!;
  await reader.goto(`chrome-extension://${extensionId}/reader.html?id=${first.id as string}`);
  await expect(reader.getByRole('note', { name: 'Link only' })).toContainText('Only the link of this article is stored.');
  await reader.getByRole('button', { name: 'Fetch full text' }).click();
  await expect(reader.getByRole('heading', { level: 1, name: 'Notes on probes #0' })).toBeVisible({ timeout: 20_000 });
  await expect(reader.getByRole('note', { name: 'Link only' })).toHaveCount(0);
  await reader.close();

  // Then all the others.
  await page.bringToFront();
  await panel.getByRole('button', { name: 'Fetch full text for all 51' }).click();
  const status = panel.getByRole('status', { name: 'Full text progress' });
  await expect(status).toContainText(/Fetching full text… \d+\/51 done/);
  await page.screenshot({ path: test.info().outputPath('fulltext-progress.png') });
  await expect(status).toContainText('Full text: 51/51 done, 2 failed', { timeout: 60_000 });
  const failures = panel.getByRole('list', { name: 'Articles whose full text could not be fetched' });
  await expect(failures.getByRole('listitem')).toHaveCount(2);
  await expect(failures.getByRole('listitem').filter({ hasText: gone.title })).toContainText('The page is gone (the site answered 404 Not Found).');
  await expect(failures.getByRole('listitem').filter({ hasText: premium.title })).toContainText('Paywall or login wall');
  await page.screenshot({ path: test.info().outputPath('fulltext-done.png'), fullPage: true });

  // Every page was fetched once, and the 50 are readable offline with their images.
  for (const l of links) expect(server.requestsTo(l.url)).toHaveLength(1);
  await expect.poll(async () => (await all(page, 'articles')).filter((a) => a.offline === 'ready' && (a.wordCount as number) > 100).length, { timeout: 30_000 }).toBe(50);
  await context.setOffline(true);
  popup.page = undefined;
  const p = await popup.open();
  await popup.tab('Saved').click();
  await popup.openArticle('Notes on rollouts #49');
  expect(await p.locator('.article-body pre code').textContent()).toBe('kind: ConfigMap\nmetadata:\n  name: article-49\ndata:\n  level: "debug"   # keep\n\ttabbed: true\n');
  await expect(p.locator('.article-body img[src^="blob:"]')).toHaveCount(1);
  await expect(p.getByText('not stored offline yet')).toHaveCount(0);
  await p.screenshot({ path: test.info().outputPath('fulltext-offline-article.png') });
  await context.setOffline(false);
});

test('the service worker killed mid-run, then the browser stopped and started again: the queue resumes each time; nothing finished is fetched twice', async ({ server, extensionDir }) => {
  const links = serveArticles(server, 30, 700);
  const userDataDir = mkdtempSync(join(tmpdir(), 'offprint-restart-'));
  try {
    let launched = await launchWithExtension(server.port, { userDataDir, extensionDir });
    const popup = new PopupPage(launched.context, launched.extensionId);
    await popup.open();
    await popup.addArticles(links.map((l, i) => ({ url: l.url, source: 'import', title: l.title, html: `<p>Saved in Pocket.</p><p><a href="${l.url}">Open</a></p>`, text: 'Saved in Pocket. Open', savedAt: 1_700_000_000_000 + i })));
    const page = await launched.context.newPage();
    await openOptions(page, launched.extensionId);
    await page.getByRole('button', { name: 'Fetch full text for all 30' }).click();
    const doneCount = async () => (await all(page, 'fulltextJobs')).filter((j) => j.state === 'done').length;
    await expect.poll(doneCount, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    // First only the service worker is killed, mid-fetch: its next start picks the queue up.
    const cdp = await launched.context.newCDPSession(page);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    const doneAtKill = await doneCount();
    expect(doneAtKill).toBeLessThan(30);
    const requestsAtKill = server.requests.length;
    const doneUrlsAtKill = (await all(page, 'fulltextJobs')).filter((j) => j.state === 'done').map((j) => j.url as string);
    // Any event starts it again (here a message, as opening the popup sends; else the queue's alarm within a minute).
    await popup.addArticles([]);
    await expect.poll(doneCount, { timeout: 60_000 }).toBeGreaterThan(doneAtKill);
    await expect.poll(doneCount, { timeout: 30_000 }).toBeGreaterThanOrEqual(6);
    const afterKill = server.requests.slice(requestsAtKill).map((r) => r.url);
    for (const url of doneUrlsAtKill) expect(afterKill).not.toContain(url);
    const jobs = await all(page, 'fulltextJobs');
    const doneBefore = jobs.filter((j) => j.state === 'done').map((j) => j.url as string);
    expect(doneBefore.length).toBeLessThan(30);
    // The whole browser goes, its service worker with it, in the middle of fetches.
    await launched.context.close();
    const requestsBefore = server.requests.length;

    launched = await launchWithExtension(server.port, { userDataDir, extensionDir });
    const again = await launched.context.newPage();
    await openOptions(again, launched.extensionId);
    await expect(again.getByRole('status', { name: 'Full text progress' })).toContainText('Full text: 30/30 done', { timeout: 60_000 });
    const failed = (await all(again, 'fulltextJobs')).filter((j) => j.state !== 'done');
    expect(failed, JSON.stringify(failed)).toEqual([]);
    const after = server.requests.slice(requestsBefore).map((r) => r.url);
    for (const url of doneBefore) expect(after).not.toContain(url);
    // Each page at most once per worker life: only fetches a stop cut off are made again. That is
    // the 6 in flight, and on a loaded machine also pages whose keeping waited behind a store
    // transaction (11 after one browser stop under two CPU hogs), so the total is not bounded by 6 a stop.
    for (const l of links) expect(server.requestsTo(l.url).length).toBeLessThanOrEqual(3);
    expect((await all(again, 'articles')).filter((a) => (a.wordCount as number) > 100)).toHaveLength(30);
    await launched.context.close();
  } finally {
    rmSync(userDataDir, { recursive: true, force: true });
  }
});

test('a text file of URLs imports as link-only articles; Fetch full text on a selection waits out Retry-After', async ({ context, server, popup, extensionId }) => {
  const links = serveArticles(server, 3, 0);
  let refused = 0;
  server.route(links[1]!.url, (): FixtureResponse => (refused++ === 0 ? { status: 429, headers: { 'retry-after': '1' }, body: 'slow down' } : { headers: { 'content-type': 'text/html' }, body: articlePage(1, HOSTS[1]!) }));
  const file = join(test.info().outputPath(), 'reading-list.txt');
  writeFileSync(file, `# to read\n${links.map((l) => l.url).join('\n')}\n`);
  const options = await context.newPage();
  await openOptions(options, extensionId);
  await options.getByLabel('Choose files to import').setInputFiles([file]);
  await expect(options.getByRole('list', { name: 'Imported files' })).toContainText('List of links');
  await expect(options.getByRole('list', { name: 'Imported files' })).toContainText('Imported 3 articles');

  const page = await popup.open();
  await popup.tab('Saved').click();
  const titles = links.map((l) => l.url.replace('https://', ''));
  await page.getByRole('checkbox', { name: `Select ${titles[0]}` }).check();
  await page.getByRole('checkbox', { name: `Select ${titles[1]}` }).check();
  await page.getByRole('toolbar', { name: 'Selected articles' }).getByRole('button', { name: 'Fetch full text' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Fetching the full text of 2 link-only articles.' })).toBeVisible();
  await expect(popup.article('Notes on probes #0')).toBeVisible({ timeout: 20_000 });
  await expect(popup.article('Notes on rollouts #1')).toBeVisible({ timeout: 20_000 });
  // Refused once with Retry-After: 1, asked again, and the third link was left alone.
  expect(server.requestsTo(links[1]!.url)).toHaveLength(2);
  expect(server.requestsTo(links[2]!.url)).toHaveLength(0);
  await expect(popup.article(titles[2]!)).toBeVisible();
});

test('a member-only post in the queue goes through the background tab with the reader’s own Medium session; without membership it says so', async ({ context, server, popup, extensionId }) => {
  const member = { url: 'https://medium.com/@ops-writer/draining-node-pools-1a2b3c4d5e6f', title: 'Draining node pools quietly' };
  const notMember = { url: 'https://medium.com/@ops-writer/a-story-for-members-only-6f5e4d3c2b1a', title: 'Cost reviews that stick' };
  // Medium shows the whole post only to a request carrying the member's session cookie.
  server.route(member.url, (req) => ({ headers: { 'content-type': 'text/html; charset=utf-8' }, body: memberOnlyPost(member.title, /(?:^|;\s*)sid=member-session(?:;|$)/.test(req.headers.cookie ?? '')) }));
  // This one is for paying members; the signed-in reader is not one: the preview either way.
  server.route(notMember.url, { headers: { 'content-type': 'text/html; charset=utf-8' }, body: memberOnlyPost(notMember.title, false) });
  await context.addCookies([{ name: 'sid', value: 'member-session', domain: '.medium.com', path: '/', secure: true, httpOnly: true, sameSite: 'Lax' }]);

  await popup.open();
  await popup.addArticles([member, notMember].map((l, i) => ({ url: l.url, source: 'import', title: l.title, html: `<p><a href="${l.url}">Open</a></p>`, text: 'Open', savedAt: 1_700_000_000_000 + i })));
  const page = await context.newPage();
  await openOptions(page, extensionId);
  const panel = page.getByRole('region', { name: 'Full text for link-only articles' });
  await panel.getByRole('button', { name: 'Fetch full text for all 2' }).click();
  const status = panel.getByRole('status', { name: 'Full text progress' });
  await expect(status).toContainText('Full text: 2/2 done, 1 failed', { timeout: 60_000 });
  const failures = panel.getByRole('list', { name: 'Articles whose full text could not be fetched' });
  await expect(failures.getByRole('listitem').filter({ hasText: notMember.title })).toContainText('member-only post and your browser is not signed in as a member');
  await page.screenshot({ path: test.info().outputPath('fulltext-member-only.png'), fullPage: true });

  // The queue's own fetch carries no cookies (the preview); the background tab carries the session.
  const asked = server.requestsTo(member.url).map((r) => /sid=member-session/.test(r.headers.cookie ?? ''));
  expect(asked).toEqual([false, true]);
  // The tab was closed again.
  await expect.poll(() => context.pages().filter((p) => p.url() === member.url).length).toBe(0);

  const stored = (await all(page, 'articles')).find((a) => a.url === member.url)!;
  expect(stored.wordCount as number).toBeGreaterThan(150);
  await context.setOffline(true);
  const reader = await context.newPage();
  await reader.goto(`chrome-extension://${extensionId}/reader.html?id=${stored.id as string}`);
  await expect(reader.getByRole('heading', { level: 1, name: member.title })).toBeVisible();
  await expect(reader.locator('.article-body')).toContainText('Members read this part 5.');
  expect(await reader.locator('.article-body pre code').textContent()).toBe('kubectl drain pool-a-1 --ignore-daemonsets\n  --delete-emptydir-data');
  await expect(reader.getByRole('note', { name: 'Link only' })).toHaveCount(0);
  await reader.screenshot({ path: test.info().outputPath('fulltext-member-only-offline.png') });
  await context.setOffline(false);
});
