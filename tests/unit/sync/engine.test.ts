import 'fake-indexeddb/auto';
import { readdirSync, readFileSync, truncateSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OffprintDB } from '../../../lib/db/schema';
import { addTag, moveToTrash, purgeArticles, saveProgress, setStarred } from '../../../lib/library/actions';
import { storeArticles } from '../../../lib/library/store';
import { runSync } from '../../../lib/sync/engine';
import { createDavClient, DavError } from '../../../lib/sync/webdav';
import { startWebdav, type WebdavServer } from '../../webdav-server';
import { freshDb, newArticle } from '../helpers/db';

let server: WebdavServer;
beforeAll(async () => {
  server = await startWebdav();
});
afterAll(async () => {
  await server.dispose();
});

let folderN = 0;
/** Devices syncing through one new folder on the real server. */
function folder() {
  const url = `${server.url}lib-${++folderN}/`;
  return {
    url,
    dir: join(server.dir, `lib-${folderN}`),
    device(name: string, opts: { passphrase?: string; password?: string } = {}) {
      const db = freshDb();
      const dav = createDavClient({ url, user: server.user, password: opts.password ?? server.pass }, fetch);
      const sync = async () => {
        await dav.mkcol('');
        return runSync({ db, dav, identity: { deviceId: `dev-${name}`, deviceName: `Browser ${name}` }, passphrase: opts.passphrase, now: Date.now });
      };
      return { db, dav, sync };
    },
  };
}

async function only(db: OffprintDB) {
  const all = await db.articles.toArray();
  expect(all).toHaveLength(1);
  return all[0]!;
}

