import type { OffprintDB } from '../db/schema';

/**
 * Sync settings live in this browser's local extension storage only
 * (browser.storage.local): never in storage.sync, never in the library,
 * never on the server. The status of the last run is in the library's kv
 * table, so every view shows it live.
 */
export interface SyncSettings {
  enabled: boolean;
  /** The WebDAV folder URL. */
  url: string;
  user: string;
  /** An app password (Nextcloud: Settings → Security → Devices & sessions). */
  password: string;
  /** Optional: encrypt everything on the server with a key derived from this. */
  passphrase: string;
  /**
   * Upload the images stored here, and take images from the server when
   * their site cannot be reached. Off by default: images take space on the
   * server, and each browser can fetch its own.
   */
  syncImages: boolean;
}

export const EMPTY_SYNC_SETTINGS: SyncSettings = { enabled: false, url: '', user: '', password: '', passphrase: '', syncImages: false };

export interface SyncStatus {
  state: 'off' | 'running' | 'ok' | 'error';
  lastSyncAt?: number;
  lastAttemptAt?: number;
  /** The error that stopped the last run, in plain words. */
  error?: string;
  /** Files refused or devices unreadable during the last run; the rest synced. */
  problems: string[];
  uploaded?: number;
  applied?: number;
  devices?: number;
  /** Images uploaded by the last run. */
  images?: number;
}

export interface LocalArea {
  get(keys: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

const SETTINGS_KEY = 'sync.settings';
const DEVICE_KEY = 'sync.device';
export const STATUS_KEY = 'sync:status';

export async function loadSyncSettings(area: LocalArea): Promise<SyncSettings> {
  const raw = (await area.get(SETTINGS_KEY))[SETTINGS_KEY] as Partial<SyncSettings> | undefined;
  return { ...EMPTY_SYNC_SETTINGS, ...(raw ?? {}) };
}

export async function saveSyncSettings(area: LocalArea, settings: SyncSettings): Promise<void> {
  await area.set({ [SETTINGS_KEY]: settings });
}

/** This browser's device id (its folder name on the server), made once. */
export async function deviceIdOf(area: LocalArea): Promise<string> {
  const raw = (await area.get(DEVICE_KEY))[DEVICE_KEY] as string | undefined;
  if (raw) return raw;
  const id = crypto.randomUUID().replace(/-/g, '').slice(0, 16);
  await area.set({ [DEVICE_KEY]: id });
  return id;
}

export async function loadSyncStatus(db: OffprintDB): Promise<SyncStatus> {
  return ((await db.kv.get(STATUS_KEY))?.value as SyncStatus | undefined) ?? { state: 'off', problems: [] };
}

export async function saveSyncStatus(db: OffprintDB, status: SyncStatus): Promise<void> {
  await db.kv.put({ key: STATUS_KEY, value: status });
}

/** "Chrome on Linux": how other devices name this one in messages. */
export function deviceNameOf(userAgent: string, firefox: boolean): string {
  const os = /Windows/.test(userAgent) ? 'Windows' : /Mac OS X|Macintosh/.test(userAgent) ? 'macOS' : /Android/.test(userAgent) ? 'Android' : /CrOS/.test(userAgent) ? 'ChromeOS' : /Linux/.test(userAgent) ? 'Linux' : 'a computer';
  const name = firefox ? 'Firefox' : /Edg\//.test(userAgent) ? 'Edge' : /Chromium\//.test(userAgent) ? 'Chromium' : 'Chrome';
  return `${name} on ${os}`;
}
