import type { OffprintDB } from '../db/schema';
import { TRASH_KEEP_MS } from '../library/actions';
import { applyRemoteChanges, dropTombstones } from '../library/sync-apply';
import { stampWrite } from './capture';
import { folderTag, forgetOwnImages, imageProblems, ownImageVersion, pushImages, refreshImageIndexes, type ImageLimits, type ImagePushResult } from './images';
import { openFolder } from './folder';
import { DELETED, entryKey, isSyncedTable, SYNC_RULES, type SyncedTable, type SyncEntry, type TombstoneOrigin } from './entries';
import { decodeFile, encodeFile, SyncFileError } from './format';
import { createClock, parseStamp, type Clock } from './hlc';
import { DavError, type DavClient } from './webdav';
import type { HeadPayload, SegmentPayload, SnapshotRef, WireChange } from './wire';

/**
 * One sync run against the folder: upload this device's changes as new
 * segment files under <folder>/<deviceId>/, then read every other device's
 * head and the segments it has not applied yet. Files of other devices are
 * only read; a damaged one is reported and skipped, never applied, and the
 * rest goes on. See lib/sync/README.md for the format and its invariants.
 */
export { FOLDER_FILE } from './folder';
/** A segment holds at most this much JSON (before gzip), or this many changes. */
const SEGMENT_CHARS = 4_000_000;
const SEGMENT_CHANGES = 2_000;
/** Tombstones are kept this long locally (every device has synced by then, or starts over). */
export const TOMBSTONE_KEEP_MS = 180 * 24 * 3600 * 1000;

/** When snapshots are written and what is cleaned up (tests make these small). */
export interface CompactionPolicy {
  /** A snapshot is written once this many runs uploaded something since the last one… */
  snapshotAfterUploads: number;
  /** …holding at least this many bytes, and at least half the last snapshot's size. */
  snapshotMinBytes: number;
  /** Or when the last snapshot is this old and something was written since. */
  snapshotMaxAgeMs: number;
  /** A tombstone is kept at least this long (the Trash day), and until every device's snapshot has it. */
  tombstoneMinAgeMs: number;
  /** Tombstone cleanup runs at most this often. */
  cleanupEveryMs: number;
  /** A device whose head is older than this is not waited for (it starts from the snapshots when it returns). */
  staleDeviceMs: number;
}

export const DEFAULT_COMPACTION: CompactionPolicy = {
  snapshotAfterUploads: 16,
  snapshotMinBytes: 256 * 1024,
  snapshotMaxAgeMs: 30 * 24 * 3600 * 1000,
  tombstoneMinAgeMs: TRASH_KEEP_MS,
  cleanupEveryMs: 24 * 3600 * 1000,
  staleDeviceMs: 90 * 24 * 3600 * 1000,
};

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
  compaction?: Partial<CompactionPolicy>;
  /** Image sync is on here (Options → Sync): upload stored images, read the others' image lists. */
  images?: boolean;
  imageLimits?: Partial<ImageLimits>;
  /** Set by runSync: the folder and key image names are made with (the head names this device's image list). */
  imageTag?: string;
}

export interface SyncRunResult {
  at: number;
  uploaded: number;
  applied: number;
  devices: number;
  /** Plain sentences: files refused, devices unreadable. */
  problems: string[];
  /** Snapshot written this run (its segment number), own segments deleted, tombstones dropped. */
  snapshot?: number;
  compacted?: number;
  tombstonesDropped?: number;
  /** Images uploaded (and own image files deleted) this run. */
  images?: ImagePushResult;
}

