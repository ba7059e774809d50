import { strFromU8, strToU8 } from 'fflate';
import type { OffprintDB } from '../db/schema';
import { applyRemoteChanges } from '../library/sync-apply';
import { stampWrite } from './capture';
import { decrypt, deriveKey, encrypt, fromBase64, newKdfParams, toBase64 } from './crypto';
import { DELETED, entryKey, isSyncedTable, SYNC_RULES, type SyncedTable, type SyncEntry } from './entries';
import { decodeFile, encodeFile, SyncFileError } from './format';
import { createClock, type Clock } from './hlc';
import { DavError, type DavClient } from './webdav';
import type { FolderInfo, HeadPayload, SegmentPayload, WireChange } from './wire';

/**
 * One sync run against the folder: upload this device's changes as new
 * segment files under <folder>/<deviceId>/, then read every other device's
 * head and the segments it has not applied yet. Files of other devices are
 * only read; a damaged one is reported and skipped, never applied, and the
 * rest goes on. See lib/sync/README.md for the format and its invariants.
 */
export const FOLDER_FILE = 'offprint-sync.json';
const CHECK_TEXT = 'offprint-sync-check';
/** A segment holds at most this much JSON (before gzip), or this many changes. */
const SEGMENT_CHARS = 4_000_000;
const SEGMENT_CHANGES = 2_000;
/** Tombstones are kept this long locally (every device has synced by then, or starts over). */
export const TOMBSTONE_KEEP_MS = 180 * 24 * 3600 * 1000;

export interface SyncIdentity {
  deviceId: string;
  deviceName: string;
}

export interface SyncRunDeps {
  db: OffprintDB;
  dav: DavClient;
  identity: SyncIdentity;
  passphrase?: string;
  now: () => number;
  clock?: Clock;
  /** Called with articles created or changed by other devices (images, badge). */
  afterApply?: (ids: string[]) => void | Promise<void>;
}

export interface SyncRunResult {
  at: number;
  uploaded: number;
  applied: number;
  devices: number;
  /** Plain sentences: files refused, devices unreadable. */
  problems: string[];
}

interface SeenState {
  seq: number;
  /** Segment numbers refused (damaged), retried on every run. */
  refused: number[];
}

const segName = (device: string, seq: number) => `${device}/seg-${String(seq).padStart(8, '0')}.offprint`;
const headName = (device: string) => `${device}/head.offprint`;

export async function runSync(deps: SyncRunDeps): Promise<SyncRunResult> {
  const clock = deps.clock ?? createClock(deps.now);
  const key = await openFolder(deps);
  const result: SyncRunResult = { at: deps.now(), uploaded: 0, applied: 0, devices: 0, problems: [] };
  result.uploaded = await push(deps, key, clock);
  await pull(deps, key, clock, result);
  return result;
}

/** Reads (or, in an empty folder, writes) offprint-sync.json and returns the key files are sealed with. */
async function openFolder(deps: SyncRunDeps): Promise<CryptoKey | undefined> {
  const { dav } = deps;
  const raw = await dav.get(FOLDER_FILE);
  let info: FolderInfo;
  if (!raw) {
    info = { format: 'offprint-sync', version: 1 };
    if (deps.passphrase) {
      const kdf = newKdfParams();
      const key = await deriveKey(deps.passphrase, kdf);
      const sealed = await encrypt(key, strToU8(CHECK_TEXT), 'offprint:check');
      info.encryption = { kdf, check: toBase64(sealed.data), iv: toBase64(sealed.iv) };
    }
    await dav.putAtomic(FOLDER_FILE, strToU8(JSON.stringify(info, null, 2)));
  } else {
    try {
      info = JSON.parse(strFromU8(raw)) as FolderInfo;
      if (info.format !== 'offprint-sync') throw new Error('format');
    } catch {
      throw new DavError(`${FOLDER_FILE} in the sync folder is damaged or not Offprint's: sync stopped so nothing is overwritten. Choose another folder, or delete that file if no device uses the folder.`, 'server');
    }
    if (info.version !== 1) throw new DavError('The sync folder was written by a newer Offprint: update Offprint on this browser.', 'server');
  }
  if (!info.encryption) {
    if (deps.passphrase) throw new DavError('This sync folder is not encrypted, but a passphrase is set here. Clear the passphrase, or choose a new, empty folder to sync encrypted.', 'server');
    return undefined;
  }
  if (!deps.passphrase) throw new DavError('This sync folder is encrypted: enter its passphrase in Options → Sync.', 'auth');
  const key = await deriveKey(deps.passphrase, info.encryption.kdf);
  try {
    const check = await decrypt(key, fromBase64(info.encryption.iv), fromBase64(info.encryption.check), 'offprint:check');
    if (strFromU8(check) !== CHECK_TEXT) throw new Error('check');
  } catch {
    throw new DavError('The encryption passphrase is wrong: it does not open this sync folder.', 'auth');
  }
  return key;
}

