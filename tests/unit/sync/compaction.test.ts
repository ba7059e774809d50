import 'fake-indexeddb/auto';
import { existsSync, readdirSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OffprintDB } from '../../../lib/db/schema';
import { purgeArticles, saveProgress, setStarred } from '../../../lib/library/actions';
import { addHighlight, setArticleNote } from '../../../lib/library/highlights';
import { storeArticles } from '../../../lib/library/store';
import { runSync, type CompactionPolicy } from '../../../lib/sync/engine';
import { createDavClient } from '../../../lib/sync/webdav';
import { startWebdav, type WebdavServer } from '../../webdav-server';
import { freshDb, newArticle } from '../helpers/db';

let server: WebdavServer;
beforeAll(async () => {
  server = await startWebdav();
});
afterAll(async () => {
  await server.dispose();
});

/** Small thresholds so a few runs make snapshots; tombstones may go at once. */
const EAGER: Partial<CompactionPolicy> = { snapshotAfterUploads: 2, snapshotMinBytes: 0, tombstoneMinAgeMs: 0, cleanupEveryMs: 0 };

let folderN = 0;
function folder() {
  const name = `compact-${++folderN}`;
  const url = `${server.url}${name}/`;
  const dir = join(server.dir, name);
  return {
    dir,
    files: (device: string) => (existsSync(join(dir, `dev-${device}`)) ? readdirSync(join(dir, `dev-${device}`)).filter((f) => !f.includes('.tmp-')).sort() : []),
    device(name: string, opts: { compaction?: Partial<CompactionPolicy>; passphrase?: string } = {}) {
      const db = freshDb();
      const got: string[] = [];
      const logging = (input: string, init?: RequestInit) => {
        if ((init?.method ?? 'GET') === 'GET') got.push(new URL(input).pathname.split('/').slice(-2).join('/'));
        return fetch(input, init);
      };
      const dav = createDavClient({ url, user: server.user, password: server.pass }, logging);
      const sync = async () => {
        await dav.mkcol('');
        got.length = 0;
        return runSync({ db, dav, identity: { deviceId: `dev-${name}`, deviceName: `Browser ${name}` }, now: Date.now, passphrase: opts.passphrase, compaction: opts.compaction ?? EAGER });
      };
      return { db, dav, sync, got };
    },
  };
}

async function library(db: OffprintDB) {
  const articles = (await db.articles.toArray()).map(({ offline: _o, ...a }) => JSON.parse(JSON.stringify(a)) as typeof a).sort((x, y) => x.id.localeCompare(y.id));
  const contents = (await db.contents.toArray()).sort((x, y) => x.id.localeCompare(y.id));
  const highlights = (await db.highlights.toArray()).sort((x, y) => x.id.localeCompare(y.id));
  const notes = await db.articleNotes.toArray();
  return { articles, contents, highlights, notes };
}

const post = (n: number) => newArticle({ url: `https://blog.test/${n}`, title: `Post ${n}`, html: `<p>body ${n}</p>`, text: `body ${n}` });

