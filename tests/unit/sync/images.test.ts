import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeArticles } from '../../../lib/library/actions';
import { storeArticles } from '../../../lib/library/store';
import { cacheArticleImages, cacheImagesFor } from '../../../lib/offline/images';
import { deriveKey, newKdfParams } from '../../../lib/sync/crypto';
import { runSync } from '../../../lib/sync/engine';
import { decodeFile, encodeImageFile } from '../../../lib/sync/format';
import { createServerImageSource } from '../../../lib/sync/images';
import { createSyncService } from '../../../lib/sync/service';
import { EMPTY_SYNC_SETTINGS, loadSyncSettings, saveSyncSettings } from '../../../lib/sync/settings';
import { createDavClient } from '../../../lib/sync/webdav';
import type { HeadPayload } from '../../../lib/sync/wire';
import { png } from '../../fixtures/reader/articles';
import { startWebdav, type WebdavServer } from '../../webdav-server';
import { freshDb, newArticle } from '../helpers/db';

let server: WebdavServer;
beforeAll(async () => {
  server = await startWebdav();
});
afterAll(async () => {
  await server.dispose();
});

const DIAGRAM = 'https://img.example.dev/rollout/diagram.png';
const CHART = 'https://cdn.example.dev/charts/latency.png?w=800';
const BYTES: Record<string, Buffer> = { [DIAGRAM]: png(64, 40, [70, 130, 180]), [CHART]: png(48, 30, [200, 120, 60]) };
const HTML = `<p>Rollouts with a canary.</p><img src="${DIAGRAM}" alt="Diagram"><p>Latency during the rollout.</p><img src="${CHART.replace('&', '&amp;')}" alt="Chart">`;

/** The images' sites: up (serving BYTES) or down (refusing every request). */
function site(up: () => boolean) {
  const calls: string[] = [];
  const fn = async (input: RequestInfo | URL) => {
    const url = String(input);
    calls.push(url);
    if (!up()) throw new TypeError('Failed to fetch');
    const body = BYTES[url];
    return body ? new Response(new Uint8Array(body), { headers: { 'content-type': 'image/png' } }) : new Response('nope', { status: 404 });
  };
  return { fetch: fn as unknown as typeof fetch, calls };
}

let folderN = 0;
/** Devices syncing through one new folder on the real server, with every request to it logged. */
function folder(opts: { passphrase?: string } = {}) {
  const name = `img-${++folderN}`;
  const url = `${server.url}${name}/`;
  return {
    dir: join(server.dir, name),
    device(id: string, dev: { images?: boolean; limits?: { files?: number; bytes?: number }; failOn?: (request: string) => boolean } = {}) {
      const db = freshDb();
      const requests: string[] = [];
      const logged = (input: string, init?: RequestInit) => {
        const request = `${init?.method ?? 'GET'} ${decodeURIComponent(new URL(input).pathname.slice(name.length + 2))}`;
        requests.push(request);
        if (dev.failOn?.(request)) return Promise.reject(new TypeError('Failed to fetch'));
        return fetch(input, init);
      };
      const dav = createDavClient({ url, user: server.user, password: server.pass }, logged);
      const deviceId = `dev-${id}`;
      const images = dev.images ?? true;
      /** The image fetcher as the background wires it: the site first, the server when the site fails. */
      const cacheFrom = (siteFetch: typeof fetch) => async (ids: string[]) => {
        const fromServer = images ? createServerImageSource({ db, dav, passphrase: opts.passphrase, deviceId }) : undefined;
        await cacheImagesFor(db, ids, { fetch: siteFetch, fromServer });
      };
      let afterApply: ((ids: string[]) => Promise<void>) | undefined;
      return {
        db,
        dav,
        requests,
        deviceId,
        fetchImagesFrom(siteFetch: typeof fetch) {
          afterApply = cacheFrom(siteFetch);
        },
        cache: (ids: string[], siteFetch: typeof fetch) => cacheFrom(siteFetch)(ids),
        async sync(more: { images?: boolean } = {}) {
          await dav.mkcol('');
          requests.length = 0;
          return runSync({ db, dav, identity: { deviceId, deviceName: `Browser ${id}` }, passphrase: opts.passphrase, now: Date.now, images: more.images ?? images, imageLimits: dev.limits, afterApply });
        },
      };
    },
  };
}

