import { describe, expect, it, vi } from 'vitest';
import type { CapturedPage } from '../../../lib/capture/capture';
import { MESSAGES } from '../../../lib/capture/clippable';
import { captureTab, PageCaptureError, type CaptureTabDeps } from '../../../lib/capture/save';
import { undoClip } from '../../../lib/capture/undo';
import { storeArticles } from '../../../lib/library/store';
import { fixedDeps, freshDb, newArticle } from '../helpers/db';

const PAGE: CapturedPage = {
  kind: 'article',
  url: 'https://medium.com/@ana/zero-downtime-3f2a9c1b7d4e',
  guid: 'https://medium.com/p/3f2a9c1b7d4e',
  title: 'Zero-downtime deploys',
  author: 'Ana Ortiz',
  siteName: 'Medium',
  publishedAt: Date.UTC(2026, 2, 4),
  html: '<p>Full text</p><pre><code class="language-yaml">a: 1</code></pre>',
  text: 'Full text\n\na: 1',
};

function setup(page: CapturedPage | Error = PAGE, url: string | undefined = 'https://medium.com/@ana/zero-downtime-3f2a9c1b7d4e?source=rss') {
  const db = freshDb();
  const ids = fixedDeps();
  const capture = vi.fn(async () => {
    if (page instanceof Error) throw page;
    return page;
  });
  const deps: CaptureTabDeps = { tabUrl: async () => url, capture, store: (a) => storeArticles(db, a, ids), now: () => Date.UTC(2026, 10, 1) };
  return { db, deps, capture };
}

describe('captureTab', () => {
  it('stores a new clip in Saved with its metadata, content and warning', async () => {
    const { db, deps, capture } = setup({ ...PAGE, warning: 'Partial' });
    const result = await captureTab(deps, { tabId: 7 });
    expect(result).toEqual({ status: 'added', id: 'id-1', title: PAGE.title, warning: 'Partial' });
    expect(capture).toHaveBeenCalledWith(7, { selectionOnly: undefined });
    const article = await db.articles.get('id-1');
    expect(article).toMatchObject({ source: 'clip', box: 'saved', url: PAGE.url, guid: PAGE.guid, author: 'Ana Ortiz', captureWarning: 'Partial', isPreview: 0, savedAt: Date.UTC(2026, 10, 1) });
    expect(await db.contents.get('id-1')).toEqual({ id: 'id-1', html: PAGE.html, text: PAGE.text });
  });

  it('clipping a saved URL again updates it and keeps read state, star, tags and progress', async () => {
    const { db, deps } = setup();
    await captureTab(deps, { tabId: 1 });
    await db.articles.update('id-1', { isRead: 1, starred: 1, tags: ['k8s'], progress: 0.6 });
    const again = await captureTab(deps, { tabId: 1 });
    expect(again.status).toBe('updated');
    expect(await db.articles.count()).toBe(1);
    expect(await db.articles.get('id-1')).toMatchObject({ isRead: 1, starred: 1, tags: ['k8s'], progress: 0.6 });
  });

  it('upgrades a feed preview of the same Medium post to the full text', async () => {
    const { db, deps } = setup();
    await storeArticles(db, [newArticle({ source: 'feed', url: 'https://blog.devops.dev/zero-downtime-3f2a9c1b7d4e', guid: PAGE.guid, isPreview: 1, html: '<p>Preview…</p>', text: 'Preview…' })], fixedDeps());
    const result = await captureTab(deps, { tabId: 1 });
    expect(result.status).toBe('updated');
    const [article] = await db.articles.toArray();
    expect(article).toMatchObject({ isPreview: 0, box: 'inbox', source: 'feed' });
    expect((await db.contents.get(article!.id))?.text).toBe(PAGE.text);
  });

  it('refuses browser pages, stores and PDFs before injecting anything', async () => {
    for (const [url, message] of [
      ['chrome://settings', MESSAGES.browserPage],
      ['https://chromewebstore.google.com/detail/x', MESSAGES.store],
      ['https://papers.test/sre.pdf', MESSAGES.pdf],
      ['chrome-extension://abc/reader.html', MESSAGES.extensionPage],
    ] as const) {
      const { deps, capture } = setup(PAGE, url);
      await expect(captureTab(deps, { tabId: 1 })).rejects.toThrow(message);
      expect(capture).not.toHaveBeenCalled();
    }
  });

  it("turns the browser's injection errors into plain words and passes the page's own messages on", async () => {
    const noAccess = setup(new Error('Cannot access contents of the page. Extension manifest must request permission to access the respective host.'), '');
    await expect(captureTab(noAccess.deps, { tabId: 1 })).rejects.toThrow(MESSAGES.noAccess);
    const chromePage = setup(new Error('Cannot access a chrome:// URL'), '');
    await expect(captureTab(chromePage.deps, { tabId: 1 })).rejects.toThrow(MESSAGES.browserPage);
    const gallery = setup(new Error('The extensions gallery cannot be scripted.'), '');
    await expect(captureTab(gallery.deps, { tabId: 1 })).rejects.toThrow(MESSAGES.store);
    const errorPage = setup(new Error('Frame with ID 0 is showing error page'), 'https://down.test/');
    await expect(captureTab(errorPage.deps, { tabId: 1 })).rejects.toThrow(MESSAGES.errorPage);
    const own = setup(new PageCaptureError('Nothing is selected on this page.'));
    await expect(captureTab(own.deps, { tabId: 1, selectionOnly: true })).rejects.toThrow('Nothing is selected on this page.');
  });

  it('stops waiting for a page that never answers, and stores nothing', async () => {
    const { db, deps } = setup();
    deps.capture = () => new Promise(() => undefined);
    deps.timeoutMs = 20;
    await expect(captureTab(deps, { tabId: 1 })).rejects.toThrow(MESSAGES.timeout);
    expect(await db.articles.count()).toBe(0);
  });
});

describe('clipping over a fuller saved copy', () => {
  it('keeps the saved text and says why', async () => {
    const { db, deps } = setup({ ...PAGE, html: '<p>Paywalled.</p>', text: 'Paywalled.' });
    const { mergeArticles } = await import('../../../lib/library/store');
    deps.store = (a) => mergeArticles(db, a, fixedDeps());
    const long = Array.from({ length: 50 }, (_, i) => `w${i}`).join(' ');
    await storeArticles(db, [newArticle({ url: PAGE.url, guid: PAGE.guid, html: `<p>${long}</p>`, text: long })], fixedDeps());
    const result = await captureTab(deps, { tabId: 1 });
    expect(result).toMatchObject({ status: 'updated', keptBecause: 'the new copy is shorter' });
    expect((await db.contents.toArray())[0]!.text).toBe(long);
  });
});

describe('undoClip', () => {
  it('removes a new clip and its content, but never a feed article', async () => {
    const { db, deps } = setup();
    const { id } = await captureTab(deps, { tabId: 1 });
    await undoClip(db, id);
    expect(await db.articles.count()).toBe(0);
    expect(await db.contents.count()).toBe(0);
    const [feedId] = (await storeArticles(db, [newArticle({ source: 'feed' })], fixedDeps())).map((o) => o.id);
    await expect(undoClip(db, feedId!)).rejects.toThrow(/Only a new clip/);
    expect(await db.articles.count()).toBe(1);
  });
});
