import Dexie from 'dexie';
import type { OffprintDB } from '../db/schema';
import type { CachedImage, OfflineState } from '../db/types';
import { hasPendingCode } from '../gists/gists';
import { setOfflineState, shareImages, storeImage } from '../library/images';
import { markInterrupted, startJob, updateJob } from '../jobs/jobs';
import { DEFAULT_SETTINGS } from '../settings/settings';

/**
 * Offline images: every image an article's stored HTML points at is
 * downloaded once into the `images` table (shared between articles), so the
 * reader can show it from a local Blob with no network.
 */

export interface CacheDeps {
  fetch: typeof fetch;
  /** Download images at all (settings.downloadImages). */
  enabled?: boolean;
  /** Per-article cap on downloaded bytes (settings.imageCapBytes). */
  capBytes?: number;
  now?: () => number;
  /**
   * Image sync (issue 16): the image from the sync server, for when its
   * site cannot be reached (network error, an error answer, no host access).
   * undefined when the server has no (acceptable) copy.
   */
  fromServer?: (url: string) => Promise<Blob | undefined>;
}

export interface CacheResult {
  state: OfflineState;
  /** Images this article needs. */
  total: number;
  /** Images now stored locally for it. */
  stored: number;
  /** Bytes downloaded by this call. */
  bytes: number;
  /** Of the images stored by this call, how many came from the sync server (the rest from their sites). */
  fromServer?: number;
  /** Set when the disk is full: what was stored stays, the rest waits. */
  diskFull?: boolean;
}

/** Raised when IndexedDB is out of space; carries a message for people. */
export class DiskFullError extends Error {
  constructor() {
    super('Your disk is full, so some images could not be kept for offline reading. Everything already saved is safe; free some space and choose "Make all unread offline-ready" again.');
    this.name = 'DiskFullError';
  }
}

export function isQuotaError(err: unknown): boolean {
  if (!(err instanceof Error) && !(typeof err === 'object' && err !== null)) return false;
  const e = err as { name?: string; inner?: unknown };
  return e.name === 'QuotaExceededError' || e.name === Dexie.errnames.QuotaExceeded || (e.inner !== undefined && isQuotaError(e.inner));
}

const IMG_SRC = /<(?:img|source)\b[^>]*?\s(?:src|poster)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
const VIDEO_POSTER = /<video\b[^>]*?\sposter\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;

/**
 * The http(s) image URLs in stored (already sanitized, absolute-URL) HTML,
 * found without a DOM because the Chrome background has none.
 */
