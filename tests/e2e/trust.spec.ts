import { writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { AUTHOR, mediumAuthorFeed, type MediumPostSpec } from '../fixtures/feeds/medium';
import { clickToolbarButton, serveCaptureFixture } from './capture.helpers';
import { expect, test } from './harness/fixtures';
import { readStore } from './harness/stored';
import { ExtensionPage } from './pages/extension-page';

/** The options page's Import section. */
class Options extends ExtensionPage {
  get view(): Page {
    return this.current;
  }
  async open(): Promise<Page> {
    const page = await this.openPath('options.html');
    await page.getByRole('heading', { name: 'Import', exact: true }).waitFor();
    return page;
  }
  async importFile(name: string, body: string | Buffer): Promise<void> {
    const path = test.info().outputPath(name);
    writeFileSync(path, body);
    await this.current.getByLabel('Choose files to import').setInputFiles([path]);
  }
  row(name: string) {
    return this.current.getByRole('list', { name: 'Imported files' }).getByRole('listitem', { name, exact: true });
  }
  /** Reads an object store through IndexedDB, as the extension stores it. */
  async all<T>(store: string): Promise<T[]> {
    return readStore<T>(this.current, store);
  }
}

test('a Pocket CSV over a clipped article keeps its text, code, author and date, and says so', async ({ context, server, popup, reader, extensionId }) => {
  const fixture = serveCaptureFixture(server, 'medium-code-lazy');
  const tab = await context.newPage();
  await tab.goto(fixture.url);
  await clickToolbarButton(context, tab, extensionId);
  await tab.bringToFront();
  const popupPage = await popup.open();
  await popupPage.getByRole('button', { name: 'Save this page' }).click();
  await expect(popupPage.getByRole('status', { name: 'Save status' })).toContainText('Saved');

  const options = new Options(context, extensionId);
  await options.open();
  const [clipped] = await options.all<{ id: string; url: string; author: string; publishedAt: number }>('articles');
  const csv = `title,url,time_added,cursor,tags,status\n${clipped!.url},${clipped!.url}?utm_source=pocket,1760000000,A1,from-pocket,unread\n`;
  await options.importFile('part_000000.csv', csv);
  await expect(options.row('part_000000.csv')).toContainText('1 article already in your library kept its fuller text');
  await options.view.screenshot({ path: test.info().outputPath('pocket-over-clip.png') });

  const [after] = await options.all<{ id: string; author: string; publishedAt: number; tags: string[]; captureWarning?: string }>('articles');
  expect(after).toMatchObject({ author: clipped!.author, publishedAt: clipped!.publishedAt, tags: ['from-pocket'] });
  expect(after!.captureWarning).toBeUndefined();
  await reader.open(clipped!.id);
  await expect(reader.title).toHaveText(fixture.expected.meta.title!);
  await expect(reader.page!.locator('.byline')).toContainText('Ana Ortiz');
  await expect(reader.body.locator('pre')).toHaveCount(fixture.expected.code.length);
  await expect(reader.body).not.toContainText('Saved in Pocket');
  await reader.page!.screenshot({ path: test.info().outputPath('reader-after-pocket.png'), fullPage: true });
});

test('a feed item with a javascript: link and markup in its title: plain title, no live link', async ({ context, extensionId, popup, reader }) => {
  const options = new Options(context, extensionId);
  await options.open();
  const body = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
  const feed = `<?xml version="1.0"?><rss version="2.0"><channel><title>Ops &lt;i&gt;weekly&lt;/i&gt;</title><link>https://ops.example/</link>
    <item><title>&lt;b&gt;Kubernetes&lt;/b&gt; tips &amp; tricks</title><link>javascript:alert(document.domain)</link><guid isPermaLink="false">item-1</guid>
    <description>&lt;p&gt;${body} &lt;a href="javascript:alert(1)"&gt;click&lt;/a&gt;&lt;/p&gt;</description></item></channel></rss>`;
  await options.importFile('ops.xml', feed);
  await expect(options.row('ops.xml')).toContainText('Imported 1 article');
  const [article] = await options.all<{ id: string; title: string }>('articles');
  expect(article!.title).toBe('Kubernetes tips & tricks');

  await popup.open();
  await popup.tab('Saved').click();
  await expect(popup.article('Kubernetes tips & tricks')).toBeVisible();
  await reader.open(article!.id);
  await expect(reader.title).toHaveText('Kubernetes tips & tricks');
  await expect(reader.page!.getByRole('link', { name: 'Read the original' })).toHaveCount(0);
  await expect(reader.page!.getByText('Original address (not a web link): javascript:alert(document.domain)')).toBeVisible();
  expect(await reader.page!.locator('a[href^="javascript:"]').count()).toBe(0);
  await expect(reader.body.getByText('click')).toBeVisible();
  await reader.page!.screenshot({ path: test.info().outputPath('reader-javascript-link.png') });
});

test('a backup with active content is restored sanitized, and the message says how much was removed', async ({ context, extensionId }) => {
  const options = new Options(context, extensionId);
  await options.open();
  const words = Array.from({ length: 40 }, (_, i) => `term${i}`).join(' ');
  const backup = {
    format: 'offprint-backup',
    version: 1,
    exportedAt: 1,
    feeds: [],
    articles: [
      {
        id: 'b1', url: 'https://blog.example/b1', source: 'clip', box: 'saved', title: 'Restored post', tags: [], savedAt: 1, sortAt: 1, wordCount: 40, readingMinutes: 1,
        isRead: 0, starred: 0, progress: 0, isPreview: 0, isReply: 0, offline: 'pending',
        html: `<p onclick="steal()">${words}</p><script>alert(1)</script><img src="https://img.example/x.png" onerror="alert(2)">`, text: words,
      },
    ],
  };
  await options.importFile('offprint-backup.json', JSON.stringify(backup));
  await expect(options.row('offprint-backup.json')).toContainText('Restored 1 article.');
  await expect(options.row('offprint-backup.json')).toContainText('Removed 3 pieces of active content (scripts, handlers, frames) from 1 article.');
  const [content] = await options.all<{ html: string }>('contents');
  expect(content!.html).not.toMatch(/onclick|onerror|<script/);
  expect(content!.html).toContain('term39');
});

test('a deeply nested HTML file does not freeze the options page, and Cancel stops it at once', async ({ context, extensionId }) => {
  const options = new Options(context, extensionId);
  const page = await options.open();
  const prose = Array.from({ length: 12 }, (_, i) => `<p>Paragraph ${i} about draining nodes before an upgrade, with enough words to read as prose.</p>`).join('');
  const deep = (n: number) => `<!doctype html><html><head><title>Deep page</title></head><body>${'<div>'.repeat(n)}<article><h1>Deep page</h1>${prose}</article>${'</div>'.repeat(n)}</body></html>`;

  await options.importFile('deep.html', deep(100_000));
  await expect(options.row('deep.html')).toContainText('Imported 1 article', { timeout: 30_000 });
  // The page answered while it worked: it is usable right after.
  expect(await page.evaluate(() => 1 + 1)).toBe(2);
  const [article] = await options.all<{ captureWarning: string }>('articles');
  expect(article!.captureWarning).toMatch(/nested \d+ levels deep/);

  await options.importFile('deeper.html', deep(1_000_000));
  await page.getByRole('button', { name: 'Cancel import' }).click();
  await expect(options.row('deeper.html')).toContainText('Import cancelled; nothing from this file was stored.');
  expect(await options.all('articles')).toHaveLength(1);
  await page.screenshot({ path: test.info().outputPath('deep-cancelled.png') });
});

test('an import its page left unfinished is shown as interrupted, with Retry', async ({ context, extensionId }) => {
  const options = new Options(context, extensionId);
  const page = await options.open();
  // What a page closed in the middle of saving leaves behind: a job still "running", silent for a minute.
  await page.evaluate(
    () =>
      new Promise<void>((done, fail) => {
        const open = indexedDB.open('offprint');
        open.onsuccess = () => {
          const t = Date.now() - 60_000;
          const value = { id: 'j1', kind: 'import', label: 'big.csv', stage: 'saving', done: 200, total: 1000, status: 'running', startedAt: t, updatedAt: t, owner: 'closed-page' };
          const tx = open.result.transaction('kv', 'readwrite');
          tx.objectStore('kv').put({ key: 'jobs:j1', value });
          tx.oncomplete = () => {
            open.result.close();
            done();
          };
          tx.onerror = () => fail(tx.error);
        };
      }),
  );
  await page.reload();
  const notice = page.getByRole('alert', { name: 'Interrupted import of big.csv' });
  await expect(notice).toContainText('The import of “big.csv” was interrupted (Saving, 200 of 1000) when its page closed. Nothing from it was stored.');
  await expect(notice.getByRole('button', { name: 'Retry: choose “big.csv” again' })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('interrupted-import.png') });
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('alert', { name: 'Interrupted import of big.csv' })).toHaveCount(0);
});