/** Creates log entries for records stored before sync existed (or written around the capture). */
export async function seedMissing(db: OffprintDB, clock: Clock): Promise<number> {
  let added = 0;
  for (const table of Object.keys(SYNC_RULES) as SyncedTable[]) {
    const store = db.table(table);
    const ids = (await store.toCollection().primaryKeys()) as string[];
    const known = new Set((await db.syncLog.where('key').between(`${table}:`, `${table}:\uffff`).primaryKeys()) as string[]);
    const missing = ids.filter((id) => !known.has(entryKey(table, id)));
    for (let i = 0; i < missing.length; i += 500) {
      const chunk = missing.slice(i, i + 500);
      const records = (await store.bulkGet(chunk)) as (object | undefined)[];
      const entries = records.flatMap((r, j) => (r ? [stampWrite(undefined, table, chunk[j]!, undefined, r, clock)!] : []));
      await db.syncLog.bulkPut(entries);
      added += entries.length;
    }
  }
  return added;
}

async function kvGet<T>(db: OffprintDB, key: string): Promise<T | undefined> {
  return (await db.kv.get(key))?.value as T | undefined;
}

/** The wire form of an entry's pending fields (content values read from the table). */
async function toWire(db: OffprintDB, entries: SyncEntry[]): Promise<WireChange[]> {
  const contentIds = entries.filter((e) => e.t === 'contents' && !e.del).map((e) => e.id);
  const contents = new Map((await db.contents.bulkGet(contentIds)).flatMap((c) => (c ? [[c.id, c] as const] : [])));
  return entries.flatMap((e): WireChange[] => {
    if (e.del && e.t === 'contents') return [{ t: e.t, id: e.id, d: e.del }];
    const r: NonNullable<WireChange['r']> = {};
    const content = contents.get(e.id) as Record<string, unknown> | undefined;
    for (const f of e.pending) {
      const reg = e.regs[f];
      if (!reg || f === DELETED) continue;
      const v = e.t === 'contents' ? content?.[f] : reg.v;
      r[f] = reg.t ? [reg.c, v === undefined ? null : v, 1] : [reg.c, v === undefined ? null : v];
    }
    // A tombstone travels with the record's unsent fields: others learn which post it was.
    if (e.del) return [{ t: e.t, id: e.id, ...(Object.keys(r).length ? { r } : {}), d: e.del }];
    return Object.keys(r).length ? [{ t: e.t, id: e.id, r }] : [];
  });
}

async function push(deps: SyncRunDeps, key: CryptoKey | undefined, clock: Clock): Promise<number> {
  const { db, dav, identity } = deps;
  await seedMissing(db, clock);
  const dirty = await db.syncLog.where('dirty').equals(1).toArray();
  const ownKey = 'sync:own';
  // headSeq: the segment number the head on the server names (a run may stop between the two).
  const own = (await kvGet<{ seq: number; folder: string; headSeq?: number }>(db, ownKey)) ?? { seq: 0, folder: dav.folderUrl };
  const head = await dav.get(headName(identity.deviceId));
  if (!head || own.folder !== dav.folderUrl) {
    // A new folder (or one emptied by hand): start this device's files over, with everything.
    await dav.mkcol(identity.deviceId);
    if (!head && own.seq > 0) return republish(deps, key);
    own.folder = dav.folderUrl;
  }
  if (dirty.length === 0) {
    if (!head || own.headSeq !== own.seq) {
      await writeHead(deps, key, own.seq);
      await db.kv.put({ key: ownKey, value: { ...own, headSeq: own.seq } });
    }
    return 0;
  }
  let uploaded = 0;
  for (let i = 0; i < dirty.length; ) {
    const batch: SyncEntry[] = [];
    let chars = 0;
    while (i < dirty.length && batch.length < SEGMENT_CHANGES && chars < SEGMENT_CHARS) {
      const entry = dirty[i]!;
      batch.push(entry);
      chars += entry.t === 'contents' ? 20_000 : 1_000;
      i++;
    }
    const changes = await toWire(db, batch);
    const seq = own.seq + 1;
    await dav.putAtomic(segName(identity.deviceId, seq), await encodeFile('seg', identity.deviceId, seq, { changes } satisfies SegmentPayload, key));
    own.seq = seq;
    await db.kv.put({ key: ownKey, value: own });
    await clearPending(db, batch);
    uploaded += changes.length;
  }
  await writeHead(deps, key, own.seq);
  await db.kv.put({ key: ownKey, value: { ...own, headSeq: own.seq } });
  return uploaded;
}

/** This device's folder vanished from the server: everything it holds is published again. */
async function republish(deps: SyncRunDeps, key: CryptoKey | undefined): Promise<number> {
  const { db } = deps;
  await db.transaction('rw', db.syncLog, async () => {
    await db.syncLog.toCollection().modify((e) => {
      e.pending = e.del ? [DELETED] : Object.keys(e.regs);
      e.dirty = 1;
    });
  });
  await db.kv.put({ key: 'sync:own', value: { seq: 0, folder: deps.dav.folderUrl } });
  await writeHead(deps, key, 0);
  return push(deps, key, deps.clock ?? createClock(deps.now));
}

