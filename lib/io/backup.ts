import type { OffprintDB } from '../db/schema';
import type { Article, CachedImage, Feed, Highlight } from '../db/types';
import { extraBackupTables } from '../library/tables';
import { ImportError } from './errors';

export const BACKUP_FORMAT = 'offprint-backup';
export const BACKUP_VERSION = 1;

export type BackupArticle = Article & { html: string; text: string };
export interface BackupImage extends Omit<CachedImage, 'blob'> {
  /** The image bytes, base64. */
  data: string;
}

/** One versioned JSON file holding the whole library. */
export interface Backup {
  format: typeof BACKUP_FORMAT;
  version: number;
  exportedAt: number;
  settings?: unknown;
  feeds: Feed[];
  articles: BackupArticle[];
  images?: BackupImage[];
  /** Rows of the other per-article tables (lib/library/tables.ts), by table name. */
  records?: Record<string, unknown[]>;
}

/** Every article in every box (Trash too: it is still the user's), with its content. */
export async function createBackup(db: OffprintDB, opts: { includeImages: boolean; settings?: unknown; now?: number }): Promise<Backup> {
  const { articles, contents, feeds, images } = await db.transaction('r', db.articles, db.contents, db.feeds, db.images, async () => ({
    articles: await db.articles.orderBy('id').toArray(),
    contents: await db.contents.toArray(),
    feeds: await db.feeds.orderBy('id').toArray(),
    images: opts.includeImages ? await db.images.orderBy('url').toArray() : [],
  }));
  const extra = extraBackupTables(db);
  const records: Record<string, unknown[]> = {};
  for (const table of extra) records[table.name] = await table.toArray();
  const byId = new Map(contents.map((c) => [c.id, c]));
  const backup: Backup = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    exportedAt: opts.now ?? Date.now(),
    settings: opts.settings,
    feeds,
    articles: articles.map((a) => ({ ...a, html: byId.get(a.id)?.html ?? '', text: byId.get(a.id)?.text ?? '' })),
    ...(extra.length ? { records } : {}),
  };
  if (opts.includeImages) {
    backup.images = [];
    for (const { blob, ...rest } of images) {
      backup.images.push({ ...rest, data: bytesToBase64(new Uint8Array(await blob.arrayBuffer())) });
    }
  }
  return backup;
}

export function serializeBackup(backup: Backup): string {
  return JSON.stringify(backup);
}

export function looksLikeBackup(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { format?: unknown }).format === BACKUP_FORMAT;
}

const BOXES = new Set(['inbox', 'saved', 'archive', 'trash']);
const SOURCES = new Set(['feed', 'clip', 'import']);

/**
 * Checks a parsed backup completely before anything is written, so a
 * damaged file is refused whole with a message naming what is wrong.
 */
export function validateBackup(raw: unknown): Backup {
  if (!looksLikeBackup(raw)) throw new ImportError('This JSON file is not an Offprint backup.');
  const b = raw as Partial<Backup>;
  if (typeof b.version !== 'number') throw new ImportError('This backup has no version number.');
  if (b.version > BACKUP_VERSION) throw new ImportError(`This backup was made by a newer Offprint (backup version ${b.version}); update Offprint to restore it.`);
  if (!Array.isArray(b.articles)) throw new ImportError('This backup has no article list.');
  if (b.feeds !== undefined && !Array.isArray(b.feeds)) throw new ImportError('This backup’s feed list is damaged.');
  b.articles.forEach((a, i) => {
    const where = `Article ${i + 1} in this backup`;
    if (typeof a !== 'object' || a === null) throw new ImportError(`${where} is not an object.`);
    for (const key of ['id', 'url', 'title', 'html', 'text'] as const) {
      if (typeof a[key] !== 'string') throw new ImportError(`${where} has no ${key}.`);
    }
    if (!Array.isArray(a.tags) || a.tags.some((t) => typeof t !== 'string')) throw new ImportError(`${where} (“${a.title}”) has damaged tags.`);
    if (!BOXES.has(a.box) || !SOURCES.has(a.source)) throw new ImportError(`${where} (“${a.title}”) has an unknown box or source.`);
    if (typeof a.savedAt !== 'number' || typeof a.sortAt !== 'number') throw new ImportError(`${where} (“${a.title}”) has no saved date.`);
  });
  (b.feeds ?? []).forEach((f, i) => {
    if (typeof f?.id !== 'string' || typeof f.url !== 'string' || typeof f.title !== 'string') throw new ImportError(`Feed ${i + 1} in this backup is damaged.`);
  });
  (b.images ?? []).forEach((img, i) => {
    if (typeof img?.url !== 'string' || typeof img.data !== 'string' || !Array.isArray(img.articleIds)) throw new ImportError(`Image ${i + 1} in this backup is damaged.`);
  });
  if (b.records !== undefined && (typeof b.records !== 'object' || b.records === null || Object.values(b.records).some((rows) => !Array.isArray(rows)))) {
    throw new ImportError('This backup’s extra records are damaged.');
  }
  // Highlights (issue 13) are checked row by row: a damaged one would break anchoring later.
  (((b.records as Record<string, unknown[]> | undefined)?.highlights ?? []) as Partial<Highlight>[]).forEach((h, i) => {
    if (typeof h?.id !== 'string' || typeof h.articleId !== 'string' || typeof h.quote?.exact !== 'string' || typeof h.position?.start !== 'number') {
      throw new ImportError(`Highlight ${i + 1} in this backup is damaged.`);
    }
  });
  return { format: BACKUP_FORMAT, version: b.version, exportedAt: Number(b.exportedAt) || 0, settings: b.settings, feeds: b.feeds ?? [], articles: b.articles, images: b.images, records: b.records };
}

// Restoring is a library write: it lives in lib/library/restore.ts.
export { restoreBackup, type RestoreOptions, type RestoreSummary } from '../library/restore';

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) binary += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(binary);
}

export function base64ToBytes(b64: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(b64);
  } catch {
    throw new ImportError('An image in this backup is damaged (bad base64).');
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