export function imageUrls(html: string): string[] {
  const urls = new Set<string>();
  for (const re of [IMG_SRC, VIDEO_POSTER]) {
    for (const m of html.matchAll(re)) {
      const url = decodeEntities((m[1] ?? m[2] ?? m[3] ?? '').trim());
      if (/^https?:\/\//i.test(url)) urls.add(url);
    }
  }
  return [...urls];
}

function decodeEntities(s: string): string {
  return s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

const PARALLEL = 4;
const TIMEOUT_MS = 30_000;

/**
 * Downloads the article's missing images into `images` and sets its
 * `offline` state: ready when every image is local, partial otherwise.
 * Never throws for a bad image; a full disk stops downloading, keeps what
 * is stored, and is reported in the result.
 */
export async function cacheArticleImages(db: OffprintDB, articleId: string, deps: CacheDeps): Promise<CacheResult> {
  const enabled = deps.enabled ?? DEFAULT_SETTINGS.downloadImages;
  const cap = deps.capBytes ?? DEFAULT_SETTINGS.imageCapBytes;
  const now = deps.now ?? Date.now;
  const content = await db.contents.get(articleId);
  if (!content) return { state: 'pending', total: 0, stored: 0, bytes: 0 };
  const urls = imageUrls(content.html);
  const known = await db.images.bulkGet(urls);
  // Already stored for another article: just record that this one uses it too.
  const shared = known.filter((img): img is CachedImage => !!img && !img.articleIds.includes(articleId));
  await shareImages(db, articleId, shared);
  const missing = urls.filter((_, i) => !known[i]);
  let stored = urls.length - missing.length;
  let bytes = 0;
  let fromServer = 0;
  let diskFull = false;
  if (enabled && missing.length) {
    const queue = [...missing];
    const worker = async () => {
      for (let url = queue.shift(); url !== undefined && !diskFull; url = queue.shift()) {
        let blob = await download(deps.fetch, url);
        const server = !blob && deps.fromServer ? await deps.fromServer(url).catch(() => undefined) : undefined;
        blob ??= server;
        if (!blob || bytes + blob.size > cap) continue;
        try {
          await storeImage(db, articleId, url, blob, now());
          bytes += blob.size;
          stored += 1;
          if (server) fromServer += 1;
        } catch (err) {
          if (isQuotaError(err)) diskFull = true;
          else throw err;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, missing.length) }, worker));
  }
  // Embedded code still to fetch (issue 15) keeps an article from being offline-ready.
  const codeMissing = hasPendingCode(content.html);
  const state: OfflineState = stored === urls.length && !codeMissing ? 'ready' : enabled || stored > 0 || codeMissing ? 'partial' : 'pending';
  try {
    await setOfflineState(db, articleId, state);
  } catch (err) {
    if (!isQuotaError(err)) throw err;
    diskFull = true;
  }
  return { state, total: urls.length, stored, bytes, ...(fromServer ? { fromServer } : {}), ...(diskFull ? { diskFull } : {}) };
}

async function download(fetchFn: typeof fetch, url: string): Promise<Blob | undefined> {
  try {
    const signal = typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(TIMEOUT_MS) : undefined;
    const res = await fetchFn(url, { credentials: 'omit', signal });
    if (!res.ok) return undefined;
    const blob = await res.blob();
    const type = blob.type || res.headers.get('content-type') || '';
    if (!type.startsWith('image/') || blob.size === 0) return undefined;
    return blob.type ? blob : new Blob([blob], { type });
  } catch {
    return undefined;
  }
}

export interface OfflineProgress {
  running: boolean;
  done: number;
  total: number;
  /** Articles that still miss images afterwards. */
  incomplete: number;
  error?: string;
  /** The run stopped before it finished (the background was stopped); retrying resumes it. */
  interrupted?: boolean;
}

export const PROGRESS_KEY = 'offline:progress';

/**
 * "Make all unread offline-ready": caches whatever is missing for every
 * unread article not yet ready, reporting progress after each one (the
 * background stores it in kv so any open popup can show it).
 */
export async function makeUnreadOfflineReady(
  db: OffprintDB,
  deps: CacheDeps,
  onProgress: (p: OfflineProgress) => unknown = () => undefined,
): Promise<OfflineProgress> {
  const ids = await db.articles
    .where('offline')
    .anyOf('pending', 'partial')
    .filter((a) => a.isRead === 0 && a.box !== 'trash')
    .primaryKeys();
  const progress: OfflineProgress = { running: true, done: 0, total: ids.length, incomplete: 0 };
  await onProgress({ ...progress });
  for (const id of ids) {
    const result = await cacheArticleImages(db, id, { ...deps, enabled: true });
    progress.done += 1;
    if (result.state !== 'ready') progress.incomplete += 1;
    if (result.diskFull) {
      progress.error = new DiskFullError().message;
      break;
    }
    await onProgress({ ...progress });
  }
  progress.running = false;
  await onProgress({ ...progress });
  return progress;
}

/** Caches images for freshly stored articles, one after another (background, after storeArticles). */
export async function cacheImagesFor(db: OffprintDB, ids: string[], deps: CacheDeps): Promise<CacheResult[]> {
  const results: CacheResult[] = [];
  for (const id of ids) {
    const result = await cacheArticleImages(db, id, deps);
    results.push(result);
    if (result.diskFull) break;
  }
  return results;
}

/** Leaves the disk-full message where the popup shows offline progress, so people see it. */
export async function diskFullNotice(db: OffprintDB): Promise<void> {
  const value: OfflineProgress = { running: false, done: 0, total: 0, incomplete: 0, error: new DiskFullError().message };
  await db.kv.put({ key: PROGRESS_KEY, value }).catch(() => undefined);
}

/**
 * “Make all unread offline-ready” as a persisted job: its stage and counts
 * are recorded as it goes, so a run the browser stops half way is shown as
 * interrupted, with Retry, instead of “running” forever.
 */
export async function runOfflineJob(
  db: OffprintDB,
  deps: CacheDeps,
  job: { owner: string; now: () => number; newId: () => string },
  onProgress: (p: OfflineProgress) => unknown,
): Promise<OfflineProgress> {
  const record = await startJob(db, { kind: 'offline', label: 'Make all unread offline-ready', owner: job.owner, stage: 'downloading images' }, job);
  try {
    const result = await makeUnreadOfflineReady(db, deps, async (p) => {
      await onProgress(p);
      await updateJob(db, record.id, { done: p.done, total: p.total, stage: 'downloading images' }, job.now());
    });
    await updateJob(db, record.id, { status: result.error ? 'failed' : 'done', error: result.error, done: result.done, total: result.total }, job.now());
    return result;
  } catch (err) {
    await updateJob(db, record.id, { status: 'failed', error: err instanceof Error ? err.message : String(err) }, job.now());
    throw err;
  }
}

/** At background start: a run the previous background left “running” was interrupted. */
export async function recoverOfflineRun(db: OffprintDB, owner: string, now: number): Promise<boolean> {
  const gone = await markInterrupted(db, 'offline', { alive: owner, now, staleMs: 0 });
  const progress = (await db.kv.get(PROGRESS_KEY))?.value as OfflineProgress | undefined;
  if (!progress?.running) return gone.length > 0;
  await db.kv.put({ key: PROGRESS_KEY, value: { ...progress, running: false, interrupted: true } });
  return true;
}