/** What this device knows of its own files on the server (kv `sync:own`). */
interface OwnState {
  seq: number;
  folder: string;
  /** The segment number the head on the server names (a run may stop between the two). */
  headSeq?: number;
  /** The lowest own segment still published (older ones are in the snapshot). */
  from?: number;
  /** Own segments deleted up to here. */
  cleanTo?: number;
  snap?: SnapshotRef & { bytes: number; at: number };
  /** Runs that uploaded segments, and their bytes, since the last snapshot. */
  uploadsSince?: number;
  bytesSince?: number;
  /** What the head on the server says: its `seen` vector, snapshot and first segment. */
  headSeen?: Record<string, number>;
  headSnap?: number;
  headFrom?: number;
  /** The image list version the head on the server names. */
  headImg?: number;
  /** Snapshots replaced by a newer one, deleted once the head names the new one. */
  oldSnaps?: { seq: number; parts: number }[];
  cleanedAt?: number;
}

interface SeenState {
  seq: number;
  /** Segment numbers refused (damaged), retried on every run. */
  refused: number[];
}

const segName = (device: string, seq: number) => `${device}/seg-${String(seq).padStart(8, '0')}.offprint`;
const headName = (device: string) => `${device}/head.offprint`;
const snapName = (device: string, seq: number, part: number) => `${device}/snap-${String(seq).padStart(8, '0')}-${String(part).padStart(4, '0')}.offprint`;
const OWN_KEY = 'sync:own';

export async function runSync(input: SyncRunDeps): Promise<SyncRunResult> {
  const clock = input.clock ?? createClock(input.now);
  const { key, names } = await openFolder(input.dav, input.passphrase);
  const deps: SyncRunDeps = { ...input, imageTag: await folderTag(input.dav, names) };
  const result: SyncRunResult = { at: deps.now(), uploaded: 0, applied: 0, devices: 0, problems: [] };
  result.uploaded = await push(deps, key, clock);
  const heads = await pull(deps, key, clock, result);
  // Images after the changes: the records they belong to are on the server first. The head naming the new list is written by maintain.
  result.images = await pushImages({ db: deps.db, dav: deps.dav, key, names, deviceId: deps.identity.deviceId, enabled: !!deps.images, now: deps.now, limits: deps.imageLimits }, deps.imageTag!);
  await maintain(deps, key, heads, result);
  if (deps.images) result.problems.push(...(await imageProblems(deps.db)));
  return result;
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
  const contentIds = entries.filter((e) => e.t === 'contents').flatMap((e) => (e.alias ? [e.id, e.alias] : [e.id]));
  const contents = new Map((await db.contents.bulkGet(contentIds)).flatMap((c) => (c ? [[c.id, c] as const] : [])));
  // Content that moved to the id its article lives under: its text is there when that id's register is this one.
  const moved = entries.filter((e) => e.t === 'contents' && e.alias && !contents.has(e.id));
  const targets = new Map((await db.syncLog.bulkGet(moved.map((e) => entryKey('contents', e.alias!)))).flatMap((t) => (t ? [[t.id, t] as const] : [])));
  return entries.flatMap((e): WireChange[] => {
    const origin = e.df ? { o: e.df } : {};
    const r: NonNullable<WireChange['r']> = {};
    const content = (contents.get(e.id) ?? (e.alias ? contents.get(e.alias) : undefined)) as Record<string, unknown> | undefined;
    const sameAs = e.alias && !contents.has(e.id) ? targets.get(e.alias) : undefined;
    for (const f of e.pending) {
      const reg = e.regs[f];
      if (!reg || f === DELETED) continue;
      let v: unknown = reg.v;
      if (e.t === 'contents') {
        if (contents.has(e.id)) v = content?.[f];
        else if (reg.v === undefined) v = sameAs && sameAs.regs[f]?.c === reg.c ? content?.[f] : undefined;
        // Text not on this device (sent by whoever has it) is not sent as empty.
        if (v === undefined) continue;
      }
      r[f] = reg.t ? [reg.c, v === undefined ? null : v, 1] : [reg.c, v === undefined ? null : v];
    }
    // A tombstone travels with the record's unsent fields: others learn which post it was.
    if (e.del) return [{ t: e.t, id: e.id, ...(Object.keys(r).length ? { r } : {}), d: e.del, ...origin }];
    return Object.keys(r).length ? [{ t: e.t, id: e.id, r }] : [];
  });
}

