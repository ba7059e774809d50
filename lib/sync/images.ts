import type { OffprintDB } from '../db/schema';
import { imageNameOf } from './crypto';
import { openFolder, type FolderKeys } from './folder';
import { decodeFile, decodeImageFile, encodeFile, encodeImageFile, SyncFileError } from './format';
import { DavError, type DavClient } from './webdav';
import type { HeadPayload } from './wire';

/**
 * Image sync (optional, Options → Sync): each device uploads the images it
 * has stored as files under its own folder, `<device>/img/<name>.offprint`,
 * and lists them in `<device>/images.offprint`; its head names that list's
 * version, so others re-read a list only when it changed. A device that
 * cannot reach an image's site takes the image from whichever device's list
 * has it. See lib/sync/README.md ("Images").
 */

/** What one run uploads and deletes at most (the next run goes on). */
export interface ImageLimits {
  files: number;
  bytes: number;
  removals: number;
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = { files: 200, bytes: 32 * 1024 * 1024, removals: 500 };

/** This device's image files on the server (kv `sync:img:own`). */
interface OwnImages {
  /** The folder (and its encryption salt) the state is for: another one starts over. */
  folder: string;
  /** The version of the list on the server (0: none written yet). */
  v: number;
  /** Image files of this device on the server: name → bytes. */
  files: Record<string, number>;
  /** The list on the server is behind `files`. */
  stale?: boolean;
  /** Files out of the list, deleted once the list without them is on the server. */
  remove?: string[];
  /** `<device>/img/` exists. */
  dir?: boolean;
}

/** Another device's list as last read here (kv `sync:img:dev:<device>`). */
interface RemoteImages {
  v: number;
  files: Record<string, number>;
}

export interface ImageIndexPayload {
  files: Record<string, number>;
}

const OWN_KEY = 'sync:img:own';
/** Local image URL → its file name, computed once (kv `sync:img:names`, written once per run at most). */
const NAMES_KEY = 'sync:img:names';
/** The state is saved after this many uploads (a stopped run uploads at most these again). */
const SAVE_EVERY = 20;
const REMOTE_PREFIX = 'sync:img:dev:';
/** Refused image files: name → the message shown in the sync status until the image is stored or gone. */
const PROBLEMS_KEY = 'sync:img:problems';

export const imageFileName = (device: string, name: string) => `${device}/img/${name}.offprint`;
export const imageIndexName = (device: string) => `${device}/images.offprint`;

/** Identifies the folder and key the names were made with (the names change with the passphrase). */
export async function folderTag(dav: DavClient, names: CryptoKey | undefined): Promise<string> {
  return `${dav.folderUrl}#${names ? await imageNameOf('offprint:tag', names) : 'plain'}`;
}

async function kvGet<T>(db: OffprintDB, key: string): Promise<T | undefined> {
  return (await db.kv.get(key))?.value as T | undefined;
}

async function loadOwn(db: OffprintDB, tag: string): Promise<OwnImages> {
  const own = await kvGet<OwnImages>(db, OWN_KEY);
  return own && own.folder === tag ? own : { folder: tag, v: 0, files: {} };
}

/** The version of this device's list on the server, for its head (undefined: none). */
export async function ownImageVersion(db: OffprintDB, tag: string): Promise<number | undefined> {
  const own = await kvGet<OwnImages>(db, OWN_KEY);
  return own && own.folder === tag && own.v > 0 ? own.v : undefined;
}

/** Forgets what this device had on the server (its folder vanished: everything goes up again). */
export async function forgetOwnImages(db: OffprintDB): Promise<void> {
  await db.kv.bulkDelete([OWN_KEY, NAMES_KEY]);
}

function isIndex(v: unknown): v is ImageIndexPayload {
  const files = (v as ImageIndexPayload | undefined)?.files;
  return !!files && typeof files === 'object' && !Array.isArray(files) && Object.values(files).every((n) => typeof n === 'number');
}

/**
 * Re-reads the lists of devices whose head names a new version (one GET
 * each; nothing when no list changed) and forgets those of devices gone
 * from the folder. A damaged list is refused with a message; the last one
 * read stays in use.
 */
export async function refreshImageIndexes(db: OffprintDB, dav: DavClient, key: CryptoKey | undefined, heads: Map<string, HeadPayload>, keep: Set<string>, problems: string[]): Promise<number> {
  let read = 0;
  const cached = await db.kv.where('key').between(REMOTE_PREFIX, `${REMOTE_PREFIX}\uffff`).toArray();
  for (const row of cached) {
    const device = row.key.slice(REMOTE_PREFIX.length);
    if (!heads.has(device) && !keep.has(device)) await db.kv.delete(row.key);
  }
  for (const [device, head] of heads) {
    const k = `${REMOTE_PREFIX}${device}`;
    const have = await kvGet<RemoteImages>(db, k);
    const v = typeof head.img === 'number' ? head.img : undefined;
    if (v === undefined) {
      if (have) await db.kv.delete(k);
      continue;
    }
    if (have?.v === v) continue;
    const name = imageIndexName(device);
    try {
      const raw = await dav.get(name).catch((err: unknown) => {
        if (err instanceof DavError && err.problem === 'cut-short') throw new SyncFileError('it is truncated: shorter than the server says', 'truncated');
        throw err;
      });
      if (!raw) throw new SyncFileError('it is missing from the server', 'truncated');
      const { payload } = await decodeFile<ImageIndexPayload>(raw, key, { kind: 'imgs', device, seq: v });
      if (!isIndex(payload)) throw new SyncFileError('its content is not readable (damaged)', 'corrupt');
      await db.kv.put({ key: k, value: { v, files: payload.files } satisfies RemoteImages });
      read += 1;
    } catch (err) {
      if (!(err instanceof SyncFileError)) throw err;
      problems.push(`The image list of ${head.name || `device ${device.slice(0, 8)}`} was refused and not used: ${name} (${err.message}). Its images are fetched from their sites.`);
    }
  }
  return read;
}

/** Every other device's list, as last read here: name → the device whose file it is. */
async function remoteOwners(db: OffprintDB): Promise<Map<string, string>> {
  const rows = await db.kv.where('key').between(REMOTE_PREFIX, `${REMOTE_PREFIX}\uffff`).toArray();
  const out = new Map<string, string>();
  for (const row of rows) for (const name of Object.keys((row.value as RemoteImages).files)) if (!out.has(name)) out.set(name, row.key.slice(REMOTE_PREFIX.length));
  return out;
}

export interface ImagePushResult {
  uploaded: number;
  bytes: number;
  removed: number;
  /** Images still to upload after this run (the limits stopped it). */
  left: number;
  /** The list was rewritten: the head must name the new version. */
  published: boolean;
}

/**
 * Uploads this device's stored images no list on the server has yet (within
 * the limits; what is done is saved every 20 files, so a stopped run
 * resumes), deletes its own files of images no longer here (their articles
 * were purged) or all of them when image sync is off, then writes its list:
 * files first, then the list naming them, then the head (by the caller).
 * Files leave the list before they are deleted.
 */
export async function pushImages(
  ctx: { db: OffprintDB; dav: DavClient; key?: CryptoKey; names?: CryptoKey; deviceId: string; enabled: boolean; now: () => number; limits?: Partial<ImageLimits> },
  tag: string,
): Promise<ImagePushResult> {
  const { db, dav, deviceId } = ctx;
  const limits = { ...DEFAULT_IMAGE_LIMITS, ...(ctx.limits ?? {}) };
  const result: ImagePushResult = { uploaded: 0, bytes: 0, removed: 0, left: 0, published: false };
  const stored = await kvGet<OwnImages>(db, OWN_KEY);
  if (!ctx.enabled && (!stored || stored.folder !== tag)) return result;
  const own = await loadOwn(db, tag);
  const save = () => db.kv.put({ key: OWN_KEY, value: own });
  const urls = ctx.enabled ? ((await db.images.toCollection().primaryKeys()) as string[]) : [];
  const cache = await kvGet<{ tag: string; names: Record<string, string> }>(db, NAMES_KEY);
  const known = cache?.tag === tag ? cache.names : {};
  const names: Record<string, string> = {};
  for (const url of urls) names[url] = known[url] ?? (await imageNameOf(url, ctx.names));
  if (urls.length !== Object.keys(known).length || urls.some((u) => !(u in known))) await db.kv.put({ key: NAMES_KEY, value: { tag, names } });
  const wanted = new Set(Object.values(names));
  // Another device's file serves everyone: no second copy.
  const others = ctx.enabled ? await remoteOwners(db) : new Map<string, string>();
  const todo = urls.filter((u) => !(names[u]! in own.files) && !others.has(names[u]!));
  for (const url of todo) {
    if (result.uploaded >= limits.files || (result.uploaded > 0 && result.bytes >= limits.bytes)) {
      result.left += 1;
      continue;
    }
    const image = await db.images.get(url);
    if (!image) continue;
    const name = names[url]!;
    if (name in own.files) continue; // Two URLs never share a name; a second entry of one is no new file.
    if (!own.dir) {
      await dav.mkcol(`${deviceId}/img`);
      own.dir = true;
    }
    const bytes = new Uint8Array(await image.blob.arrayBuffer());
    await dav.putAtomic(imageFileName(deviceId, name), await encodeImageFile(deviceId, name, { url, type: image.type || image.blob.type }, bytes, ctx.key));
    own.files[name] = bytes.length;
    own.stale = true;
    result.uploaded += 1;
    result.bytes += bytes.length;
    if (result.uploaded % SAVE_EVERY === 0) await save();
  }
  // Own files of images gone from here (or all, image sync off): out of the list, then deleted.
  const unwanted = Object.keys(own.files).filter((n) => !wanted.has(n));
  for (const name of unwanted.slice(0, limits.removals)) {
    delete own.files[name];
    own.remove = [...(own.remove ?? []), name];
    own.stale = true;
  }
  if (own.stale) {
    const v = Math.max(own.v + 1, ctx.now());
    await dav.putAtomic(imageIndexName(deviceId), await encodeFile('imgs', deviceId, v, { files: own.files } satisfies ImageIndexPayload, ctx.key));
    own.v = v;
    own.stale = false;
    result.published = true;
    await save();
  }
  // Already out of the list that is saved: a stopped run deletes them again (a missing one is fine).
  if (own.remove?.length) {
    for (const name of own.remove) {
      await dav.remove(imageFileName(deviceId, name));
      result.removed += 1;
    }
    own.remove = [];
    await save();
  }
  // Problems of images now stored here, or that no list has any more, are over.
  const problems = (await kvGet<Record<string, string>>(db, PROBLEMS_KEY)) ?? {};
  const over = Object.keys(problems).filter((n) => !ctx.enabled || wanted.has(n) || !others.has(n));
  if (over.length) {
    for (const n of over) delete problems[n];
    await db.kv.put({ key: PROBLEMS_KEY, value: problems });
  }
  return result;
}

/** Messages of image files refused since (shown with the run's problems). */
export async function imageProblems(db: OffprintDB): Promise<string[]> {
  return Object.values((await kvGet<Record<string, string>>(db, PROBLEMS_KEY)) ?? {});
}

async function setProblem(db: OffprintDB, name: string, message: string | undefined): Promise<void> {
  await db.transaction('rw', db.kv, async () => {
    const problems = (await kvGet<Record<string, string>>(db, PROBLEMS_KEY)) ?? {};
    if (message === undefined && !(name in problems)) return;
    if (message === undefined) delete problems[name];
    else problems[name] = message;
    await db.kv.put({ key: PROBLEMS_KEY, value: problems });
    // The sync status shows it at once, not only after the next run.
    const status = (await db.kv.get('sync:status'))?.value as { problems?: string[] } | undefined;
    if (status && message !== undefined && !status.problems?.includes(message)) await db.kv.put({ key: 'sync:status', value: { ...status, problems: [...(status.problems ?? []), message] } });
  });
}

/**
 * The fallback for lib/offline/images.ts: an image from the server when its
 * site cannot be reached. undefined when no device's list has it, the server
 * cannot be reached, or its file is refused (then with a message in the sync
 * status; a refused file is never stored). Opens the folder once, lazily.
 */
export function createServerImageSource(deps: { db: OffprintDB; dav: DavClient; passphrase?: string; deviceId: string }): (url: string) => Promise<Blob | undefined> {
  let opened: Promise<{ keys: FolderKeys; owners: Map<string, string> } | undefined> | undefined;
  const open = () =>
    (opened ??= (async () => {
      try {
        const keys = await openFolder(deps.dav, deps.passphrase, false);
        const owners = await remoteOwners(deps.db);
        const tag = await folderTag(deps.dav, keys.names);
        const own = await kvGet<OwnImages>(deps.db, OWN_KEY);
        if (own?.folder === tag) for (const name of Object.keys(own.files)) owners.set(name, deps.deviceId);
        return { keys, owners };
      } catch {
        return undefined; // Server away or settings wrong: the sync status says so at the next run.
      }
    })());
  return async (url) => {
    const folder = await open();
    if (!folder || folder.owners.size === 0) return undefined;
    const name = await imageNameOf(url, folder.keys.names);
    const device = folder.owners.get(name);
    if (!device) return undefined;
    const path = imageFileName(device, name);
    try {
      let raw: Uint8Array | undefined;
      try {
        raw = await deps.dav.get(path);
      } catch (err) {
        if (!(err instanceof DavError)) throw err;
        // The server sent less than it announced: cut on the server or on the way.
        if (err.problem === 'cut-short') throw new SyncFileError('it is truncated: shorter than the server says', 'truncated');
        return undefined; // Server away: the site and the server are both unreachable now.
      }
      if (!raw) return undefined; // Deleted since its list was read: not there, nothing wrong.
      const { meta, bytes } = await decodeImageFile(raw, folder.keys.key, { device, name });
      if (meta.url !== url) throw new SyncFileError('it holds another image (moved or replaced by hand)', 'corrupt');
      if (!meta.type.startsWith('image/') || bytes.length === 0) throw new SyncFileError('it holds no image', 'corrupt');
      await setProblem(deps.db, name, undefined);
      return new Blob([bytes as BlobPart], { type: meta.type });
    } catch (err) {
      if (!(err instanceof SyncFileError)) throw err;
      const label = (await kvGet<string>(deps.db, `sync:name:${device}`)) ?? (device === deps.deviceId ? 'this browser' : `device ${device.slice(0, 8)}`);
      await setProblem(deps.db, name, `An image file from ${label} was refused and not used: ${path} (${err.message}). The image is fetched from its site when it can be reached.`);
      return undefined;
    }
  };
}
