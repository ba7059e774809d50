import { liveQuery } from 'dexie';
import type { OffprintDB } from '../db/schema';
import { addFollows, followKey, type FollowDeps } from './follows';

/** The part of browser.storage.sync this module uses, injected so tests pass a fake. */
export interface SyncArea {
  get(keys: string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

/** One follow as synced: short keys, because storage.sync allows 8 KB per item and 100 KB in all. */
export interface SyncedFollow {
  u: string;
  t: string;
  f?: string;
  a: number;
}

export interface SyncedFollows {
  follows: SyncedFollow[];
  /** Unfollowed feed keys and when, so an unfollow is not undone by another browser's copy. */
  removed: Record<string, number>;
}

const PREFIX = 'offprint.follows.';
const COUNT_KEY = `${PREFIX}n`;
const LAST_LOCAL_KEY = 'io:sync:lastLocal';
/** Under storage.sync's 8,192-byte item quota, key and JSON quoting included. */
const CHUNK_CHARS = 6000;
/** Tombstones older than this are dropped to stay within the quota. */
const TOMBSTONE_MS = 180 * 24 * 3600 * 1000;

export async function readSynced(area: SyncArea): Promise<SyncedFollows> {
  const all = await area.get(null);
  const n = Number(all[COUNT_KEY] ?? 0);
  let json = '';
  for (let i = 0; i < n; i++) json += String(all[`${PREFIX}${i}`] ?? '');
  if (!json) return { follows: [], removed: {} };
  try {
    const parsed = JSON.parse(json) as Partial<SyncedFollows>;
    return {
      follows: Array.isArray(parsed.follows) ? parsed.follows.filter((f) => typeof f?.u === 'string') : [],
      removed: typeof parsed.removed === 'object' && parsed.removed ? parsed.removed : {},
    };
  } catch {
    // A half-written set from another browser: treat as empty, the next write repairs it.
    return { follows: [], removed: {} };
  }
}

export async function writeSynced(area: SyncArea, data: SyncedFollows, previousCount: number): Promise<void> {
  const json = JSON.stringify(data);
  const items: Record<string, unknown> = {};
  let n = 0;
  for (let i = 0; i < json.length; i += CHUNK_CHARS) items[`${PREFIX}${n++}`] = json.slice(i, i + CHUNK_CHARS);
  items[COUNT_KEY] = n;
  await area.set(items);
  const stale = [];
  for (let i = n; i < previousCount; i++) stale.push(`${PREFIX}${i}`);
  if (stale.length) await area.remove(stale);
}

export interface SyncResult {
  addedLocally: number;
  removedLocally: number;
  /** Whether storage.sync was rewritten. */
  wroteRemote: boolean;
}

/**
 * Merges this browser's follows with the synced list, both ways, without
 * duplicates (feeds match by normalized URL). An unfollow here since the last
 * sync becomes a tombstone; a tombstone newer than a local follow removes it
 * here. Articles are never touched: only the follow goes.
 */
export async function syncFollows(db: OffprintDB, area: SyncArea, deps: FollowDeps): Promise<SyncResult> {
  const all = await area.get([COUNT_KEY]);
  const previousCount = Number(all[COUNT_KEY] ?? 0);
  const remote = await readSynced(area);
  const now = deps.now();
  const local = await db.feeds.toArray();
  const lastLocal = ((await db.kv.get(LAST_LOCAL_KEY))?.value as string[] | undefined) ?? [];
  const localKeys = new Set(local.map((f) => followKey(f.url)));
  const removed = { ...remote.removed };
  for (const key of lastLocal) if (!localKeys.has(key)) removed[key] = Math.max(removed[key] ?? 0, now);

  const result: SyncResult = { addedLocally: 0, removedLocally: 0, wroteRemote: false };
  for (const feed of local) {
    const key = followKey(feed.url);
    const gone = removed[key];
    if (gone !== undefined && gone > feed.addedAt && lastLocal.includes(key)) {
      await db.feeds.delete(feed.id);
      localKeys.delete(key);
      result.removedLocally += 1;
    } else if (gone !== undefined && gone <= feed.addedAt) {
      delete removed[key];
    } else if (gone !== undefined && !lastLocal.includes(key)) {
      // Followed here before this browser ever synced: a new follow wins.
      delete removed[key];
    }
  }

  const remoteByKey = new Map(remote.follows.map((f) => [followKey(f.u), f]));
  const toAdd = [...remoteByKey.entries()].filter(([key]) => !localKeys.has(key) && removed[key] === undefined).map(([, f]) => ({ url: f.u, title: f.t, folder: f.f }));
  if (toAdd.length) {
    result.addedLocally = (await addFollows(db, toAdd, deps)).added;
  }

  const merged = new Map<string, SyncedFollow>();
  for (const feed of await db.feeds.toArray()) {
    const key = followKey(feed.url);
    if (!merged.has(key)) merged.set(key, { u: feed.url, t: feed.title, ...(feed.folder ? { f: feed.folder } : {}), a: feed.addedAt });
  }
  for (const [key, at] of Object.entries(removed)) if (now - at > TOMBSTONE_MS || merged.has(key)) delete removed[key];
  const next: SyncedFollows = { follows: [...merged.values()].sort((x, y) => x.u.localeCompare(y.u)), removed };
  const sortedRemote: SyncedFollows = { follows: [...remote.follows].sort((x, y) => x.u.localeCompare(y.u)), removed: remote.removed };
  if (JSON.stringify(next) !== JSON.stringify(sortedRemote)) {
    await writeSynced(area, next, previousCount);
    result.wroteRemote = true;
  }
  await db.kv.put({ key: LAST_LOCAL_KEY, value: [...merged.keys()] });
  return result;
}

/**
 * Runs syncFollows whenever asked, one at a time, coalescing requests that
 * arrive while a run is going (storage events and local changes come in bursts).
 */
export function createFollowSyncer(run: () => Promise<unknown>, onError: (err: unknown) => void = console.error) {
  let running: Promise<void> | undefined;
  let again = false;
  const go = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await run();
        } catch (err) {
          onError(err);
        }
      } while (again);
    })().finally(() => {
      running = undefined;
    });
    return running;
  };
  return go;
}

/** Whether a storage.onChanged event concerns the synced follows. */
export function isFollowsChange(changes: Record<string, unknown>, areaName: string): boolean {
  return areaName === 'sync' && Object.keys(changes).some((k) => k.startsWith(PREFIX));
}

/**
 * Calls onChange whenever the set of followed feeds changes in any context
 * (popup, options page, background), not on the first read.
 */
export function watchFollows(db: OffprintDB, onChange: () => void, opts: { onFirstRead?: () => void } = {}): () => void {
  let last: string | undefined;
  const sub = liveQuery(async () => ((await db.feeds.toCollection().primaryKeys()) as string[]).sort().join('\n')).subscribe({
    next: (keys) => {
      if (last !== undefined && keys !== last) onChange();
      else if (last === undefined) opts.onFirstRead?.();
      last = keys;
    },
    error: () => undefined,
  });
  return () => sub.unsubscribe();
}