/** Cuts entries into files of at most SEGMENT_CHANGES changes and about SEGMENT_CHARS of JSON. */
function batches(entries: SyncEntry[]): SyncEntry[][] {
  const out: SyncEntry[][] = [];
  let batch: SyncEntry[] = [];
  let chars = 0;
  for (const entry of entries) {
    if (batch.length >= SEGMENT_CHANGES || chars >= SEGMENT_CHARS) {
      out.push(batch);
      batch = [];
      chars = 0;
    }
    batch.push(entry);
    chars += entry.t === 'contents' ? 20_000 : 1_000;
  }
  if (batch.length) out.push(batch);
  return out;
}

async function loadOwn(deps: SyncRunDeps): Promise<OwnState> {
  return (await kvGet<OwnState>(deps.db, OWN_KEY)) ?? { seq: 0, folder: deps.dav.folderUrl };
}

async function saveOwn(db: OffprintDB, own: OwnState): Promise<void> {
  await db.kv.put({ key: OWN_KEY, value: own });
}

async function push(deps: SyncRunDeps, key: CryptoKey | undefined, clock: Clock): Promise<number> {
  const { db, dav, identity } = deps;
  await seedMissing(db, clock);
  const dirty = await db.syncLog.where('dirty').equals(1).toArray();
  const own = await loadOwn(deps);
  const head = await dav.get(headName(identity.deviceId));
  if (!head || own.folder !== dav.folderUrl) {
    // A new folder (or one emptied by hand): start this device's files over, with everything.
    await dav.mkcol(identity.deviceId);
    if (!head && own.seq > 0) return republish(deps, key);
    own.folder = dav.folderUrl;
  }
  if (dirty.length === 0) {
    if (!head || own.headSeq !== own.seq) await writeHead(deps, key, own);
    return 0;
  }
  let uploaded = 0;
  // What this device had applied of the others: a tombstone here may refer to anything in it.
  const seen = await seenVector(db);
  for (const batch of batches(dirty)) {
    const changes = await toWire(db, batch);
    const seq = own.seq + 1;
    const file = await encodeFile('seg', identity.deviceId, seq, { changes, seen } satisfies SegmentPayload, key);
    await dav.putAtomic(segName(identity.deviceId, seq), file);
    own.seq = seq;
    own.bytesSince = (own.bytesSince ?? 0) + file.length;
    await saveOwn(db, own);
    await clearPending(db, batch, [identity.deviceId, seq, seen]);
    uploaded += changes.length;
  }
  own.uploadsSince = (own.uploadsSince ?? 0) + 1;
  await writeHead(deps, key, own);
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
  const own: OwnState = { seq: 0, folder: deps.dav.folderUrl };
  // Its image files went with the folder.
  await forgetOwnImages(db);
  await writeHead(deps, key, own);
  return push(deps, key, deps.clock ?? createClock(deps.now));
}

/** How far this device has applied each other device's segments, with no gap (a refused file is a gap). */
async function seenVector(db: OffprintDB): Promise<Record<string, number>> {
  const rows = await db.kv.where('key').between('sync:seen:', 'sync:seen:\uffff').toArray();
  const out: Record<string, number> = {};
  for (const row of rows) {
    const seen = row.value as SeenState;
    out[row.key.slice('sync:seen:'.length)] = seen.refused.length ? Math.min(seen.seq, Math.min(...seen.refused) - 1) : seen.seq;
  }
  return out;
}

