import { storage } from 'wxt/utils/storage';

export type Theme = 'system' | 'light' | 'dark' | 'sepia';
export type FontFamily = 'serif' | 'sans' | 'system';

export interface Settings {
  /** Minutes between feed polls, 15 to 1440. */
  pollMinutes: number;
  notifyNewPosts: boolean;
  /** Hide Medium author replies (feed items without categories). */
  hideReplies: boolean;
  /** Download each article's images for offline reading. */
  downloadImages: boolean;
  /** Per-article cap on downloaded image bytes. */
  imageCapBytes: number;
  theme: Theme;
  fontSize: number;
  /** Line width in characters. */
  lineWidth: number;
  fontFamily: FontFamily;
  /** Listen (issue 14): speech rate 0.5–3, voice name ('' = the system's default), skip code blocks. */
  listenRate: number;
  listenVoice: string;
  listenSkipCode: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  pollMinutes: 30,
  notifyNewPosts: false,
  hideReplies: true,
  downloadImages: true,
  imageCapBytes: 20 * 1024 * 1024,
  theme: 'system',
  fontSize: 19,
  lineWidth: 68,
  fontFamily: 'serif',
  listenRate: 1,
  listenVoice: '',
  listenSkipCode: true,
};

const THEMES: Theme[] = ['system', 'light', 'dark', 'sepia'];
const FONTS: FontFamily[] = ['serif', 'sans', 'system'];

function clamp(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;
}

function oneOf<T>(value: unknown, allowed: T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

/** Turns anything stored or imported into valid settings, keeping what is valid. */
export function normalizeSettings(raw: unknown): Settings {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<Record<keyof Settings, unknown>>;
  const d = DEFAULT_SETTINGS;
  return {
    pollMinutes: clamp(r.pollMinutes, 15, 1440, d.pollMinutes),
    notifyNewPosts: typeof r.notifyNewPosts === 'boolean' ? r.notifyNewPosts : d.notifyNewPosts,
    hideReplies: typeof r.hideReplies === 'boolean' ? r.hideReplies : d.hideReplies,
    downloadImages: typeof r.downloadImages === 'boolean' ? r.downloadImages : d.downloadImages,
    imageCapBytes: clamp(r.imageCapBytes, 1024 * 1024, 500 * 1024 * 1024, d.imageCapBytes),
    theme: oneOf(r.theme, THEMES, d.theme),
    fontSize: clamp(r.fontSize, 12, 32, d.fontSize),
    lineWidth: clamp(r.lineWidth, 40, 120, d.lineWidth),
    fontFamily: oneOf(r.fontFamily, FONTS, d.fontFamily),
    listenRate: typeof r.listenRate === 'number' && Number.isFinite(r.listenRate) ? Math.min(3, Math.max(0.5, Math.round(r.listenRate * 20) / 20)) : d.listenRate,
    listenVoice: typeof r.listenVoice === 'string' ? r.listenVoice.slice(0, 200) : d.listenVoice,
    listenSkipCode: typeof r.listenSkipCode === 'boolean' ? r.listenSkipCode : d.listenSkipCode,
  };
}

/**
 * The settings item. Bump `version` and add a migration when a stored field
 * changes meaning; new fields only need a default above.
 */
export const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 1,
});

export async function loadSettings(): Promise<Settings> {
  return normalizeSettings(await settingsItem.getValue());
}

export async function saveSettings(patch: Partial<Settings>): Promise<Settings> {
  const next = normalizeSettings({ ...(await loadSettings()), ...patch });
  await settingsItem.setValue(next);
  return next;
}
