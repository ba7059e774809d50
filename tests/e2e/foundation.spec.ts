import { expect, test } from './harness/fixtures';

const ARTICLE = {
  url: 'https://medium.com/@devops-writer/rolling-updates-without-downtime-1a2b3c4d5e6f',
  guid: 'https://medium.com/p/1a2b3c4d5e6f',
  source: 'feed' as const,
  title: 'Rolling updates without downtime',
  author: 'Dana Ops',
  siteName: 'Medium',
  publishedAt: Date.UTC(2026, 9, 12),
  savedAt: Date.UTC(2026, 9, 12),
  html: '<p>Set <code>maxUnavailable</code> to zero.</p><pre>spec:\n  strategy:\n    rollingUpdate:\n      maxUnavailable: 0</pre><p onclick="alert(1)">Then watch the rollout.</p>',
  text: 'Set maxUnavailable to zero.\n\nspec:\n  strategy:\n    rollingUpdate:\n      maxUnavailable: 0\n\nThen watch the rollout.',
};

test('the service worker starts and answers messages', async ({ serviceWorker, popup }) => {
  expect(serviceWorker.url()).toMatch(/^chrome-extension:\/\/[a-p]{32}\/background\.js$/);
  const page = await popup.open();
  const reply = await page.evaluate(() => chrome.runtime.sendMessage({ type: 'ping' }));
  expect(reply).toEqual({ ok: true, value: 'pong' });
});

test('a first run shows the welcome, then a stored article appears and opens in the popup and the reader', async ({ popup, reader }) => {
  await popup.open();
  await expect(popup.welcome).toBeVisible();
  await expect(popup.tab('Inbox')).toHaveAttribute('aria-selected', 'true');

  await popup.addArticles([ARTICLE]);
  await expect(popup.article(ARTICLE.title)).toBeVisible();
  await expect(popup.welcome).toBeHidden();
  await expect(popup.tab('Inbox')).toContainText('1');

  await popup.openArticle(ARTICLE.title);
  const page = popup.page!;
  await expect(page.getByText('Dana Ops')).toBeVisible();
  const code = page.locator('.article-body pre');
  await expect(code).toHaveText('spec:\n  strategy:\n    rollingUpdate:\n      maxUnavailable: 0');
  // Stored content is sanitized again when shown.
  await expect(page.locator('[onclick]')).toHaveCount(0);

  reader.attach(await popup.openInTab());
  await expect(reader.title).toHaveText(ARTICLE.title);
  await expect(reader.body).toContainText('Then watch the rollout.');
});

test('the library and reader work with the browser offline', async ({ context, popup, reader }) => {
  await popup.open();
  const [id] = await popup.addArticles([ARTICLE]);
  await context.setOffline(true);

  await popup.open();
  await expect(popup.article(ARTICLE.title)).toBeVisible();
  await reader.open(id!);
  await expect(reader.title).toHaveText(ARTICLE.title);
  await expect(reader.body.locator('pre')).toContainText('maxUnavailable: 0');
});

declare const chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> } };

test('real hostnames reach the local fixture server over HTTP and HTTPS, and nothing else', async ({ context, server }) => {
  server.page('https://medium.com/@devops-writer', '<!doctype html><title>Dana Ops – Medium</title><h1>Dana Ops</h1>');
  server.page('http://blog.devops.dev/', '<!doctype html><title>DevOps blog</title><h1>A custom domain</h1>');
  const page = await context.newPage();
  await page.goto('https://medium.com/@devops-writer');
  await expect(page.getByRole('heading', { name: 'Dana Ops' })).toBeVisible();
  await page.goto('http://blog.devops.dev/');
  await expect(page.getByRole('heading', { name: 'A custom domain' })).toBeVisible();
  expect(server.requestsTo('https://medium.com/@devops-writer')).toHaveLength(1);
  const missing = await page.goto('https://example.org/nothing-here');
  expect(missing?.status()).toBe(404);
});