async function writeHead(deps: SyncRunDeps, key: CryptoKey | undefined, own: OwnState): Promise<void> {
  const seen = await seenVector(deps.db);
  const snap = own.snap ? { seq: own.snap.seq, parts: own.snap.parts, includes: own.snap.includes } : undefined;
  const img = deps.imageTag ? await ownImageVersion(deps.db, deps.imageTag) : undefined;
  const payload: HeadPayload = { seq: own.seq, name: deps.identity.deviceName, at: deps.now(), from: own.from ?? 1, ...(snap ? { snap } : {}), seen, ...(img ? { img } : {}) };
  await deps.dav.putAtomic(headName(deps.identity.deviceId), await encodeFile('head', deps.identity.deviceId, 0, payload, key));
  own.headSeq = own.seq;
  own.headSeen = seen;
  own.headSnap = own.snap?.seq;
  own.headFrom = own.from ?? 1;
  own.headImg = img;
  await saveOwn(deps.db, own);
}

/** Clears what was uploaded, unless the field changed again meanwhile; a sent tombstone notes the segment it went in. */
async function clearPending(db: OffprintDB, sent: SyncEntry[], segment: TombstoneOrigin): Promise<void> {
  await db.transaction('rw', db.syncLog, async () => {
    const now = await db.syncLog.bulkGet(sent.map((e) => e.key));
    const out: SyncEntry[] = [];
    now.forEach((cur, i) => {
      if (!cur) return;
      const was = sent[i]!;
      const pending = cur.pending.filter((f) => (f === DELETED ? cur.del !== was.del : !was.pending.includes(f) || cur.regs[f]?.c !== was.regs[f]?.c));
      const sentDel = was.pending.includes(DELETED) && cur.del === was.del;
      out.push({ ...cur, pending, dirty: pending.length ? 1 : 0, ...(sentDel ? { df: segment } : {}) });
    });
    await db.syncLog.bulkPut(out);
  });
}

type Problems = SyncRunResult['problems'];

/** Reads a device's snapshot and applies it; false (with a problem said) when a part is missing or damaged. */
async function readSnapshot(deps: SyncRunDeps, key: CryptoKey | undefined, clock: Clock, device: string, head: HeadPayload, result: SyncRunResult): Promise<boolean> {
  const snap = head.snap!;
  for (let part = 0; part < snap.parts; part++) {
    const name = snapName(device, snap.seq, part);
    try {
      const raw = await getFile(deps.dav, name);
      const { payload } = await decodeFile<SegmentPayload>(raw, key, { kind: 'snap', device, seq: snap.seq, part });
      if (!Array.isArray(payload.changes)) throw new SyncFileError('its content is not readable (damaged)', 'corrupt');
      const applied = await applyRemoteChanges(deps.db, payload.changes.filter(isWireChange), clock);
      result.applied += payload.changes.length;
      if (applied.changed.length) await deps.afterApply?.(applied.changed);
    } catch (err) {
      if (!(err instanceof SyncFileError)) throw err;
      result.problems.push(`The snapshot of ${head.name || `device ${device.slice(0, 8)}`} was refused and not used: ${name} (${err.message}). Its changes are read from its other files where they still exist.`);
      return false;
    }
  }
  // Everything it includes counts as seen here: this device's position and what it had of the others.
  const db = deps.db;
  const marks: [string, number][] = [[device, snap.seq], ...Object.entries(snap.includes ?? {}).filter(([d, n]) => d !== deps.identity.deviceId && typeof n === 'number')];
  for (const [d, n] of marks) {
    const k = `sync:seen:${d}`;
    const seen = (await kvGet<SeenState>(db, k)) ?? { seq: 0, refused: [] };
    if (n > seen.seq || seen.refused.some((r) => r <= n)) await db.kv.put({ key: k, value: { seq: Math.max(seen.seq, n), refused: seen.refused.filter((r) => r > n) } });
  }
  return true;
}

async function getFile(dav: DavClient, name: string): Promise<Uint8Array> {
  const raw = await dav.get(name).catch((err: unknown) => {
    // The server sent less than it announced: the file was cut on the server or on the way.
    if (err instanceof DavError && err.problem === 'cut-short') throw new SyncFileError('it is truncated: shorter than the server says', 'truncated');
    throw err;
  });
  if (!raw) throw new SyncFileError('it is missing from the server', 'truncated');
  return raw;
}

