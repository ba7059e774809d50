import type { Page } from '@playwright/test';
import { badgeText, clickToolbarButton, runListener, serveCaptureFixture, tabIdOf } from './capture.helpers';
import { expect, test } from './harness/fixtures';
import type { PopupPage } from './pages/popup';

/** Opens a fixture page in its own tab, the way a reader arrives at it. */
async function openPage(context: import('@playwright/test').BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

/** "Save this page" in the popup, for the page the user was just on. */
async function saveFromPopup(popup: PopupPage, from: Page): Promise<Page> {
  await from.bringToFront();
  const page = await popup.open();
  await page.getByRole('button', { name: 'Save this page' }).click();
  return page;
}

async function openSavedInReader(popupPage: Page): Promise<Page> {
  const [reader] = await Promise.all([popupPage.context().waitForEvent('page'), popupPage.getByRole('status', { name: 'Save status' }).getByRole('button', { name: 'Open' }).click()]);
  await reader.waitForLoadState();
  await reader.locator('.article-body').waitFor();
  return reader;
}

test.describe('clipping pages', () => {
  test('the popup button saves a Medium-style article with exact code, lazy images and metadata; saving again updates it', async ({ context, server, popup, extensionId }) => {
    const fixture = serveCaptureFixture(server, 'medium-code-lazy');
    const article = await openPage(context, fixture.url);
    await clickToolbarButton(context, article, extensionId);

    const popupPage = await saveFromPopup(popup, article);
    const status = popupPage.getByRole('status', { name: 'Save status' });
    await expect(status).toContainText('Saved');
    await expect(status.getByRole('button', { name: 'Undo' })).toBeVisible();
    await popupPage.screenshot({ path: test.info().outputPath('popup-saved.png') });

    const reader = await openSavedInReader(popupPage);
    await expect(reader.getByRole('heading', { level: 1 })).toHaveText(fixture.expected.meta.title!);
    await expect(reader.locator('.byline')).toContainText('Ana Ortiz');
    const blocks = reader.locator('.article-body pre');
    await expect(blocks).toHaveCount(fixture.expected.code.length);
    for (const [i, block] of fixture.expected.code.entries()) {
      expect(await blocks.nth(i).evaluate((pre) => pre.textContent)).toBe(block.text);
      if (block.lang) await expect(blocks.nth(i).locator('code')).toHaveClass(`language-${block.lang}`);
    }
    const srcs = await reader.locator('.article-body img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src')));
    expect(srcs).toEqual(expect.arrayContaining(fixture.expected.images));
    for (const noise of fixture.expected.noise) await expect(reader.locator('.article-body')).not.toContainText(noise);
    await expect(reader.getByRole('link', { name: 'Read the original' })).toHaveAttribute('href', fixture.expected.meta.url!);
    await reader.screenshot({ path: test.info().outputPath('reader-medium.png'), fullPage: true });

    // The same page again: one article, updated in place.
    await popupPage.bringToFront();
    await article.bringToFront();
    await popupPage.reload();
    await popupPage.getByRole('button', { name: 'Save this page' }).click();
    await expect(popupPage.getByRole('status', { name: 'Save status' })).toContainText('Updated');
    await expect(popupPage.getByRole('status', { name: 'Save status' }).getByRole('button', { name: 'Undo' })).toHaveCount(0);
    await popup.tab('Saved').click();
    await expect(popup.article(fixture.expected.meta.title!)).toHaveCount(1);
  });

  test('clipping a feed preview upgrades it to full text', async ({ context, server, popup, extensionId }) => {
    const fixture = serveCaptureFixture(server, 'medium-code-lazy');
    await popup.open();
    await popup.addArticles([
      {
        url: fixture.expected.meta.url!,
        guid: 'https://medium.com/p/3f2a9c1b7d4e',
        source: 'feed',
        title: fixture.expected.meta.title!,
        savedAt: Date.UTC(2026, 2, 4),
        html: '<p>Every rolling update I have watched fail…</p>',
        text: 'Every rolling update I have watched fail…',
        isPreview: 1,
      },
    ]);
    await popup.page!.reload();
    await expect(popup.article(fixture.expected.meta.title!)).toContainText('preview');

    const article = await openPage(context, fixture.url);
    await clickToolbarButton(context, article, extensionId);
    const popupPage = await saveFromPopup(popup, article);
    await expect(popupPage.getByRole('status', { name: 'Save status' })).toContainText('Updated');
    await popup.tab('Inbox').click();
    await expect(popup.article(fixture.expected.meta.title!)).toHaveCount(1);
    await expect(popup.article(fixture.expected.meta.title!)).not.toContainText('preview');
    await popup.openArticle(fixture.expected.meta.title!);
    await expect(popupPage.locator('.article-body pre').first()).toContainText('maxUnavailable: 0');
  });

  test('"Get full text" on a feed preview captures the post through the same capture', async ({ server, popup }) => {
    const fixture = serveCaptureFixture(server, 'medium-code-lazy');
    await popup.open();
    await popup.addArticles([
      {
        url: fixture.expected.meta.url!,
        guid: 'https://medium.com/p/3f2a9c1b7d4e',
        source: 'feed',
        title: fixture.expected.meta.title!,
        savedAt: Date.UTC(2026, 2, 4),
        html: '<p>Every rolling update I have watched fail…</p>',
        text: 'Every rolling update I have watched fail…',
        isPreview: 1,
      },
    ]);
    await popup.page!.reload();
    await popup.openArticle(fixture.expected.meta.title!);
    // medium.com is in the extension's host permissions, so no toolbar click is needed.
    await popup.page!.getByRole('button', { name: 'Get full text' }).click();
    await expect(popup.page!.getByText('The full text is now saved.')).toBeVisible({ timeout: 30_000 });
    expect(await popup.page!.locator('.article-body pre').first().evaluate((pre) => pre.textContent)).toBe(fixture.expected.code[0]!.text);
  });

  test('Undo removes a clip that was just added', async ({ context, server, popup, extensionId }) => {
    const fixture = serveCaptureFixture(server, 'blog-prism');
    const article = await openPage(context, fixture.url);
    await clickToolbarButton(context, article, extensionId);
    const popupPage = await saveFromPopup(popup, article);
    await popup.tab('Saved').click();
    await expect(popup.article(fixture.expected.meta.title!)).toBeVisible();
    await popupPage.getByRole('status', { name: 'Save status' }).getByRole('button', { name: 'Undo' }).click();
    await expect(popupPage.getByRole('status', { name: 'Save status' })).toHaveText('Removed from Offprint.');
    await expect(popup.article(fixture.expected.meta.title!)).toHaveCount(0);
  });

  test('the keyboard shortcut saves a docs page with its tables', async ({ context, server, popup, extensionId, serviceWorker }) => {
    const fixture = serveCaptureFixture(server, 'docs-tables');
    const docs = await openPage(context, fixture.url);
    const commands = await serviceWorker.evaluate(() => chrome.commands.getAll());
    expect(commands).toContainEqual(expect.objectContaining({ name: 'save-page', shortcut: expect.stringMatching(/S$/) }));
    // The shortcut grants activeTab like the toolbar button; Playwright can press neither.
    await clickToolbarButton(context, docs, extensionId);
    const tabId = await tabIdOf(serviceWorker, docs);
    await runListener(serviceWorker, 'command', 'save-page', tabId);
    await expect.poll(() => badgeText(serviceWorker, tabId)).toBe('✓');

    await popup.open();
    await popup.tab('Saved').click();
    await popup.openArticle(fixture.expected.meta.title!);
    const body = popup.page!.locator('.article-body');
    await expect(body.locator('table').first().locator('tr')).toHaveCount(5);
    await expect(body.locator('table').first()).toContainText('The job is killed with exit code 137 when it goes over.');
    expect(await body.locator('pre').nth(0).evaluate((pre) => pre.textContent)).toBe(fixture.expected.code[0]!.text);
    expect(await body.locator('pre').nth(1).evaluate((pre) => pre.textContent)).toBe(fixture.expected.code[1]!.text);
    await expect(body).not.toContainText('Environment variables');
    // The flash ends and the badge goes back to the unread count.
    await expect.poll(() => badgeText(serviceWorker, tabId), { timeout: 10_000 }).toBe('');
  });

  test('the context menu saves a social post without related posts, sign-in prompts or topics', async ({ context, server, popup, extensionId, serviceWorker }) => {
    const fixture = serveCaptureFixture(server, 'linkedin-post');
    const post = await openPage(context, fixture.url);
    await clickToolbarButton(context, post, extensionId);
    // Both entries are registered (update fails for an unknown id).
    for (const id of ['offprint-save-page', 'offprint-save-selection']) {
      expect(await serviceWorker.evaluate((menuId) => chrome.contextMenus.update(menuId, {}).then(() => 'ok', (e: Error) => e.message), id)).toBe('ok');
    }
    const tabId = await tabIdOf(serviceWorker, post);
    await runListener(serviceWorker, 'contextMenu', 'offprint-save-page', tabId);
    await expect.poll(() => badgeText(serviceWorker, tabId)).toBe('✓');

    await popup.open();
    await popup.tab('Saved').click();
    await popup.openArticle(fixture.expected.meta.title!);
    const body = popup.page!.locator('.article-body');
    for (const text of fixture.expected.keyText) await expect(body).toContainText(text);
    for (const noise of fixture.expected.noise) await expect(body).not.toContainText(noise);
    await popup.page!.screenshot({ path: test.info().outputPath('popup-social.png') });
  });

  test('"Save selection" keeps only the selected text, with its formatting', async ({ context, server, popup, extensionId, serviceWorker }) => {
    const fixture = serveCaptureFixture(server, 'docs-tables');
    const docs = await openPage(context, fixture.url);
    await docs.evaluate(() => {
      const list = document.querySelector('article ul')!;
      const range = document.createRange();
      range.setStart(list.children[0]!, 0);
      range.setEnd(list.children[1]!, list.children[1]!.childNodes.length);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
    });
    await clickToolbarButton(context, docs, extensionId);
    const tabId = await tabIdOf(serviceWorker, docs);
    await runListener(serviceWorker, 'contextMenu', 'offprint-save-selection', tabId);
    await expect.poll(() => badgeText(serviceWorker, tabId)).toBe('✓');

    await popup.open();
    await popup.tab('Saved').click();
    // A selection is named by the page title and its own first words, so two selections differ.
    const titled = new RegExp(`^${fixture.expected.meta.title!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} — “137`);
    await popup.page!.getByRole('button', { name: titled }).click();
    await expect(popup.page!.getByRole('heading', { level: 1 })).toHaveText(titled);
    const body = popup.page!.locator('.article-body');
    await expect(body.locator('ul > li')).toHaveCount(2);
    await expect(body.locator('li strong').first()).toHaveText('137');
    await expect(body).toContainText('124: the job hit its timeout.');
    await expect(body).not.toContainText('75');
    await expect(body).not.toContainText('Harbor Runner enforces limits');
  });

  test('a page full of script payloads is saved with nothing left that can run', async ({ context, server, popup, extensionId }) => {
    const fixture = serveCaptureFixture(server, 'hostile-payloads');
    const hostile = await openPage(context, fixture.url);
    await clickToolbarButton(context, hostile, extensionId);
    const dialogs: string[] = [];
    context.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const popupPage = await saveFromPopup(popup, hostile);
    await expect(popupPage.getByRole('status', { name: 'Save status' })).toContainText('Saved');
    const reader = await openSavedInReader(popupPage);
    await expect(reader.locator('.article-body')).toContainText('treat the cache as input');
    await reader.waitForTimeout(500);
    await popup.tab('Saved').click();
    await popup.openArticle(fixture.expected.meta.title!);
    await popupPage.waitForTimeout(300);
    for (const page of [reader, popupPage]) {
      expect(await page.evaluate(() => (window as unknown as { __offprintPwned?: number }).__offprintPwned)).toBeUndefined();
      const html = await page.locator('.article-body').innerHTML();
      expect(html).toContain('treat the cache as input');
      expect(html).not.toMatch(/<script|javascript:|\son\w+=|<iframe|<object|<embed|<form|srcdoc|style=/i);
    }
    expect(dialogs).toEqual([]);
    expect(await reader.locator('.article-body pre code').evaluate((c) => c.textContent)).toBe(fixture.expected.code[0]!.text);
  });

  test('a page with no article is saved as its main text with a visible warning', async ({ context, server, popup, extensionId }) => {
    const fixture = serveCaptureFixture(server, 'no-article');
    const page = await openPage(context, fixture.url);
    await clickToolbarButton(context, page, extensionId);
    const popupPage = await saveFromPopup(popup, page);
    await expect(popupPage.getByRole('status', { name: 'Save status' })).toContainText('could not find an article');
    const reader = await openSavedInReader(popupPage);
    await expect(reader.getByRole('note')).toContainText('could not find an article');
    await expect(reader.locator('.article-body')).toContainText('Managed Postgres: degraded read latency');
  });

  test('a huge page is saved quickly as main text, with a warning, and the tab stays usable', async ({ context, server, popup, extensionId }) => {
    const rows = Array.from({ length: 12_000 }, (_, i) => `<div class="row"><span>Log line ${i}</span> <b>level=info</b> <i>msg="reconciled"</i></div>`).join('');
    server.page('https://logs.example.net/huge', `<!doctype html><title>Build log 4312</title><nav>Menu</nav><main><h1>Build log 4312</h1>${rows}</main>`);
    const page = await openPage(context, 'https://logs.example.net/huge');
    await clickToolbarButton(context, page, extensionId);
    const started = Date.now();
    const popupPage = await saveFromPopup(popup, page);
    await expect(popupPage.getByRole('status', { name: 'Save status' })).toContainText('very large');
    test.info().annotations.push({ type: 'huge page capture', description: `${Date.now() - started} ms for ~48,000 elements` });
    expect(await page.evaluate(() => document.querySelectorAll('.row').length)).toBe(12_000);
    const reader = await openSavedInReader(popupPage);
    await expect(reader.locator('.article-body')).toContainText('Log line 11999');
  });

  test('pages that cannot be clipped say why', async ({ context, server, popup, extensionId }) => {
    // No toolbar click on this site yet, and no host permission for it.
    const fixture = serveCaptureFixture(server, 'docs-tables');
    const docs = await openPage(context, fixture.url);
    let popupPage = await saveFromPopup(popup, docs);
    await expect(popupPage.getByRole('alert', { name: 'Save status' })).toHaveText(/can’t read this page yet/);

    server.route('https://papers.example.org/sre-book.pdf', { headers: { 'content-type': 'application/pdf' }, body: '%PDF-1.4\n%%EOF\n' });
    const pdf = await openPage(context, 'https://papers.example.org/sre-book.pdf').catch(async () => context.pages().at(-1)!);
    await clickToolbarButton(context, pdf, extensionId).catch(() => undefined);
    popupPage = await saveFromPopup(popup, pdf);
    await expect(popupPage.getByRole('alert', { name: 'Save status' })).toHaveText(/PDF/);

    const settings = await openPage(context, 'chrome://version');
    popupPage = await saveFromPopup(popup, settings);
    await expect(popupPage.getByRole('alert', { name: 'Save status' })).toHaveText('This is a browser page. Offprint can only save web pages.');
    await popupPage.screenshot({ path: test.info().outputPath('popup-failed.png') });
  });
});

declare const chrome: {
  commands: { getAll(): Promise<{ name?: string; shortcut?: string }[]> };
  contextMenus: { update(id: string, props: object): Promise<void> };
};
