import { liveQuery } from 'dexie';
import type { OffprintDB } from '../db/schema';
import { createFolder, testConnection, type ConnectionReport } from './connection';
import { runSync } from './engine';
import { createServerImageSource, imageProblems } from './images';
import { createClock } from './hlc';
import { deviceIdOf, loadSyncSettings, loadSyncStatus, saveSyncStatus, type LocalArea, type SyncSettings, type SyncStatus } from './settings';
import { createDavClient, DavError } from './webdav';

export const SYNC_ALARM = 'sync:run';
export const SYNC_ALARM_MINUTES = 15;
/** After a change, wait this long for more before syncing (edits come in bursts). */
export const SYNC_DEBOUNCE_MS = 5_000;

export interface SyncServiceDeps {
  db: OffprintDB;
  area: LocalArea;
  fetch: (input: string, init?: RequestInit) => Promise<Response>;
  now: () => number;
  deviceName: string;
  afterApply?: (ids: string[]) => void | Promise<void>;
}

/**
 * The background's sync: one run at a time (requests during a run coalesce
 * into one more run), debounced after local changes, and on the alarm.
 */
export function createSyncService(deps: SyncServiceDeps) {
  const clock = createClock(deps.now);
  let running: Promise<SyncStatus> | undefined;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const once = async (): Promise<SyncStatus> => {
    const settings = await loadSyncSettings(deps.area);
    const previous = await loadSyncStatus(deps.db);
    if (!settings.enabled || !settings.url) {
      const off: SyncStatus = { ...previous, state: 'off', problems: [] };
      await saveSyncStatus(deps.db, off);
      return off;
    }
    const startedAt = deps.now();
    await saveSyncStatus(deps.db, { ...previous, state: 'running', lastAttemptAt: startedAt });
    const dav = createDavClient(settings, deps.fetch);
    let status: SyncStatus;
    try {
      const result = await runSync({
        db: deps.db,
        dav,
        identity: { deviceId: await deviceIdOf(deps.area), deviceName: deps.deviceName },
        passphrase: settings.passphrase || undefined,
        now: deps.now,
        clock,
        afterApply: deps.afterApply,
        images: settings.syncImages,
      });
      // Image files refused while this run went on (by the image fetcher) are shown too.
      const problems = [...new Set([...result.problems, ...(settings.syncImages ? await imageProblems(deps.db) : [])])];
      status = { state: 'ok', lastSyncAt: deps.now(), lastAttemptAt: startedAt, problems, uploaded: result.uploaded, applied: result.applied, devices: result.devices, ...(result.images?.uploaded ? { images: result.images.uploaded } : {}) };
      // More images than one run uploads: the next run follows soon, not at the alarm.
      if (result.images?.left) requestSoon();
    } catch (err) {
      const message = err instanceof DavError ? err.message : `Sync failed: ${err instanceof Error ? err.message : String(err)}`;
      status = { ...previous, state: 'error', lastAttemptAt: startedAt, error: message, problems: previous.problems ?? [] };
    }
    await saveSyncStatus(deps.db, status);
    return status;
  };

  const run = (): Promise<SyncStatus> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let status: SyncStatus;
      do {
        again = false;
        status = await once();
      } while (again);
      return status;
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  const requestSoon = (delay = SYNC_DEBOUNCE_MS) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void run();
    }, delay);
  };

  return {
    run,
    requestSoon,
    /** The server fallback for the image fetcher, when image sync is on here (a new one per batch of articles). */
    serverImages: async (): Promise<((url: string) => Promise<Blob | undefined>) | undefined> => {
      const settings = await loadSyncSettings(deps.area);
      if (!settings.enabled || !settings.url || !settings.syncImages) return undefined;
      return createServerImageSource({ db: deps.db, dav: createDavClient(settings, deps.fetch), passphrase: settings.passphrase || undefined, deviceId: await deviceIdOf(deps.area) });
    },
    /** Images were downloaded from their sites: with image sync on, they go up at a run soon. */
    imagesStored: async (): Promise<void> => {
      const settings = await loadSyncSettings(deps.area);
      if (settings.enabled && settings.url && settings.syncImages) requestSoon();
    },
    test: (settings: SyncSettings): Promise<ConnectionReport> => testConnection(createDavClient(settings, deps.fetch)),
    createFolder: (settings: SyncSettings): Promise<ConnectionReport> => createFolder(createDavClient(settings, deps.fetch)),
  };
}

/**
 * Calls onChange when this device changed something that syncs (in any
 * context: Dexie broadcasts writes between them), not for remote applies.
 */
export function watchLocalChanges(db: OffprintDB, onChange: () => void): () => void {
  let first = true;
  const sub = liveQuery(() => Promise.all([db.articles.count(), db.contents.count(), db.feeds.count(), db.highlights.count(), db.articleNotes.count()])).subscribe({
    next: () => {
      if (first) {
        first = false;
        return;
      }
      void db.syncLog
        .where('dirty')
        .equals(1)
        .count()
        .then((n) => {
          if (n > 0) onChange();
        });
    },
    error: () => undefined,
  });
  return () => sub.unsubscribe();
}