/** Every other device's head, read once per run (the readable ones are returned, for compaction). */
interface Heads {
  heads: Map<string, HeadPayload>;
  /** Devices with a folder but no readable head (not finished their first upload, or damaged): tombstones wait for them. */
  unreadable: Set<string>;
}

async function readHeads(deps: SyncRunDeps, key: CryptoKey | undefined, problems: Problems): Promise<Heads> {
  const { db, dav, identity } = deps;
  const entries = await dav.propfind('', 1);
  const devices = entries.filter((e) => e.isFolder && e.path && !e.path.includes('/') && e.path !== identity.deviceId && /^[A-Za-z0-9_-]{4,64}$/.test(e.path)).map((e) => e.path);
  const heads = new Map<string, HeadPayload>();
  const unreadable = new Set<string>();
  for (const device of devices) {
    try {
      const raw = await dav.get(headName(device));
      if (!raw) {
        unreadable.add(device); // A device that has not finished its first upload.
        continue;
      }
      heads.set(device, (await decodeFile<HeadPayload>(raw, key, { kind: 'head', device })).payload);
    } catch (err) {
      if (!(err instanceof SyncFileError)) throw err;
      const label = (await kvGet<string>(db, `sync:name:${device}`)) ?? `device ${device.slice(0, 8)}`;
      unreadable.add(device);
      problems.push(`The sync files of ${label} could not be read: ${headName(device)} (${err.message}). Its changes were not applied.`);
    }
  }
  return { heads, unreadable };
}

async function pull(deps: SyncRunDeps, key: CryptoKey | undefined, clock: Clock, result: SyncRunResult): Promise<Heads> {
  const { db, dav } = deps;
  const read = await readHeads(deps, key, result.problems);
  const { heads } = read;
  // Before any change is applied: images of the articles it brings can be taken from the server at once.
  if (deps.images) await refreshImageIndexes(db, dav, key, heads, read.unreadable, result.problems);
  // The widest snapshot first: a new device then needs the others' files only after what it includes.
  const coverage = (h: HeadPayload) => (h.snap ? h.snap.seq + Object.values(h.snap.includes ?? {}).reduce((a, b) => a + b, 0) : -1);
  const order = [...heads.keys()].sort((a, b) => coverage(heads.get(b)!) - coverage(heads.get(a)!));
  const fresh = new Set<string>();
  for (const device of order) if (!(await db.kv.get(`sync:seen:${device}`))) fresh.add(device);
  for (const device of order) {
    const head = heads.get(device)!;
    result.devices += 1;
    if (typeof head.name === 'string') await db.kv.put({ key: `sync:name:${device}`, value: head.name });
    const seenKey = `sync:seen:${device}`;
    let seen = (await kvGet<SeenState>(db, seenKey)) ?? { seq: 0, refused: [] };
    const from = typeof head.from === 'number' ? head.from : 1;
    // Nothing of it applied here yet, or behind what is still on the server: start from its snapshot.
    // (A device new to the folder reads every device's snapshot: what a snapshot includes of another
    // device may predate a tombstone that was dropped since, its own snapshot cannot.)
    const behind = seen.seq + 1 < from || seen.refused.some((r) => r < from);
    if (head.snap && head.snap.seq > seen.seq && (fresh.has(device) || behind)) {
      if (await readSnapshot(deps, key, clock, device, head, result)) seen = (await kvGet<SeenState>(db, seenKey)) ?? seen;
    }
    const todo = [...seen.refused, ...range(seen.seq + 1, head.seq)];
    const refused: number[] = [];
    for (const seq of todo) {
      const name = segName(device, seq);
      try {
        const raw = await getFile(dav, name).catch((err: unknown) => {
          if (err instanceof SyncFileError && seq < from) throw new SyncFileError('it was compacted into a snapshot, and the snapshot could not be used', 'truncated');
          throw err;
        });
        const { payload } = await decodeFile<SegmentPayload>(raw, key, { kind: 'seg', device, seq });
        if (!Array.isArray(payload.changes)) throw new SyncFileError('its content is not readable (damaged)', 'corrupt');
        const applied = await applyRemoteChanges(db, payload.changes.filter(isWireChange), clock, [device, seq, isVector(payload.seen) ? payload.seen : {}]);
        result.applied += payload.changes.length;
        if (applied.changed.length) await deps.afterApply?.(applied.changed);
      } catch (err) {
        if (!(err instanceof SyncFileError)) {
          await db.kv.put({ key: seenKey, value: { seq: Math.max(seen.seq, ...todo.filter((s) => s < seq && !refused.includes(s)), 0), refused: [...new Set([...refused, ...todo.filter((s) => s >= seq && seen.refused.includes(s))])] } });
          throw err;
        }
        refused.push(seq);
        result.problems.push(`A sync file from ${head.name || `device ${device.slice(0, 8)}`} was refused and not applied: ${name} (${err.message}). Everything else synced.`);
      }
      if (seq > seen.seq) seen.seq = seq;
      await db.kv.put({ key: seenKey, value: { seq: seen.seq, refused: [...refused, ...todo.filter((s) => s > seq && seen.refused.includes(s))] } });
    }
    await db.kv.put({ key: seenKey, value: { seq: seen.seq, refused } });
  }
  return read;
}