async function writeHead(deps: SyncRunDeps, key: CryptoKey | undefined, seq: number): Promise<void> {
  const payload: HeadPayload = { seq, name: deps.identity.deviceName, at: deps.now() };
  await deps.dav.putAtomic(headName(deps.identity.deviceId), await encodeFile('head', deps.identity.deviceId, 0, payload, key));
}

/** Clears what was uploaded, unless the field changed again meanwhile. */
async function clearPending(db: OffprintDB, sent: SyncEntry[]): Promise<void> {
  await db.transaction('rw', db.syncLog, async () => {
    const now = await db.syncLog.bulkGet(sent.map((e) => e.key));
    const out: SyncEntry[] = [];
    now.forEach((cur, i) => {
      if (!cur) return;
      const was = sent[i]!;
      const pending = cur.pending.filter((f) => (f === DELETED ? cur.del !== was.del : !was.pending.includes(f) || cur.regs[f]?.c !== was.regs[f]?.c));
      out.push({ ...cur, pending, dirty: pending.length ? 1 : 0 });
    });
    await db.syncLog.bulkPut(out);
  });
}

async function pull(deps: SyncRunDeps, key: CryptoKey | undefined, clock: Clock, result: SyncRunResult): Promise<void> {
  const { db, dav, identity } = deps;
  const entries = await dav.propfind('', 1);
  const devices = entries.filter((e) => e.isFolder && e.path && !e.path.includes('/') && e.path !== identity.deviceId && /^[A-Za-z0-9_-]{4,64}$/.test(e.path)).map((e) => e.path);
  for (const device of devices) {
    let head: HeadPayload;
    const label = async () => (await kvGet<string>(db, `sync:name:${device}`)) ?? `device ${device.slice(0, 8)}`;
    try {
      const raw = await dav.get(headName(device));
      if (!raw) continue; // A device that has not finished its first upload.
      head = (await decodeFile<HeadPayload>(raw, key, { kind: 'head', device })).payload;
    } catch (err) {
      if (err instanceof SyncFileError) {
        result.problems.push(`The sync files of ${await label()} could not be read: ${headName(device)} (${err.message}). Its changes were not applied.`);
        continue;
      }
      throw err;
    }
    result.devices += 1;
    if (typeof head.name === 'string') await db.kv.put({ key: `sync:name:${device}`, value: head.name });
    const seenKey = `sync:seen:${device}`;
    const seen = (await kvGet<SeenState>(db, seenKey)) ?? { seq: 0, refused: [] };
    const todo = [...seen.refused, ...range(seen.seq + 1, head.seq)];
    const refused: number[] = [];
    for (const seq of todo) {
      const name = segName(device, seq);
      try {
        const raw = await dav.get(name).catch((err: unknown) => {
          // The server sent less than it announced: the file was cut on the server or on the way.
          if (err instanceof DavError && err.problem === 'cut-short') throw new SyncFileError('it is truncated: shorter than the server says', 'truncated');
          throw err;
        });
        if (!raw) throw new SyncFileError('it is missing from the server', 'truncated');
        const { payload } = await decodeFile<SegmentPayload>(raw, key, { kind: 'seg', device, seq });
        if (!Array.isArray(payload.changes)) throw new SyncFileError('its content is not readable (damaged)', 'corrupt');
        const applied = await applyRemoteChanges(db, payload.changes.filter(isWireChange), clock);
        result.applied += payload.changes.length;
        if (applied.changed.length) await deps.afterApply?.(applied.changed);
      } catch (err) {
        if (!(err instanceof SyncFileError)) {
          await db.kv.put({ key: seenKey, value: { seq: Math.max(seen.seq, ...todo.filter((s) => s < seq && !refused.includes(s)), 0), refused: [...new Set([...refused, ...todo.filter((s) => s >= seq && seen.refused.includes(s))])] } });
          throw err;
        }
        refused.push(seq);
        result.problems.push(`A sync file from ${head.name || (await label())} was refused and not applied: ${name} (${err.message}). Everything else synced.`);
      }
      if (seq > seen.seq) seen.seq = seq;
      await db.kv.put({ key: seenKey, value: { seq: seen.seq, refused: [...refused, ...todo.filter((s) => s > seq && seen.refused.includes(s))] } });
    }
    await db.kv.put({ key: seenKey, value: { seq: seen.seq, refused } });
  }
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

function isWireChange(c: unknown): c is WireChange {
  const x = c as WireChange;
  return !!x && isSyncedTable(x.t) && typeof x.id === 'string' && (x.r === undefined || typeof x.r === 'object') && (x.d === undefined || typeof x.d === 'string');
}