test('following an author whose feed holds only replies says why nothing was added, and shows them on request', async ({ context, server, popup }) => {
  const reply: MediumPostSpec = { id: 'eeee00000001', title: 'Thanks, glad it helped!', body: ['Thanks, glad it helped!'], tags: [], reply: true };
  const profile = `https://medium.com/@${AUTHOR.handle}`;
  server.page(profile, `<!doctype html><html><head><title>${AUTHOR.name} – Medium</title><meta property="al:android:app_name" content="Medium"></head><body><h1>${AUTHOR.name}</h1></body></html>`);
  server.route(`https://medium.com/feed/@${AUTHOR.handle}`, { headers: { 'content-type': 'application/rss+xml; charset=utf-8' }, body: mediumAuthorFeed([reply]) });
  const tab = await context.newPage();
  await tab.goto(profile);
  const page = await popup.open();
  await page.getByRole('button', { name: `Follow ${AUTHOR.name}` }).click();
  await expect(page.getByRole('status').filter({ hasText: `Following ${AUTHOR.name}: 0 articles added; 1 post was hidden as an author reply` })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('follow-hidden-reply.png') });
  await page.getByRole('button', { name: 'Show the hidden reply' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Added 1 reply to your Inbox.' })).toBeVisible();
  await popup.tab('Inbox').click();
  await expect(popup.article('Thanks, glad it helped!')).toBeVisible();
});

test('Copy on code from a Medium feed gives every line', async ({ context, extensionId, reader }) => {
  const options = new Options(context, extensionId);
  await options.open();
  const words = Array.from({ length: 40 }, (_, i) => `step${i}`).join(' ');
  const feed = `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Stories by Ana on Medium</title><link>https://medium.com/@ana</link>
    <item><title>Draining nodes</title><link>https://medium.com/@ana/draining-nodes-1a2b3c4d5e6f</link><guid isPermaLink="false">https://medium.com/p/1a2b3c4d5e6f</guid><category>kubernetes</category><dc:creator>Ana</dc:creator>
    <content:encoded><![CDATA[<p>${words}</p><pre>kubectl cordon node-7<br>kubectl drain node-7 --ignore-daemonsets<br>kubectl uncordon node-7</pre>]]></content:encoded></item></channel></rss>`;
  await options.importFile('medium.xml', feed);
  await expect(options.row('medium.xml')).toContainText('Imported 1 article');
  const [article] = await options.all<{ id: string }>('articles');
  await context.addInitScript(() => {
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: async (t: string) => void ((window as unknown as { copied: string }).copied = t) } });
  });
  await reader.open(article!.id);
  await reader.page!.getByRole('button', { name: 'Copy code' }).click();
  await expect(reader.page!.getByRole('button', { name: 'Copy code' })).toHaveText('Copied');
  expect(await reader.page!.evaluate(() => (window as unknown as { copied: string }).copied)).toBe('kubectl cordon node-7\nkubectl drain node-7 --ignore-daemonsets\nkubectl uncordon node-7');
});

