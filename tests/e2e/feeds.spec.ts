import type { Page } from '@playwright/test';
import { expect, test } from './harness/fixtures';
import type { FixtureResponse, FixtureServer } from './harness/server';
import { AUTHOR, mediumAuthorFeed, samplePosts } from '../fixtures/feeds/medium';

const FEED = `https://medium.com/feed/@${AUTHOR.handle}`;
const PROFILE = `https://medium.com/@${AUTHOR.handle}`;
const posts = samplePosts(11);

/** The author's Medium profile page, with the meta tags Medium pages carry. */
function serveProfile(server: FixtureServer) {
  server.page(
    PROFILE,
    `<!doctype html><html><head><title>${AUTHOR.name} – Medium</title><meta property="og:title" content="${AUTHOR.name} – Medium"><meta property="al:android:app_name" content="Medium"></head><body><h1>${AUTHOR.name}</h1></body></html>`,
  );
}

/** Serves the feed with an ETag; answers 304 to a matching If-None-Match. */
function serveFeed(server: FixtureServer, state: { body: string; etag: string }) {
  server.route(FEED, (req): FixtureResponse =>
    req.headers['if-none-match'] === state.etag
      ? { status: 304, headers: { etag: state.etag } }
      : { headers: { 'content-type': 'application/rss+xml; charset=utf-8', etag: state.etag }, body: state.body },
  );
}

async function storedHtml(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('offprint');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('contents').objectStore('contents').getAll();
          req.onsuccess = () => resolve((req.result as { html: string }[]).map((c) => c.html));
          req.onerror = () => reject(req.error);
        };
      }),
  );
}

test('following an author from their Medium page stores every post, readable offline, and later polls add only what is new', async ({ context, server, popup, reader, serviceWorker }) => {
  serveProfile(server);
  const feed = { body: mediumAuthorFeed(posts.slice(1)), etag: '"v1"' };
  serveFeed(server, feed);

  const tab = await context.newPage();
  await tab.goto(PROFILE);
  const page = await popup.open();

  await expect(page.getByRole('button', { name: `Follow ${AUTHOR.name}` })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('follow-offer.png') });
  await page.getByRole('button', { name: `Follow ${AUTHOR.name}` }).click();
  await expect(page.getByRole('status').filter({ hasText: `Following ${AUTHOR.name}: 10 articles added.` })).toBeVisible();
  await expect(page.getByText(`✓ Following ${AUTHOR.name}`)).toBeVisible();
  await expect(popup.tab('Inbox')).toContainText('10');
  await expect(popup.articleList.getByRole('listitem')).toHaveCount(10);
  // The toolbar badge shows the unread count, and polling is scheduled.
  await expect.poll(() => serviceWorker.evaluate(() => chrome.action.getBadgeText({}))).toBe('10');
  expect(await serviceWorker.evaluate(() => chrome.alarms.get('feeds:poll').then((a) => a?.periodInMinutes))).toBe(5);

  // Stored HTML has no tracking pixel and no ?source= links; nothing ever asked for the pixel.
  const html = await storedHtml(page);
  expect(html).toHaveLength(10);
  for (const h of html) {
    expect(h).not.toContain('_/stat');
    expect(h).not.toContain('source=rss');
  }
  expect(server.requests.filter((r) => r.url.includes('/_/stat'))).toHaveLength(0);

  // Readable offline, code line breaks kept.
  await context.setOffline(true);
  await popup.openArticle(posts[1]!.title);
  // Medium puts <br> inside <pre>: the rendered text keeps every line.
  await expect(page.locator('.article-body pre')).toBeVisible();
  expect(await page.locator('.article-body pre').innerText()).toBe(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: demo-1\nspec:\n  containers:\n  - name: app\n    image: nginx`);
  reader.attach(await popup.openInTab());
  await expect(reader.title).toHaveText(posts[1]!.title);
  await expect(reader.body).toContainText('measure first, then change one thing at a time & write it down.');
  await context.setOffline(false);

  // A changed feed: one new post on top, the oldest dropped.
  feed.body = mediumAuthorFeed(posts.slice(0, 10));
  feed.etag = '"v2"';
  // "Open in tab" closed the popup page; open it again.
  popup.page = undefined;
  const again = await popup.open();
  await popup.tab('Following').click();
  await again.getByRole('button', { name: 'Refresh all' }).click();
  await expect(again.getByRole('status').filter({ hasText: 'Checked 1 feed: 1 new article.' })).toBeVisible();
  await expect(popup.tab('Inbox')).toContainText('11');
  const conditional = server.requestsTo(FEED).at(-1)!;
  expect(conditional.headers['if-none-match']).toBe('"v1"');

  // Unchanged: the server answers 304 and nothing is added.
  await again.getByRole('button', { name: `Refresh ${AUTHOR.name}` }).click();
  await expect(again.getByRole('status').filter({ hasText: 'No new articles.' })).toBeVisible();
  expect(server.requestsTo(FEED).at(-1)!.headers['if-none-match']).toBe('"v2"');
  await expect(popup.tab('Inbox')).toContainText('11');
  const row = again.getByRole('listitem', { name: `${AUTHOR.name}` });
  await expect(row).toContainText('11 articles · 11 unread');
  await again.screenshot({ path: test.info().outputPath('following.png') });
});

test('a feed that starts failing shows its error in plain words in the Following view', async ({ server, popup }) => {
  let gone = false;
  server.route(FEED, () => (gone ? { status: 404, body: 'Not found' } : { headers: { 'content-type': 'application/rss+xml' }, body: mediumAuthorFeed(posts.slice(0, 2)) }));
  const page = await popup.open();
  await popup.tab('Following').click();
  await page.getByLabel(/Follow an author or feed/).fill(`@${AUTHOR.handle}`);
  await page.getByRole('button', { name: 'Follow', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: `Following ${AUTHOR.name}: 2 articles added.` })).toBeVisible();

  gone = true;
  await page.getByRole('button', { name: `Refresh ${AUTHOR.name}` }).click();
  const row = page.getByRole('listitem', { name: `${AUTHOR.name}` });
  await expect(row.getByRole('alert')).toHaveText('The feed was not found (HTTP 404). The author or site may have moved or removed it.');
  await expect(row).toContainText('2 articles · 2 unread');
  await page.screenshot({ path: test.info().outputPath('following-error.png') });

  // Unfollow, keeping the articles.
  await row.getByRole('button', { name: `Unfollow ${AUTHOR.name}` }).click();
  await page.getByRole('group', { name: `Unfollow ${AUTHOR.name}?` }).getByRole('button', { name: 'Keep articles' }).click();
  await expect(page.getByText('You are not following anyone yet.')).toBeVisible();
  await expect(popup.tab('Inbox')).toContainText('2');
});

test('pasting something that is not a feed explains why and saves nothing', async ({ server, popup }) => {
  server.page('https://medium.com/about-nothing', '<!doctype html><title>Nothing</title>');
  const page = await popup.open();
  await popup.tab('Following').click();
  const input = page.getByLabel(/Follow an author or feed/);
  await input.fill('hello world');
  await page.getByRole('button', { name: 'Follow', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('That is not a web address, an @handle or a feed address.');
  await input.fill('@nobody-here');
  await page.getByRole('button', { name: 'Follow', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('The feed was not found (HTTP 404). The author or site may have moved or removed it.');
  await expect(page.getByText('You are not following anyone yet.')).toBeVisible();
});

declare const chrome: {
  action: { getBadgeText(details: object): Promise<string> };
  alarms: { get(name: string): Promise<{ periodInMinutes?: number } | undefined> };
};
