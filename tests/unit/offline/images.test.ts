import { describe, expect, it, vi } from 'vitest';
import { cacheArticleImages, imageUrls, isQuotaError, makeUnreadOfflineReady, type OfflineProgress } from '../../../lib/offline/images';
import { storeArticles } from '../../../lib/library/store';
import { fixedDeps, freshDb, newArticle } from '../helpers/db';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]);

/** A fake network: URL -> body (or status), counting requests. */
function fakeFetch(routes: Record<string, { status?: number; type?: string; bytes?: number } | 'throw'>) {
  const calls: string[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL) => {
    const url = String(input);
    calls.push(url);
    const route = routes[url];
    if (!route) return new Response('nope', { status: 404 });
    if (route === 'throw') throw new TypeError('Failed to fetch');
    const body = route.bytes ? new Uint8Array(route.bytes) : PNG;
    return new Response(body, { status: route.status ?? 200, headers: { 'content-type': route.type ?? 'image/png' } });
  });
  return { fetch: fn as unknown as typeof fetch, calls };
}

async function withArticle(html: string, extra: Parameters<typeof newArticle>[0] = {}) {
  const db = freshDb();
  await storeArticles(db, [newArticle({ html, ...extra })], fixedDeps());
  return db;
}

describe('imageUrls', () => {
  it('finds img, source and poster URLs, decoded and deduplicated, http(s) only', () => {
    const html = `<p><img src="https://img.test/a.png?w=1&amp;h=2" alt="a"><img alt=x src='https://img.test/b.jpg'>
      <img src="data:image/png;base64,AAA"><img src="https://img.test/a.png?w=1&amp;h=2">
      <picture><source src="https://img.test/c.webp"></picture><video poster="https://img.test/p.jpg"></video></p>`;
    expect(imageUrls(html)).toEqual(['https://img.test/a.png?w=1&h=2', 'https://img.test/b.jpg', 'https://img.test/c.webp', 'https://img.test/p.jpg']);
  });
});