test('Readwise Reader and wallabag exports keep their tags and states; an earlier backup brings back a stub’s text', async ({ context, extensionId, popup }) => {
  const options = new Options(context, extensionId);
  await options.open();
  await options.view.getByLabel('Choose files to import').setInputFiles(['tests/fixtures/io/readwise-reader.csv', 'tests/fixtures/io/wallabag-export.json']);
  await expect(options.row('readwise-reader.csv')).toContainText('Readwise Reader export');
  await expect(options.row('readwise-reader.csv')).toContainText('Imported 3 articles; skipped 1 entry: rows with no web address.');
  await expect(options.row('wallabag-export.json')).toContainText('Imported 2 articles');
  const articles = await options.all<{ id: string; url: string; tags: string[]; box: string; starred: number }>('articles');
  expect(articles.find((a) => a.url === 'https://sre.example.org/rolling-restarts')).toMatchObject({ tags: ['kubernetes', 'sre'], box: 'saved' });
  expect(articles.find((a) => a.url === 'https://iac.example.com/state-split')).toMatchObject({ box: 'archive' });
  expect(articles.find((a) => a.url === 'https://db.example.com/pg-capacity')).toMatchObject({ starred: 1 });

  // The Readwise row is a stub; a backup holding its full text brings it back.
  const stub = articles.find((a) => a.url === 'https://alerts.example.net/queue-depth')!;
  const words = Array.from({ length: 80 }, (_, i) => `alert${i}`).join(' ');
  const backup = {
    format: 'offprint-backup', version: 1, exportedAt: 1, feeds: [],
    articles: [{ id: 'old-1', url: stub.url, source: 'clip', box: 'saved', title: 'Queue depth alerts', author: 'Mo Idris', tags: ['alerting'], savedAt: 1, sortAt: 1, wordCount: 80, readingMinutes: 1, isRead: 0, starred: 0, progress: 0, isPreview: 0, isReply: 0, offline: 'pending', html: `<p>${words}</p>`, text: words }],
  };
  await options.importFile('offprint-backup.json', JSON.stringify(backup));
  await expect(options.row('offprint-backup.json')).toContainText('1 article already here got back the backup’s fuller text');
  await popup.open();
  await popup.tab('Saved').click();
  await popup.openArticle('Queue depth alerts');
  await expect(popup.page!.locator('.article-body')).toContainText('alert79');
  await expect(popup.page!.locator('.byline')).toContainText('Mo Idris');
});

test('an OPML file with unsafe or invalid addresses follows the rest and names each one skipped', async ({ context, extensionId }) => {
  const options = new Options(context, extensionId);
  await options.open();
  const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>
    <outline text="Good feed" type="rss" xmlUrl="https://good.example/feed.xml" htmlUrl="javascript:alert(1)"/>
    <outline text="Sneaky" type="rss" xmlUrl="javascript:alert(1)"/>
    <outline text="Broken" type="rss" xmlUrl="https://"/>
  </body></opml>`;
  await options.importFile('follows.opml', opml);
  await expect(options.row('follows.opml')).toContainText('Following 1 new feed; skipped 2 entries: “Sneaky” (javascript: is not a web address), “Broken” (not a valid web address).');
  const feeds = await options.all<{ url: string; siteUrl?: string }>('feeds');
  expect(feeds).toEqual([expect.objectContaining({ url: 'https://good.example/feed.xml' })]);
  expect(feeds[0]!.siteUrl).toBeUndefined();
});