describe('snapshots and compaction', () => {
  it('a new device reads the snapshot and the segments after it, not every segment ever written', async () => {
    const f = folder();
    const a = f.device('a', { passphrase: 'correct horse', compaction: { ...EAGER, snapshotAfterUploads: 4 } });
    const ids: string[] = [];
    for (let i = 1; i <= 4; i++) {
      ids.push((await storeArticles(a.db, [post(i)]))[0]!.id);
      await a.sync();
    }
    await addHighlight(a.db, { articleId: ids[0]!, quote: { type: 'TextQuoteSelector', exact: 'body', prefix: '', suffix: '' }, position: { type: 'TextPositionSelector', start: 0, end: 4 } });
    await setArticleNote(a.db, ids[1]!, 'keep this');
    await a.sync();
    expect(f.files('a').some((x) => x.startsWith('snap-'))).toBe(true);
    // One more change after the snapshot: it must come from a segment.
    await setStarred(a.db, [ids[2]!], 1);
    await a.sync();

    const c = f.device('c', { passphrase: 'correct horse' });
    const rc = await c.sync();
    expect(rc.problems).toEqual([]);
    expect(await library(c.db)).toEqual(await library(a.db));
    expect((await c.db.articles.get(ids[2]!))!.starred).toBe(1);
    const segsRead = c.got.filter((x) => x.includes('/seg-'));
    const snapSeq = Number(c.got.find((x) => x.includes('/snap-'))!.split('snap-')[1]!.slice(0, 8));
    // Only segments after the snapshot were read.
    expect(segsRead.length).toBeGreaterThan(0);
    for (const s of segsRead) expect(Number(s.split('seg-')[1]!.slice(0, 8))).toBeGreaterThan(snapSeq);
  });

  it('the owner deletes segments every device has read; a device that joins later still gets everything', async () => {
    const f = folder();
    const a = f.device('a');
    const b = f.device('b');
    await b.sync(); // B is known (it has a head) before A writes anything.
    for (let i = 1; i <= 5; i++) {
      await storeArticles(a.db, [post(i)]);
      await a.sync();
    }
    const before = f.files('a').filter((x) => x.startsWith('seg-'));
    expect(before).toHaveLength(5); // B has read none of them yet.
    expect(f.files('a').some((x) => x.startsWith('snap-'))).toBe(true);
    await b.sync(); // B reads them and says so in its head.
    const r = await a.sync();
    expect(r.compacted).toBeGreaterThan(0);
    const after = f.files('a').filter((x) => x.startsWith('seg-'));
    expect(after.length).toBeLessThan(before.length);
    expect(f.files('a').filter((x) => x.startsWith('snap-')).length).toBeGreaterThan(0);
    // B keeps syncing normally.
    await saveProgress(a.db, (await a.db.articles.toArray())[0]!.id, 0.5);
    await a.sync();
    await b.sync();
    expect(await library(b.db)).toEqual(await library(a.db));
    const d = f.device('d');
    expect((await d.sync()).problems).toEqual([]);
    expect(await library(d.db)).toEqual(await library(a.db));
  });

  it('segments are kept while a known device has not read them', async () => {
    const f = folder();
    const a = f.device('a');
    const b = f.device('b');
    await storeArticles(a.db, [post(1)]);
    await a.sync();
    await b.sync();
    await b.sync(); // B's head now says it has read segment 1 of A; it then stops syncing.
    for (let i = 2; i <= 6; i++) {
      await storeArticles(a.db, [post(i)]);
      await a.sync();
    }
    const segs = f.files('a').filter((x) => x.startsWith('seg-'));
    expect(segs).not.toContain('seg-00000001.offprint');
    expect(segs).toContain('seg-00000002.offprint');
    await b.sync();
    expect(await library(b.db)).toEqual(await library(a.db));
  });

  it('a damaged snapshot is refused with a message and never applied; the segments are read instead', async () => {
    const f = folder();
    const a = f.device('a');
    const b = f.device('b');
    await b.sync(); // Known and behind: A keeps its segments for it.
    for (let i = 1; i <= 3; i++) {
      await storeArticles(a.db, [post(i)]);
      await a.sync();
    }
    const snap = f.files('a').find((x) => x.startsWith('snap-'))!;
    const file = join(f.dir, 'dev-a', snap);
    truncateSync(file, Math.floor(statSync(file).size / 2));
    const c = f.device('c');
    const r = await c.sync();
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(/^The snapshot of Browser a was refused and not used: dev-a\/snap-\d{8}-0000\.offprint \(it is truncated.*\)\./);
    expect(await library(c.db)).toEqual(await library(a.db));
    // Once the segments are compacted away too, a new device is told, and what else there is syncs.
    await b.sync();
    await storeArticles(a.db, [post(4)]);
    await a.sync();
    await a.sync();
    expect(f.files('a')).not.toContain('seg-00000001.offprint');
    for (const part of f.files('a').filter((x) => x.startsWith('snap-'))) truncateSync(join(f.dir, 'dev-a', part), 100);
    const d = f.device('d');
    const rd = await d.sync();
    expect(rd.problems[0]).toMatch(/^The snapshot of Browser a was refused and not used/);
    expect(rd.problems.slice(1).every((p) => /it was compacted into a snapshot, and the snapshot could not be used/.test(p))).toBe(true);
  });

  it('a tombstone is dropped once every device’s snapshot has it, and the post does not come back', async () => {
    const f = folder();
    const a = f.device('a');
    const b = f.device('b');
    const [gone, kept] = (await storeArticles(a.db, [post(1), post(2)])).map((x) => x.id);
    await a.sync();
    await b.sync();
    await purgeArticles(a.db, [gone!]);
    // Both devices write a few segments so both snapshot after seeing the purge.
    for (let i = 3; i <= 6; i++) {
      await storeArticles(a.db, [post(i)]);
      await storeArticles(b.db, [newArticle({ url: `https://other.test/${i}`, title: `Other ${i}` })]);
      await a.sync();
      await b.sync();
    }
    await a.sync();
    await b.sync();
    const tombstones = async (db: OffprintDB) => (await db.syncLog.toArray()).filter((e) => e.del || e.id === gone).length;
    expect(await tombstones(a.db)).toBe(0);
    expect(await tombstones(b.db)).toBe(0);
    // A new device gets neither the post nor its tombstone, and the old ones keep the post gone.
    const c = f.device('c');
    expect((await c.sync()).problems).toEqual([]);
    await a.sync();
    await b.sync();
    for (const d of [a, b, c]) {
      expect(await d.db.articles.get(gone!)).toBeUndefined();
      expect(await d.db.articles.get(kept!)).toBeDefined();
    }
    expect(await library(c.db)).toEqual(await library(a.db));
  });

  it('with the default policy a tombstone is kept through the Trash day', async () => {
    const f = folder();
    const a = f.device('a', { compaction: { ...EAGER, tombstoneMinAgeMs: 24 * 3600 * 1000 } });
    const b = f.device('b', { compaction: { ...EAGER, tombstoneMinAgeMs: 24 * 3600 * 1000 } });
    const [gone] = (await storeArticles(a.db, [post(1)])).map((x) => x.id);
    await a.sync();
    await b.sync();
    await purgeArticles(a.db, [gone!]);
    for (let i = 2; i <= 5; i++) {
      await storeArticles(a.db, [post(i)]);
      await a.sync();
      await b.sync();
    }
    expect((await a.db.syncLog.toArray()).some((e) => e.del)).toBe(true);
    expect((await b.db.syncLog.toArray()).some((e) => e.del)).toBe(true);
  });
});