describe('sync through a real WebDAV server (rclone)', () => {
  it('an article clipped on A is on B with its content after both sync', async () => {
    const f = folder();
    const a = f.device('a');
    const b = f.device('b');
    await storeArticles(a.db, [newArticle({ title: 'Pods and nodes', html: '<p>scheduler</p>', text: 'scheduler', tags: ['k8s'] })]);
    expect((await a.sync()).uploaded).toBeGreaterThan(0);
    const r = await b.sync();
    expect(r.problems).toEqual([]);
    const art = await only(b.db);
    expect(art).toMatchObject({ title: 'Pods and nodes', tags: ['k8s'], box: 'saved' });
    expect(await b.db.contents.get(art.id)).toMatchObject({ html: '<p>scheduler</p>', text: 'scheduler' });
    // B did not echo A's changes back.
    expect((await b.sync()).uploaded).toBe(0);
  });

  it('a tag on A and a star on B made offline are both kept', async () => {
    const f = folder();
    const a = f.device('a');
    const b = f.device('b');
    const { id } = (await storeArticles(a.db, [newArticle()]))[0]!;
    await a.sync();
    await b.sync();
    await addTag(a.db, [id], 'sre');
    await setStarred(b.db, [id], 1);
    await a.sync();
    await b.sync();
    await a.sync();
    for (const d of [a, b]) expect(await only(d.db)).toMatchObject({ id, tags: ['sre'], starred: 1 });
  });

  it('delete on one and progress on the other: the later change wins', async () => {
    const f = folder();
    const a = f.device('a');
    const b = f.device('b');
    const ids = (await storeArticles(a.db, [newArticle({ url: 'https://x.test/1' }), newArticle({ url: 'https://x.test/2' })])).map((o) => o.id);
    await a.sync();
    await b.sync();
    // Article 1: deleted on A, read later on B -> kept. Article 2: read on B, deleted later on A -> deleted.
    await moveToTrash(a.db, [ids[0]!], Date.now());
    await new Promise((r) => setTimeout(r, 5));
    await saveProgress(b.db, ids[0]!, 0.5);
    await saveProgress(b.db, ids[1]!, 0.3);
    await new Promise((r) => setTimeout(r, 5));
    await moveToTrash(a.db, [ids[1]!], Date.now());
    await a.sync();
    await b.sync();
    await a.sync();
    for (const d of [a, b]) {
      const one = (await d.db.articles.get(ids[0]!))!;
      const two = (await d.db.articles.get(ids[1]!))!;
      expect(one.box).toBe('saved');
      expect(one.progress).toBe(0.5);
      expect(two.box).toBe('trash');
      expect(two.progress).toBe(0.3);
      expect(two.deletedAt).toBeGreaterThan(0);
    }
  });

  it('a purge reaches the other device; the same post saved on both becomes one article', async () => {
    const f = folder();
    const a = f.device('a');
    const b = f.device('b');
    await storeArticles(a.db, [newArticle({ url: 'https://same.test/p', title: 'Saved on A' })]);
    await storeArticles(b.db, [newArticle({ url: 'https://same.test/p', title: 'Saved on B' }), newArticle({ url: 'https://gone.test/1' })]);
    await b.sync();
    await a.sync();
    await b.sync();
    const onA = await a.db.articles.where('url').equals('https://same.test/p').toArray();
    const onB = await b.db.articles.where('url').equals('https://same.test/p').toArray();
    expect(onA).toHaveLength(1);
    expect(onB).toHaveLength(1);
    expect(onA[0]!.id).toBe(onB[0]!.id);
    const gone = (await b.db.articles.where('url').equals('https://gone.test/1').first())!;
    expect(await a.db.articles.get(gone.id)).toBeDefined();
    await purgeArticles(b.db, [gone.id]);
    await b.sync();
    await a.sync();
    expect(await a.db.articles.get(gone.id)).toBeUndefined();
    expect(await a.db.contents.get(gone.id)).toBeUndefined();
  });

  it('a truncated file is refused with a message, the rest syncs', async () => {
    const f = folder();
    const a = f.device('a');
    const b = f.device('b');
    await storeArticles(a.db, [newArticle({ url: 'https://x.test/first', title: 'First' })]);
    await a.sync();
    await storeArticles(a.db, [newArticle({ url: 'https://x.test/second', title: 'Second' })]);
    await a.sync();
    const seg = join(f.dir, 'dev-a', 'seg-00000001.offprint');
    truncateSync(seg, Math.floor(statSync(seg).size / 2));
    const r = await b.sync();
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(/Browser a.*refused.*seg-00000001.*truncated/);
    expect((await b.db.articles.toArray()).map((x) => x.title)).toEqual(['Second']);
    // Still refused next time, still said.
    expect((await b.sync()).problems).toHaveLength(1);
  });

  it('stops cleanly when the server goes away mid-way and resumes when it is back', async () => {
    const f = folder();
    const a = f.device('a');
    const b = f.device('b');
    await storeArticles(a.db, [newArticle({ url: 'https://x.test/1', title: 'One' })]);
    await a.sync();
    await server.stop();
    try {
      await addTag(a.db, [(await only(a.db)).id], 'later');
      await expect(a.sync()).rejects.toMatchObject({ problem: 'unreachable' });
      await expect(b.sync()).rejects.toBeInstanceOf(DavError);
    } finally {
      await server.restart();
    }
    await a.sync();
    await b.sync();
    expect(await only(b.db)).toMatchObject({ title: 'One', tags: ['later'] });
  });

  it('wrong app password: a plain message', async () => {
    const f = folder();
    await f.device('a').sync();
    const bad = f.device('b', { password: 'nope' });
    await expect(bad.sync()).rejects.toThrow(/refused the login: check the user name and the app password/);
  });

  it('with a passphrase the files on the server are ciphertext, and B with the passphrase reads everything', async () => {
    const f = folder();
    const a = f.device('a', { passphrase: 'correct horse battery' });
    await storeArticles(a.db, [newArticle({ title: 'Secret title about etcd', html: '<p>etcd snapshot restore</p>', text: 'etcd snapshot restore' })]);
    await a.sync();
    for (const name of readdirSync(join(f.dir, 'dev-a'))) {
      const text = readFileSync(join(f.dir, 'dev-a', name)).toString('latin1');
      expect(text).not.toMatch(/Secret|etcd|Browser a/);
    }
    await expect(f.device('b').sync()).rejects.toThrow(/encrypted: enter its passphrase/);
    await expect(f.device('c', { passphrase: 'wrong' }).sync()).rejects.toThrow(/passphrase is wrong/);
    const b = f.device('d', { passphrase: 'correct horse battery' });
    await b.sync();
    const art = await only(b.db);
    expect(art.title).toBe('Secret title about etcd');
    expect((await b.db.contents.get(art.id))!.text).toBe('etcd snapshot restore');
  }, 30_000);
});

