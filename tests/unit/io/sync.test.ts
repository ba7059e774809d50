import { describe, expect, it } from 'vitest';
import { readSynced, syncFollows, createFollowSyncer, isFollowsChange, type SyncArea } from '../../../lib/io/sync';
import type { OffprintDB } from '../../../lib/db/schema';
import { freshDb } from '../helpers/db';

/** storage.sync as one shared map, enforcing Chrome's per-item quota. */
function fakeSyncArea() {
  const data = new Map<string, unknown>();
  let writes = 0;
  const area: SyncArea = {
    async get(keys) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of data) if (!keys || keys.includes(k)) out[k] = structuredClone(v);
      return out;
    },
    async set(items) {
      for (const [k, v] of Object.entries(items)) {
        if (k.length + JSON.stringify(v).length > 8192) throw new Error('QUOTA_BYTES_PER_ITEM quota exceeded');
        data.set(k, structuredClone(v));
      }
      writes++;
    },
    async remove(keys) {
      for (const k of keys) data.delete(k);
    },
  };
  return { area, data, writes: () => writes };
}

function clock(start = 1_000_000) {
  let t = start;
  let n = 0;
  return { now: () => (t += 1000), newId: () => `f-${++n}-${Math.random().toString(36).slice(2, 6)}` };
}

async function follow(db: OffprintDB, url: string, addedAt: number, folder?: string) {
  await db.feeds.add({ id: url, url, title: url.split('/')[2]!, kind: 'web', addedAt, nextCheckAt: 0, failures: 0, folder });
}

const urls = async (db: OffprintDB) => (await db.feeds.toArray()).map((f) => f.url).sort();

describe('follows sync through storage.sync', () => {
  it('merges two browsers’ follows both ways without duplicates', async () => {
    const { area } = fakeSyncArea();
    const laptop = freshDb();
    const desktop = freshDb();
    const deps = clock();
    await follow(laptop, 'https://a.example/feed', 1, 'Ops');
    await follow(laptop, 'https://shared.example/feed', 1);
    await follow(desktop, 'https://b.example/feed', 1);
    await follow(desktop, 'http://SHARED.example/feed/', 1);

    await syncFollows(laptop, area, deps);
    await syncFollows(desktop, area, deps);
    await syncFollows(laptop, area, deps);

    expect(await urls(laptop)).toEqual(['https://a.example/feed', 'https://b.example/feed', 'https://shared.example/feed']);
    expect(await urls(desktop)).toEqual(['http://SHARED.example/feed/', 'https://a.example/feed', 'https://b.example/feed']);
    expect((await desktop.feeds.where('url').equals('https://a.example/feed').first())?.folder).toBe('Ops');
    expect((await readSynced(area)).follows).toHaveLength(3);
  });

  it('carries an unfollow to the other browser instead of bringing the feed back', async () => {
    const { area } = fakeSyncArea();
    const laptop = freshDb();
    const desktop = freshDb();
    const deps = clock();
    await follow(laptop, 'https://a.example/feed', 1);
    await follow(laptop, 'https://b.example/feed', 1);
    await syncFollows(laptop, area, deps);
    await syncFollows(desktop, area, deps);
    expect(await urls(desktop)).toHaveLength(2);

    await laptop.feeds.delete('https://a.example/feed');
    await syncFollows(laptop, area, deps);
    await syncFollows(desktop, area, deps);
    expect(await urls(desktop)).toEqual(['https://b.example/feed']);
    await syncFollows(laptop, area, deps);
    expect(await urls(laptop)).toEqual(['https://b.example/feed']);

    // Following it again later wins over the old unfollow.
    await desktop.feeds.add({ id: 'again', url: 'https://a.example/feed', title: 'A', kind: 'web', addedAt: deps.now() + 10_000, nextCheckAt: 0, failures: 0 });
    await syncFollows(desktop, area, deps);
    await syncFollows(laptop, area, deps);
    expect(await urls(laptop)).toEqual(['https://a.example/feed', 'https://b.example/feed']);
  });

  it('splits a long follow list across items under the per-item quota and does not rewrite when nothing changed', async () => {
    const { area, data, writes } = fakeSyncArea();
    const db = freshDb();
    for (let i = 0; i < 300; i++) await follow(db, `https://feeds-${i}.example.com/some/long/path/feed.xml`, 1, 'Folder name here');
    const first = await syncFollows(db, area, clock());
    expect(first.wroteRemote).toBe(true);
    expect(Number(data.get('offprint.follows.n'))).toBeGreaterThan(1);
    expect((await readSynced(area)).follows).toHaveLength(300);
    const before = writes();
    expect((await syncFollows(db, area, clock())).wroteRemote).toBe(false);
    expect(writes()).toBe(before);
  });

  it('runs one sync at a time and coalesces requests made meanwhile', async () => {
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const sync = createFollowSyncer(async () => {
      runs++;
      if (runs === 1) await gate;
    });
    const a = sync();
    void sync();
    void sync();
    release();
    await a;
    expect(runs).toBe(2);
    expect(isFollowsChange({ 'offprint.follows.0': {} }, 'sync')).toBe(true);
    expect(isFollowsChange({ 'offprint.follows.0': {} }, 'local')).toBe(false);
  });
});

describe('watching follows', () => {
  it('reports changes to the followed feeds, not the first read', async () => {
    const { watchFollows } = await import('../../../lib/io/sync');
    const db = freshDb();
    // No timers: wait for the watcher's first read, then for the change it reports.
    let calls = 0;
    let changed!: () => void;
    const reported = new Promise<void>((r) => (changed = r));
    let stop!: () => void;
    await new Promise<void>((ready) => {
      stop = watchFollows(db, () => {
        calls++;
        changed();
      }, { onFirstRead: ready });
    });
    expect(calls).toBe(0);
    await follow(db, 'https://w.example/feed', 1);
    await reported;
    expect(calls).toBe(1);
    stop();
  });
});