async function clipWithImages(d: { db: import('../../../lib/db/schema').OffprintDB }, extra: Parameters<typeof newArticle>[0] = {}) {
  const { id } = (await storeArticles(d.db, [newArticle({ url: 'https://blog.example.dev/canary', title: 'Canary rollouts', html: HTML, text: 'Rollouts with a canary.', ...extra })]))[0]!;
  const up = site(() => true);
  const r = await cacheArticleImages(d.db, id, { fetch: up.fetch });
  expect(r).toMatchObject({ state: 'ready', stored: 2 });
  return id;
}

const filesIn = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => !f.includes('.tmp-')) : []);

async function headOf(dir: string, device: string): Promise<HeadPayload> {
  return (await decodeFile<HeadPayload>(new Uint8Array(readFileSync(join(dir, device, 'head.offprint'))), undefined, { kind: 'head', device })).payload;
}

describe('image sync through a real WebDAV server', () => {
  it('uploads each stored image once, as a file under the device folder, and a run with nothing new touches no image file', async () => {
    const f = folder();
    const a = f.device('a');
    const b = f.device('b');
    await clipWithImages(a);
    const first = await a.sync();
    expect(first.problems).toEqual([]);
    expect(first.images).toMatchObject({ uploaded: 2, left: 0 });
    const files = filesIn(join(f.dir, 'dev-a', 'img'));
    expect(files).toHaveLength(2);
    // Unencrypted, a file is named by the SHA-256 of its URL (128 bits of it).
    const sha = (u: string) => createHash('sha256').update(u).digest('hex').slice(0, 32);
    expect(files.sort()).toEqual([`${sha(DIAGRAM)}.offprint`, `${sha(CHART)}.offprint`].sort());
    expect(existsSync(join(f.dir, 'dev-a', 'images.offprint'))).toBe(true);
    expect((await headOf(f.dir, 'dev-a')).img).toBeGreaterThan(0);

    const again = await a.sync();
    expect(again.images).toMatchObject({ uploaded: 0, removed: 0 });
    expect(a.requests.filter((r) => r.includes('/img/') || r.includes('images.offprint'))).toEqual([]);

    // B reads A's list once; its next run with nothing new reads no image file and no list.
    b.fetchImagesFrom(site(() => true).fetch);
    await b.sync();
    expect(b.requests.filter((r) => r.includes('images.offprint'))).toEqual(['GET dev-a/images.offprint']);
    const quiet = await b.sync();
    expect(quiet.problems).toEqual([]);
    expect(b.requests.filter((r) => r.includes('/img/') || r.includes('images.offprint'))).toEqual([]);
    // B fetched the images from their site itself: A's files serve both, B uploads no second copy.
    expect(await b.db.images.count()).toBe(2);
    expect(quiet.images?.uploaded).toBe(0);
    expect(filesIn(join(f.dir, 'dev-b', 'img'))).toEqual([]);
  });

  it('B takes the images from the server when their site cannot be reached, and stores them as if downloaded', async () => {
    const f = folder();
    const a = f.device('a');
    const b = f.device('b');
    const id = await clipWithImages(a);
    await a.sync();
    const down = site(() => false);
    b.fetchImagesFrom(down.fetch);
    const r = await b.sync();
    expect(r.problems).toEqual([]);
    expect(down.calls.sort()).toEqual([CHART, DIAGRAM].sort());
    for (const url of [DIAGRAM, CHART]) {
      const img = (await b.db.images.get(url))!;
      expect(img).toMatchObject({ type: 'image/png', bytes: BYTES[url]!.length, articleIds: [id] });
      expect(Buffer.from(await img.blob.arrayBuffer()).equals(BYTES[url]!)).toBe(true);
    }
    expect((await b.db.articles.get(id))!.offline).toBe('ready');
  });

  it('encrypted: the server sees neither the image nor its URL, and B with the passphrase gets the image', async () => {
    const f = folder({ passphrase: 'correct horse battery staple' });
    const a = f.device('a');
    const b = f.device('b');
    await clipWithImages(a);
    expect((await a.sync()).images?.uploaded).toBe(2);
    const files = filesIn(join(f.dir, 'dev-a', 'img'));
    expect(files).toHaveLength(2);
    const sha = (u: string) => createHash('sha256').update(u).digest('hex').slice(0, 32);
    for (const file of files) {
      // The name is a keyed hash: neither the URL nor its plain hash.
      expect(file).toMatch(/^[0-9a-f]{32}\.offprint$/);
      expect([sha(DIAGRAM), sha(CHART)]).not.toContain(file.slice(0, 32));
      const raw = readFileSync(join(f.dir, 'dev-a', 'img', file));
      expect(raw.includes('example.dev')).toBe(false);
      expect(raw.includes(Buffer.from('IHDR'))).toBe(false);
      expect(raw.includes(BYTES[DIAGRAM]!.subarray(16, 40))).toBe(false);
    }
    expect(readFileSync(join(f.dir, 'dev-a', 'images.offprint')).includes('example.dev')).toBe(false);
    b.fetchImagesFrom(site(() => false).fetch);
    expect((await b.sync()).problems).toEqual([]);
    const img = (await b.db.images.get(DIAGRAM))!;
    expect(Buffer.from(await img.blob.arrayBuffer()).equals(BYTES[DIAGRAM]!)).toBe(true);

    // A plain file put in an encrypted file's place (by the server, say) is refused, not shown.
    const name = files[0]!.slice(0, 32);
    await a.dav.put(`dev-a/img/${files[0]!}`, await encodeImageFile('dev-a', name, { url: DIAGRAM, type: 'image/png' }, new Uint8Array(BYTES[CHART]!)));
    const c = f.device('c');
    c.fetchImagesFrom(site(() => false).fetch);
    const r = await c.sync();
    expect(await c.db.images.count()).toBe(1);
    expect(r.problems).toEqual([expect.stringMatching(/refused and not used: .*\(it is not encrypted, but this folder is/)]);
  });

  it('a truncated image file is refused with a message and never stored; the other image and the article sync', async () => {
    const f = folder();
    const a = f.device('a');
    const b = f.device('b');
    const id = await clipWithImages(a);
    await a.sync();
    const sha = createHash('sha256').update(DIAGRAM).digest('hex').slice(0, 32);
    const file = join(f.dir, 'dev-a', 'img', `${sha}.offprint`);
    truncateSync(file, statSync(file).size - 20); // Cut inside the image's bytes, as an upload cut short would.
    b.fetchImagesFrom(site(() => false).fetch);
    const r = await b.sync();
    expect(await b.db.articles.get(id)).toMatchObject({ title: 'Canary rollouts', offline: 'partial' });
    expect(await b.db.images.get(DIAGRAM)).toBeUndefined();
    expect(await b.db.images.get(CHART)).toBeDefined();
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(new RegExp(`image file from Browser a was refused and not used: dev-a/img/${sha}\\.offprint \\(it is truncated`));
    // It stays reported until the image is stored; once the site is back, it is, and the message goes.
    await b.cache([id], site(() => true).fetch);
    expect(await b.db.images.get(DIAGRAM)).toBeDefined();
    expect((await b.sync()).problems).toEqual([]);
  });

  it('image sync off: nothing is uploaded and no image list is read', async () => {
    const f = folder();
    const a = f.device('a', { images: false });
    const b = f.device('b', { images: false });
    await clipWithImages(a);
    const r = await a.sync();
    expect(r.images).toMatchObject({ uploaded: 0 });
    expect(existsSync(join(f.dir, 'dev-a', 'img'))).toBe(false);
    expect(existsSync(join(f.dir, 'dev-a', 'images.offprint'))).toBe(false);
    expect((await headOf(f.dir, 'dev-a')).img).toBeUndefined();
    expect(a.requests.filter((q) => q.includes('img') || q.includes('images'))).toEqual([]);
    const down = site(() => false);
    b.fetchImagesFrom(down.fetch);
    await b.sync();
    expect(await b.db.images.count()).toBe(0);
  });

  it('turning it off deletes this device’s image files; a purged article’s images leave the server at the next run', async () => {
    const f = folder();
    const a = f.device('a');
    const id = await clipWithImages(a);
    const other = await storeArticles(a.db, [newArticle({ url: 'https://blog.example.dev/other', title: 'Other', html: `<img src="https://img.example.dev/other.png">` })]);
    BYTES['https://img.example.dev/other.png'] = png(10, 10, [1, 2, 3]);
    await cacheArticleImages(a.db, other[0]!.id, { fetch: site(() => true).fetch });
    expect((await a.sync()).images?.uploaded).toBe(3);
    await purgeArticles(a.db, [id]);
    const after = await a.sync();
    expect(after.images).toMatchObject({ removed: 2, published: true });
    expect(filesIn(join(f.dir, 'dev-a', 'img'))).toHaveLength(1);
    const off = await a.sync({ images: false });
    expect(off.images).toMatchObject({ removed: 1 });
    expect(filesIn(join(f.dir, 'dev-a', 'img'))).toEqual([]);
    const index = await decodeFile<{ files: Record<string, number> }>(new Uint8Array(readFileSync(join(f.dir, 'dev-a', 'images.offprint'))), undefined, { kind: 'imgs', device: 'dev-a' });
    expect(index.payload.files).toEqual({});
  });

  it('a run uploads at most its limit and the next one goes on from there', async () => {
    const f = folder();
    const a = f.device('a', { limits: { files: 1 } });
    await clipWithImages(a);
    expect((await a.sync()).images).toMatchObject({ uploaded: 1, left: 1 });
    expect((await a.sync()).images).toMatchObject({ uploaded: 1, left: 0 });
    expect((await a.sync()).images).toMatchObject({ uploaded: 0, left: 0 });
    expect(filesIn(join(f.dir, 'dev-a', 'img'))).toHaveLength(2);
  });
});

describe('image sync when the server goes away mid-run', () => {
  it('loses nothing: the next run uploads the rest and publishes the list, and B gets every image', async () => {
    const f = folder();
    let puts = 0;
    let serverUp = true;
    // The server goes away at A's second image upload.
    const failOn = (r: string) => {
      if (r.startsWith('PUT dev-a/img/') && ++puts === 2) serverUp = false;
      return !serverUp;
    };
    const a = f.device('a', { failOn });
    const id = await clipWithImages(a);
    await expect(a.sync()).rejects.toThrow(/Could not reach/);
    expect(filesIn(join(f.dir, 'dev-a', 'img'))).toHaveLength(1);
    expect(existsSync(join(f.dir, 'dev-a', 'images.offprint'))).toBe(false);
    serverUp = true;
    const r = await a.sync();
    expect(r.problems).toEqual([]);
    expect(filesIn(join(f.dir, 'dev-a', 'img'))).toHaveLength(2);
    const b = f.device('b');
    b.fetchImagesFrom(site(() => false).fetch);
    expect((await b.sync()).problems).toEqual([]);
    expect((await b.db.articles.get(id))!.offline).toBe('ready');
  });
});

describe('the sync service with image sync', () => {
  it('uploads images and offers the server fallback only with the option on', async () => {
    const store: Record<string, unknown> = {};
    const area = { get: async () => ({ ...store }), set: async (items: Record<string, unknown>) => void Object.assign(store, items) };
    const db = freshDb();
    await clipWithImages({ db });
    const url = `${server.url}img-service/`;
    await createDavClient({ url, user: server.user, password: server.pass }, fetch).mkcol('');
    const service = createSyncService({ db, area, fetch: (u, init) => fetch(u, init), now: Date.now, deviceName: 'Browser S' });
    await saveSyncSettings(area, { ...EMPTY_SYNC_SETTINGS, enabled: true, url, user: server.user, password: server.pass });
    expect(await service.serverImages()).toBeUndefined();
    expect(await service.run()).toMatchObject({ state: 'ok', problems: [] });
    expect((await service.run()).images).toBeUndefined();
    await saveSyncSettings(area, { ...(await loadSyncSettings(area)), syncImages: true });
    expect(await service.serverImages()).toBeTypeOf('function');
    expect(await service.run()).toMatchObject({ state: 'ok', problems: [], images: 2 });
    const device = readdirSync(join(server.dir, 'img-service')).find((x) => x !== 'offprint-sync.json')!;
    expect(filesIn(join(server.dir, 'img-service', device, 'img'))).toHaveLength(2);
  });
});

describe('folder keys', () => {
  it('the AES key is the one earlier versions derived (folders encrypted before image sync still open)', async () => {
    const kdf = newKdfParams(1_000);
    const base = await crypto.subtle.importKey('raw', new TextEncoder().encode('pass'), 'PBKDF2', false, ['deriveKey']);
    const old = await crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', iterations: 1_000, salt: Buffer.from(kdf.salt, 'base64') }, base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const iv = new Uint8Array(12);
    const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, old, new TextEncoder().encode('segment'));
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, await deriveKey('pass', kdf), sealed);
    expect(new TextDecoder().decode(plain)).toBe('segment');
  });
});