describe('follows sync through WebDAV too', () => {
  it('a follow on A reaches B; the same feed followed on both is one follow, its articles kept', async () => {
    const f = folder();
    const a = f.device('fa');
    const b = f.device('fb');
    const feed = (id: string) => ({ id, url: 'https://medium.com/feed/@dana', title: 'Dana', kind: 'medium-user' as const, addedAt: 1, nextCheckAt: 2, failures: 0, folder: 'SRE' });
    await a.db.feeds.add(feed('feed-a'));
    await a.db.feeds.add({ ...feed('feed-a2'), url: 'https://blog.example.dev/feed.xml', title: 'Blog', kind: 'web', folder: undefined });
    await b.db.feeds.add(feed('feed-b'));
    await storeArticles(b.db, [newArticle({ feedId: 'feed-b', source: 'feed', url: 'https://medium.com/p/1' })]);
    await a.sync();
    await b.sync();
    await a.sync();
    for (const d of [a, b]) {
      const feeds = await d.db.feeds.orderBy('url').toArray();
      expect(feeds.map((x) => [x.id, x.url, x.folder])).toEqual([
        ['feed-a2', 'https://blog.example.dev/feed.xml', undefined],
        ['feed-a', 'https://medium.com/feed/@dana', 'SRE'],
      ]);
    }
    expect((await only(b.db)).feedId).toBe('feed-a');
  });
});

describe('the server stopping in the middle of a run', () => {
  for (const stopAt of [2, 3, 4, 5, 6, 7, 8]) {
    it(`stopped at request ${stopAt} of a run: nothing lost, the next run finishes the job`, async () => {
      const f = folder();
      const a = f.device(`ma${stopAt}`);
      const b = f.device(`mb${stopAt}`);
      await storeArticles(a.db, [newArticle({ url: 'https://x.test/1', title: 'One' })]);
      await a.sync();
      await storeArticles(a.db, [newArticle({ url: 'https://x.test/2', title: 'Two' })]);
      await a.sync();
      await storeArticles(a.db, [newArticle({ url: 'https://x.test/3', title: 'Three' })]);
      let requests = 0;
      const stopping = async (url: string, init?: RequestInit) => {
        if (++requests === stopAt) await server.stop();
        return fetch(url, init);
      };
      const failing = (db: OffprintDB, name: string) =>
        runSync({ db, dav: createDavClient({ url: f.url, user: server.user, password: server.pass }, stopping), identity: { deviceId: `dev-${name}`, deviceName: name }, now: Date.now });
      // A run shorter than stopAt requests ends normally; a longer one fails as the server goes.
      const settle = (run: Promise<unknown>) => run.then(() => 'done', (err: unknown) => (err as { problem?: string }).problem);
      try {
        expect(['done', 'unreachable']).toContain(await settle(failing(a.db, `ma${stopAt}`)));
      } finally {
        await server.restart();
      }
      requests = 0;
      try {
        expect(['done', 'unreachable']).toContain(await settle(failing(b.db, `mb${stopAt}`)));
      } finally {
        await server.restart();
      }
      await a.sync();
      await b.sync();
      expect((await b.db.articles.toArray()).map((x) => x.title).sort()).toEqual(['One', 'Three', 'Two']);
    });
  }
});
