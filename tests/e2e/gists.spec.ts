import type { Page } from '@playwright/test';
import { clickToolbarButton } from './capture.helpers';
import { expect } from './harness/fixtures';
import { testWithHosts } from './harness/granted';
import { AUTHOR, mediumAuthorFeed, type MediumPostSpec } from '../fixtures/feeds/medium';
import { DEPLOY_GIST, MEDIA_HASH_1, MEDIA_HASH_2, PROBE_GIST, feedIframe, mediumPostPage } from '../fixtures/gists/gists';
import { codeBlocks, expected, serveGists } from './gists.helpers';

const test = testWithHosts(['https://gist.github.com/*', 'https://api.github.com/*', 'https://gist.githubusercontent.com/*']);

/** How many stored articles there are, and how many still wait for embedded code. */
async function pendingCode(page: Page): Promise<{ articles: number; pending: number }> {
  return page.evaluate(
    () =>
      new Promise((done) => {
        const open = indexedDB.open('offprint');
        open.onsuccess = () => {
          const req = open.result.transaction('contents').objectStore('contents').getAll();
          req.onsuccess = () => {
            const all = req.result as { html: string }[];
            done({ articles: all.length, pending: all.filter((c) => c.html.includes('<pre data-offprint-gist')).length });
          };
        };
      }),
  );
}


test('gists embedded in a Medium feed item and in a clipped Medium page are stored as exact code blocks and shown offline', async ({ context, server, popup, extensionId }) => {
  serveGists(server);
  const post: MediumPostSpec = { id: '9a8b7c6d5e4f', title: 'Rolling out without fear', tags: ['kubernetes'], body: ['First the manifest.'] };
  const feed = mediumAuthorFeed([post]).replace('<p>First the manifest.</p>', `<p>First the manifest.</p>${feedIframe(MEDIA_HASH_1)}<p>Then the probe.</p>${feedIframe(MEDIA_HASH_2)}<p>That is all.</p>`);
  server.route(`https://medium.com/feed/@${AUTHOR.handle}`, { headers: { 'content-type': 'application/rss+xml; charset=utf-8' }, body: feed });
  server.page(`https://medium.com/@${AUTHOR.handle}`, `<!doctype html><html><head><title>${AUTHOR.name} – Medium</title><meta property="al:android:app_name" content="Medium"></head><body><h1>${AUTHOR.name}</h1></body></html>`);

  const profile = await context.newPage();
  await profile.goto(`https://medium.com/@${AUTHOR.handle}`);
  const page = await popup.open();
  await page.getByRole('button', { name: `Follow ${AUTHOR.name}` }).click();
  await expect(page.getByRole('status').filter({ hasText: `Following ${AUTHOR.name}` })).toBeVisible();

  // A Medium page with one gist, clipped from its tab.
  const clipUrl = 'https://medium.com/@ops-writer/readiness-probes-that-tell-the-truth-0123456789ab';
  server.page(clipUrl, mediumPostPage('Readiness probes that tell the truth', MEDIA_HASH_2));
  const clipTab = await context.newPage();
  await clipTab.goto(clipUrl);
  await clickToolbarButton(context, clipTab, extensionId);
  await clipTab.bringToFront();
  await popup.open();
  await page.getByRole('button', { name: 'Save this page' }).click();
  await expect(page.getByRole('status', { name: 'Save status' })).toContainText('Saved');

  // Both articles have their code in before going offline.
  await expect.poll(() => pendingCode(page), { timeout: 20_000 }).toEqual({ articles: 2, pending: 0 });

  await context.setOffline(true);
  await popup.open();
  await popup.tab('Inbox').click();
  await popup.openArticle(post.title);
  await expect(page.locator('.article-body figure figcaption')).toHaveCount(3);
  await expect.poll(() => codeBlocks(page)).toEqual([...expected(DEPLOY_GIST), ...expected(PROBE_GIST)]);
  await expect(page.getByRole('group', { name: 'Embedded code not stored yet' })).toHaveCount(0);
  // In place: between the paragraphs it sat between.
  const bodyText = await page.locator('.article-body').innerText();
  expect(bodyText.indexOf('First the manifest.')).toBeLessThan(bodyText.indexOf('deployment.yaml'));
  expect(bodyText.indexOf('rollout.sh')).toBeLessThan(bodyText.indexOf('Then the probe.'));
  expect(bodyText.indexOf('Then the probe.')).toBeLessThan(bodyText.indexOf('probe.go'));
  await page.screenshot({ path: test.info().outputPath('feed-gists-offline.png') });

  const reader = await popup.openInTab();
  await reader.locator('.article-body figure').first().waitFor();
  await expect.poll(() => codeBlocks(reader)).toEqual([...expected(DEPLOY_GIST), ...expected(PROBE_GIST)]);
  await reader.screenshot({ path: test.info().outputPath('reader-gists-offline.png'), fullPage: true });
  await reader.close();

  // The popup closed itself when it opened the tab.
  popup.page = undefined;
  const again = await popup.open();
  await popup.tab('Saved').click();
  await popup.openArticle('Readiness probes that tell the truth');
  await expect.poll(() => codeBlocks(again)).toEqual(expected(PROBE_GIST));
  await context.setOffline(false);

  // The page clipped again (its gist an iframe again, so a placeholder in the new capture): the
  // library keeps the code already stored in place of the placeholder, and GitHub is not asked again.
  const apiCalls = () => server.requests.filter((r) => r.url.startsWith('https://api.github.com/')).length;
  const before = apiCalls();
  await clipTab.bringToFront();
  await clickToolbarButton(context, clipTab, extensionId);
  await clipTab.bringToFront();
  popup.page = undefined;
  const later = await popup.open();
  await later.getByRole('button', { name: 'Save this page' }).click();
  await expect(later.getByRole('status', { name: 'Save status' })).toContainText(/Saved|Updated|Already/);
  await expect.poll(() => pendingCode(later)).toEqual({ articles: 2, pending: 0 });
  const clipped = (await storedBodies(later)).find((h) => h.includes('Step 1: probes'))!;
  expect(clipped).toContain('<figcaption>probe.go</figcaption>');
  await popup.tab('Saved').click();
  await popup.openArticle('Readiness probes that tell the truth');
  await expect.poll(() => codeBlocks(later)).toEqual(expected(PROBE_GIST));
  expect(apiCalls()).toBe(before);
});