/**
 * After a run: a snapshot when enough was written since the last one, own
 * segments every device has read (and the snapshot holds) deleted, tombstones
 * every device's snapshot has dropped, and the head updated if what it says
 * (seen, from, snapshot) changed.
 */
async function maintain(deps: SyncRunDeps, key: CryptoKey | undefined, { heads, unreadable }: Heads, result: SyncRunResult): Promise<void> {
  const { db, dav, identity } = deps;
  const policy = { ...DEFAULT_COMPACTION, ...(deps.compaction ?? {}) };
  const me = identity.deviceId;
  const now = deps.now();
  const own = await loadOwn(deps);
  const live = [...heads.entries()].filter(([, h]) => typeof h.at === 'number' && now - h.at < policy.staleDeviceMs);
  const due =
    own.seq > (own.snap?.seq ?? 0) &&
    (((own.uploadsSince ?? 0) >= policy.snapshotAfterUploads && (own.bytesSince ?? 0) >= Math.max(policy.snapshotMinBytes, (own.snap?.bytes ?? 0) / 2)) ||
      (own.snap !== undefined && now - own.snap.at >= policy.snapshotMaxAgeMs));
  // Only with nothing left to upload: every write made here before the snapshot is then in a segment it covers.
  if (due && (await db.syncLog.where('dirty').equals(1).count()) === 0) {
    const snap = await writeSnapshot(deps, key, own.seq);
    if (own.snap && own.snap.seq !== snap.seq) own.oldSnaps = [...(own.oldSnaps ?? []), { seq: own.snap.seq, parts: own.snap.parts }];
    own.snap = { ...snap, at: now };
    own.uploadsSince = 0;
    own.bytesSince = 0;
    result.snapshot = own.snap.seq;
  }
  // Own segments the snapshot holds and every device (not gone for months) has read.
  const readTo = Math.min(own.snap?.seq ?? 0, ...live.map(([, h]) => (typeof h.seen?.[me] === 'number' ? h.seen[me] : 0)));
  if (readTo + 1 > (own.from ?? 1)) own.from = readTo + 1;
  const vector = await seenVector(db);
  const img = deps.imageTag ? await ownImageVersion(db, deps.imageTag) : undefined;
  if (own.headSnap !== own.snap?.seq || own.headFrom !== (own.from ?? 1) || own.headImg !== img || JSON.stringify(vector) !== JSON.stringify(own.headSeen ?? {})) await writeHead(deps, key, own);
  // Only once the head no longer names them: old snapshot parts, then compacted segments.
  for (const old of own.oldSnaps ?? []) {
    for (let part = 0; part < old.parts; part++) await dav.remove(snapName(me, old.seq, part));
    own.oldSnaps = own.oldSnaps!.filter((o) => o !== old);
    await saveOwn(db, own);
  }
  let removed = 0;
  for (let seq = (own.cleanTo ?? 0) + 1; seq < (own.from ?? 1) && removed < 500; seq++, removed++) {
    await dav.remove(segName(me, seq));
    own.cleanTo = seq;
    if (removed % 20 === 19) await saveOwn(db, own);
  }
  if (removed) result.compacted = removed;
  // Tombstones: once a day, those every snapshot on the server has (or a new device could bring the record back).
  if (now - (own.cleanedAt ?? 0) >= policy.cleanupEveryMs && unreadable.size === 0) {
    // Every device's snapshot has the delete and everything the deleter had seen, and this device has
    // read each device's segments up to its snapshot (all it wrote before it saw the delete): no file
    // this device or a new one may still read holds the record from before the delete.
    const mine = await seenVector(db);
    const snaps: [string, SnapshotRef | undefined][] = [[me, own.snap], ...live.map(([d, h]) => [d, h.snap] as [string, SnapshotRef | undefined])];
    const readAll = snaps.every(([d, snap]) => !!snap && (d === me || (mine[d] ?? 0) >= snap.seq));
    const inEverySnapshot = ([origin, seq, before]: TombstoneOrigin) => {
      const need = Object.entries({ ...(isVector(before) ? before : {}), [origin]: seq });
      return readAll && snaps.every(([d, snap]) => !!snap && need.every(([x, n]) => (x === d ? snap.seq >= n : (snap.includes?.[x] ?? 0) >= n)));
    };
    result.tombstonesDropped = await dropTombstones(db, (e) => !!e.del && !!e.df && !e.pending.includes(DELETED) && parseStamp(e.del).ms <= now - policy.tombstoneMinAgeMs && inEverySnapshot(e.df));
    own.cleanedAt = now;
  }
  await saveOwn(db, own);
}