describe('cacheArticleImages', () => {
  it('stores every image as a Blob and marks the article ready', async () => {
    const db = await withArticle('<img src="https://img.test/a.png"><img src="https://img.test/b.png">');
    const net = fakeFetch({ 'https://img.test/a.png': {}, 'https://img.test/b.png': {} });
    const result = await cacheArticleImages(db, 'id-1', { fetch: net.fetch });
    expect(result).toMatchObject({ state: 'ready', total: 2, stored: 2, bytes: 16 });
    const img = await db.images.get('https://img.test/a.png');
    expect(img).toMatchObject({ type: 'image/png', bytes: 8, articleIds: ['id-1'] });
    expect((await db.articles.get('id-1'))!.offline).toBe('ready');
  });

  it('marks an article without images ready without any request', async () => {
    const db = await withArticle('<p>Just text</p>');
    const net = fakeFetch({});
    expect((await cacheArticleImages(db, 'id-1', { fetch: net.fetch })).state).toBe('ready');
    expect(net.calls).toEqual([]);
  });

  it('is partial when an image fails, is not an image or breaks the cap; keeps the rest', async () => {
    const db = await withArticle(
      '<img src="https://img.test/ok.png"><img src="https://img.test/404.png"><img src="https://img.test/page.png"><img src="https://img.test/down.png"><img src="https://img.test/huge.png">',
    );
    const net = fakeFetch({
      'https://img.test/ok.png': {},
      'https://img.test/page.png': { type: 'text/html' },
      'https://img.test/down.png': 'throw',
      'https://img.test/huge.png': { bytes: 3 * 1024 * 1024 },
    });
    const result = await cacheArticleImages(db, 'id-1', { fetch: net.fetch, capBytes: 2 * 1024 * 1024 });
    expect(result).toMatchObject({ state: 'partial', total: 5, stored: 1 });
    expect((await db.images.toCollection().primaryKeys()).sort()).toEqual(['https://img.test/ok.png']);
    expect((await db.articles.get('id-1'))!.offline).toBe('partial');
  });

  it('shares a stored image with a second article instead of downloading it again', async () => {
    const db = freshDb();
    await storeArticles(
      db,
      [newArticle({ url: 'https://a.test/1', html: '<img src="https://img.test/a.png">' }), newArticle({ url: 'https://a.test/2', html: '<img src="https://img.test/a.png">' })],
      fixedDeps(),
    );
    const net = fakeFetch({ 'https://img.test/a.png': {} });
    await cacheArticleImages(db, 'id-1', { fetch: net.fetch });
    const second = await cacheArticleImages(db, 'id-2', { fetch: net.fetch });
    expect(second.state).toBe('ready');
    expect(net.calls).toHaveLength(1);
    expect((await db.images.get('https://img.test/a.png'))!.articleIds).toEqual(['id-1', 'id-2']);
  });

  it('downloads nothing when the setting is off and leaves the article pending', async () => {
    const db = await withArticle('<img src="https://img.test/a.png">');
    const net = fakeFetch({ 'https://img.test/a.png': {} });
    expect((await cacheArticleImages(db, 'id-1', { fetch: net.fetch, enabled: false })).state).toBe('pending');
    expect(net.calls).toEqual([]);
  });

  it('stops on a full disk, keeps what was stored and says so', async () => {
    const db = await withArticle('<img src="https://img.test/a.png"><img src="https://img.test/b.png">');
    const net = fakeFetch({ 'https://img.test/a.png': {}, 'https://img.test/b.png': {} });
    const realPut = db.images.put.bind(db.images);
    let puts = 0;
    vi.spyOn(db.images, 'put').mockImplementation((...args: Parameters<typeof realPut>) => {
      puts += 1;
      if (puts > 1) return Promise.reject(Object.assign(new Error('full'), { name: 'QuotaExceededError' })) as ReturnType<typeof realPut>;
      return realPut(...args);
    });
    const result = await cacheArticleImages(db, 'id-1', { fetch: net.fetch });
    expect(result).toMatchObject({ state: 'partial', stored: 1, diskFull: true });
    expect(await db.images.count()).toBe(1);
    expect(await db.contents.get('id-1')).toBeDefined();
  });

  it('takes an image from the sync server only when its site fails (error, error answer, not an image)', async () => {
    const db = await withArticle('<img src="https://img.test/ok.png"><img src="https://img.test/down.png"><img src="https://img.test/503.png"><img src="https://img.test/page.png"><img src="https://img.test/nowhere.png">');
    const net = fakeFetch({ 'https://img.test/ok.png': {}, 'https://img.test/down.png': 'throw', 'https://img.test/503.png': { status: 503 }, 'https://img.test/page.png': { type: 'text/html' }, 'https://img.test/nowhere.png': 'throw' });
    const asked: string[] = [];
    const fromServer = async (url: string) => {
      asked.push(url);
      return url.endsWith('nowhere.png') ? undefined : new Blob([new Uint8Array([1, 2, 3])], { type: 'image/webp' });
    };
    const result = await cacheArticleImages(db, 'id-1', { fetch: net.fetch, fromServer });
    expect(asked.sort()).toEqual(['https://img.test/503.png', 'https://img.test/down.png', 'https://img.test/nowhere.png', 'https://img.test/page.png']);
    expect(result).toMatchObject({ state: 'partial', total: 5, stored: 4, fromServer: 3 });
    expect(await db.images.get('https://img.test/ok.png')).toMatchObject({ type: 'image/png', bytes: 8 });
    expect(await db.images.get('https://img.test/down.png')).toMatchObject({ type: 'image/webp', bytes: 3, articleIds: ['id-1'] });
    expect(await db.images.get('https://img.test/nowhere.png')).toBeUndefined();
  });

  it('recognizes quota errors, also wrapped by Dexie', () => {
    expect(isQuotaError(Object.assign(new Error('x'), { name: 'QuotaExceededError' }))).toBe(true);
    expect(isQuotaError({ name: 'AbortError', inner: { name: 'QuotaExceededError' } })).toBe(true);
    expect(isQuotaError(new Error('other'))).toBe(false);
  });
});

describe('makeUnreadOfflineReady', () => {
  it('caches unread articles that are not ready yet, with progress', async () => {
    const db = freshDb();
    await storeArticles(
      db,
      [
        newArticle({ url: 'https://a.test/1', html: '<img src="https://img.test/1.png">' }),
        newArticle({ url: 'https://a.test/2', html: '<img src="https://img.test/2.png">', isRead: 1 }),
        newArticle({ url: 'https://a.test/3', html: '<img src="https://img.test/3.png">' }),
      ],
      fixedDeps(),
    );
    const net = fakeFetch({ 'https://img.test/1.png': {}, 'https://img.test/2.png': {} });
    const seen: OfflineProgress[] = [];
    const final = await makeUnreadOfflineReady(db, { fetch: net.fetch, enabled: false }, (p) => void seen.push(p));
    expect(final).toEqual({ running: false, done: 2, total: 2, incomplete: 1 });
    expect(seen.map((p) => p.done)).toEqual([0, 1, 2, 2]);
    expect(net.calls.sort()).toEqual(['https://img.test/1.png', 'https://img.test/3.png']);
    expect((await db.articles.get('id-1'))!.offline).toBe('ready');
    expect((await db.articles.get('id-2'))!.offline).toBe('pending');
  });
});

describe('diskFullNotice', () => {
  it('leaves a plain-words disk-full message where the popup shows offline progress', async () => {
    const { diskFullNotice, PROGRESS_KEY } = await import('../../../lib/offline/images');
    const db = freshDb();
    await diskFullNotice(db);
    const stored = (await db.kv.get(PROGRESS_KEY))!.value as OfflineProgress;
    expect(stored.running).toBe(false);
    expect(stored.error).toMatch(/disk is full.*already saved is safe/i);
  });
});