/** The stored HTML of every article. */
function storedBodies(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((done) => {
        const open = indexedDB.open('offprint');
        open.onsuccess = () => {
          const req = open.result.transaction('contents').objectStore('contents').getAll();
          req.onsuccess = () => done((req.result as { html: string }[]).map((c) => c.html));
        };
      }),
  );
}

test('a gist whose host fails leaves a placeholder with its link and Fetch code, and fills in later', async ({ context, server, popup, extensionId }) => {
  const state = serveGists(server, { down: true });
  const url = 'https://blog.example.dev/posts/probe-config';
  const para = (n: number) => `<p>Paragraph ${n}: the probe config below is the one we run in production, with the timeouts we learned the hard way after the incident in March. Keep it cheap and honest.</p>`;
  server.page(url, `<!doctype html><html><head><title>Probe config we run</title></head><body><article><h1>Probe config we run</h1>${para(1)}${para(2)}<script src="https://gist.github.com/${PROBE_GIST.user}/${PROBE_GIST.id}.js"></script>${para(3)}${para(4)}</article></body></html>`);
  const tab = await context.newPage();
  await tab.goto(url);
  await clickToolbarButton(context, tab, extensionId);
  const page = await popup.open();
  await tab.bringToFront();
  await page.getByRole('button', { name: 'Save this page' }).click();
  await expect(page.getByRole('status', { name: 'Save status' })).toContainText('Saved');
  await popup.tab('Saved').click();
  await popup.openArticle('Probe config we run');
  const placeholder = page.getByRole('group', { name: 'Embedded code not stored yet' });
  await expect(placeholder).toBeVisible();
  await expect(placeholder.getByRole('link', { name: `https://gist.github.com/${PROBE_GIST.user}/${PROBE_GIST.id}` })).toBeVisible();
  await expect(placeholder).toContainText('503');
  expect(await pendingCode(page)).toEqual({ articles: 1, pending: 1 });
  await page.screenshot({ path: test.info().outputPath('gist-placeholder.png') });

  state.down = false;
  await placeholder.getByRole('button', { name: 'Fetch code' }).click();
  await expect(page.locator('.article-body figure figcaption')).toHaveText(['probe.go']);
  await expect.poll(() => codeBlocks(page)).toEqual(expected(PROBE_GIST));
  await expect(placeholder).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('gist-filled.png') });
});