/** This device's whole state (every register and tombstone it holds) after segment `seq`, in parts. */
async function writeSnapshot(deps: SyncRunDeps, key: CryptoKey | undefined, seq: number): Promise<SnapshotRef & { bytes: number }> {
  const { db, dav, identity } = deps;
  const includes = await seenVector(db);
  let part = 0;
  let bytes = 0;
  let after: string | undefined;
  for (;;) {
    const page = await (after === undefined ? db.syncLog.orderBy('key') : db.syncLog.where('key').above(after)).limit(SEGMENT_CHANGES).toArray();
    if (page.length === 0) break;
    after = page[page.length - 1]!.key;
    const whole = page.map((e) => ({ ...e, pending: e.del ? [...Object.keys(e.regs), DELETED] : Object.keys(e.regs) }));
    for (const batch of batches(whole)) {
      const changes = await toWire(db, batch);
      const file = await encodeFile('snap', identity.deviceId, seq, { changes } satisfies SegmentPayload, key, part);
      await dav.putAtomic(snapName(identity.deviceId, seq, part), file);
      bytes += file.length;
      part += 1;
    }
  }
  return { seq, parts: part, includes, bytes };
}

function isVector(v: unknown): v is Record<string, number> {
  return !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((n) => typeof n === 'number');
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

function isWireChange(c: unknown): c is WireChange {
  const x = c as WireChange;
  return (
    !!x &&
    isSyncedTable(x.t) &&
    typeof x.id === 'string' &&
    (x.r === undefined || typeof x.r === 'object') &&
    (x.d === undefined || typeof x.d === 'string') &&
    (x.o === undefined || (Array.isArray(x.o) && typeof x.o[0] === 'string' && typeof x.o[1] === 'number' && (x.o[2] === undefined || isVector(x.o[2]))))
  );
}
