import { reindexArticles } from '../search/indexer';
import type { OffprintDB } from '../db/schema';
import type { Article, ArticleNote, CachedImage, Feed, Highlight } from '../db/types';
import { storeArticles } from '../library/store';
import type { NewArticle } from '../messages';
import { ImportError, throwIfCancelled } from './errors';
import { followKey } from './follows';

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
  /** Highlights and article notes (issue 13), exactly as stored. Older backups have none. */
  highlights?: Highlight[];
  articleNotes?: ArticleNote[];
}

/** Every article in every box (Trash too: it is still the user's), with its content. */
export async function createBackup(db: OffprintDB, opts: { includeImages: boolean; settings?: unknown; now?: number }): Promise<Backup> {
  const { articles, contents, feeds, images, highlights, articleNotes } = await db.transaction('r', [db.articles, db.contents, db.feeds, db.images, db.highlights, db.articleNotes], async () => ({
    articles: await db.articles.orderBy('id').toArray(),
    contents: await db.contents.toArray(),
    feeds: await db.feeds.orderBy('id').toArray(),
    images: opts.includeImages ? await db.images.orderBy('url').toArray() : [],
    highlights: await db.highlights.orderBy('id').toArray(),
    articleNotes: await db.articleNotes.toArray(),
  }));
  const byId = new Map(contents.map((c) => [c.id, c]));
  const backup: Backup = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    exportedAt: opts.now ?? Date.now(),
    settings: opts.settings,
    feeds,
    articles: articles.map((a) => ({ ...a, html: byId.get(a.id)?.html ?? '', text: byId.get(a.id)?.text ?? '' })),
    highlights,
    articleNotes,
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
  if (b.highlights !== undefined && !Array.isArray(b.highlights)) throw new ImportError('This backup’s highlight list is damaged.');
  (b.highlights ?? []).forEach((h, i) => {
    if (typeof h?.id !== 'string' || typeof h.articleId !== 'string' || typeof h.quote?.exact !== 'string' || typeof h.position?.start !== 'number') {
      throw new ImportError(`Highlight ${i + 1} in this backup is damaged.`);
    }
  });
  if (b.articleNotes !== undefined && !Array.isArray(b.articleNotes)) throw new ImportError('This backup’s article notes are damaged.');
  (b.articleNotes ?? []).forEach((n, i) => {
    if (typeof n?.articleId !== 'string' || typeof n.note !== 'string') throw new ImportError(`Article note ${i + 1} in this backup is damaged.`);
  });
  (b.images ?? []).forEach((img, i) => {
    if (typeof img?.url !== 'string' || typeof img.data !== 'string' || !Array.isArray(img.articleIds)) throw new ImportError(`Image ${i + 1} in this backup is damaged.`);
  });
  return {
    format: BACKUP_FORMAT,
    version: b.version,
    exportedAt: Number(b.exportedAt) || 0,
    settings: b.settings,
    feeds: b.feeds ?? [],
    articles: b.articles,
    images: b.images,
    highlights: b.highlights,
    articleNotes: b.articleNotes,
  };
}

export interface RestoreOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Articles per write; progress is reported after each. */
  chunk?: number;
}

export interface RestoreSummary {
  added: number;
  merged: number;
  feedsAdded: number;
  images: number;
  addedIds: string[];
  highlights: number;
}

/**
 * Merges a validated backup into the library in one transaction: a cancel
 * or an error leaves the library exactly as it was. An article already here
 * (same id, guid or URL) keeps its content and gains the backup's reader
 * state where that is further along (read, starred, progress, tags); a new
 * one comes back exactly as it was exported, id included.
 */
export async function restoreBackup(db: OffprintDB, backup: Backup, opts: RestoreOptions = {}): Promise<RestoreSummary> {
  const chunk = opts.chunk ?? 250;
  // Decode images before the transaction: IndexedDB transactions close on non-database awaits.
  const images = (backup.images ?? []).map(({ data, ...rest }) => ({ ...rest, blob: new Blob([base64ToBytes(data) as Uint8Array<ArrayBuffer>], { type: rest.type }) }));
  const summary: RestoreSummary = { added: 0, merged: 0, feedsAdded: 0, images: 0, addedIds: [], highlights: 0 };
  // Articles whose indexed fields (tags, list date) changed after storeArticles indexed them.
  const reindex: string[] = [];
  await db.transaction('rw', db.tables, async () => {
    const feedIdMap = new Map<string, string>();
    const localFeeds = await db.feeds.toArray();
    const feedByKey = new Map(localFeeds.map((f) => [followKey(f.url), f]));
    for (const feed of backup.feeds) {
      const found = feedByKey.get(followKey(feed.url));
      if (found) {
        feedIdMap.set(feed.id, found.id);
        continue;
      }
      const id = (await db.feeds.get(feed.id)) ? crypto.randomUUID() : feed.id;
      await db.feeds.add({ ...feed, id });
      feedByKey.set(followKey(feed.url), { ...feed, id });
      feedIdMap.set(feed.id, id);
      summary.feedsAdded += 1;
    }

    const total = backup.articles.length;
    const articleIdMap = new Map<string, string>();
    // Keys only, read once: most restores go into a library that has few of these articles.
    const [knownIds, knownGuids, knownUrls] = await Promise.all([
      db.articles.toCollection().primaryKeys().then((k) => new Set(k as string[])),
      db.articles.orderBy('guid').keys().then((k) => new Set(k as string[])),
      db.articles.orderBy('url').keys().then((k) => new Set(k as string[])),
    ]);
    const mayExist = (a: BackupArticle) => knownIds.has(a.id) || (a.guid !== undefined && knownGuids.has(a.guid)) || knownUrls.has(a.url);
    for (let start = 0; start < total; start += chunk) {
      throwIfCancelled(opts.signal);
      const fresh: BackupArticle[] = [];
      for (const a of backup.articles.slice(start, start + chunk)) {
        const existing = !mayExist(a)
          ? undefined
          : ((await db.articles.get(a.id)) ?? (a.guid ? await db.articles.where('guid').equals(a.guid).first() : undefined) ?? (await db.articles.where('url').equals(a.url).first()));
        if (existing) {
          await mergeInto(db, existing, a);
          reindex.push(existing.id);
          articleIdMap.set(a.id, existing.id);
          summary.merged += 1;
        } else if (fresh.some((f) => f.url === a.url || (a.guid && f.guid === a.guid))) {
          summary.merged += 1;
        } else {
          fresh.push(a);
        }
      }
      const ids = fresh.map((a) => a.id);
      let next = 0;
      const outcomes = await storeArticles(db, fresh.map((a) => toNewArticle(a, feedIdMap)), { now: () => Date.now(), newId: () => ids[next++]! });
      const exported: { key: string; changes: Partial<Article> }[] = [];
      for (const [i, outcome] of outcomes.entries()) {
        const a = fresh[i]!;
        articleIdMap.set(a.id, outcome.id);
        knownIds.add(outcome.id);
        knownUrls.add(a.url);
        if (a.guid) knownGuids.add(a.guid);
        // What storeArticles decides for new articles is replaced by the exported state.
        exported.push({ key: outcome.id, changes: {
          box: a.box,
          sortAt: a.sortAt,
          savedAt: a.savedAt,
          isRead: a.isRead ? 1 : 0,
          starred: a.starred ? 1 : 0,
          progress: a.progress ?? 0,
          isPreview: a.isPreview ? 1 : 0,
          isReply: a.isReply ? 1 : 0,
          offline: a.offline ?? 'pending',
          wordCount: a.wordCount,
          readingMinutes: a.readingMinutes,
          deletedAt: a.deletedAt,
          source: a.source,
          tags: a.tags,
        } });
        summary.added += 1;
        summary.addedIds.push(outcome.id);
        if (a.sortAt !== (a.publishedAt ?? a.savedAt)) reindex.push(outcome.id);
      }
      await db.articles.bulkUpdate(exported);
      opts.onProgress?.(Math.min(total, start + chunk), total);
    }

    throwIfCancelled(opts.signal);
    const touched = await restoreHighlights(db, backup, articleIdMap, summary, (id) => knownIds.has(id));
    reindex.push(...touched);
    for (const img of images) {
      const articleIds = img.articleIds.map((id) => articleIdMap.get(id) ?? id);
      const existing = await db.images.get(img.url);
      if (existing) {
        await db.images.update(img.url, { articleIds: [...new Set([...existing.articleIds, ...articleIds])] });
      } else {
        await db.images.add({ ...img, articleIds });
        summary.images += 1;
      }
    }
  });
  if (reindex.length) await reindexArticles(db, reindex);
  return summary;
}

/**
 * Highlights and notes come back exactly as exported, on the article each now
 * belongs to (a merged article's id); one already here (same id) keeps the
 * later edit. Returns the articles whose searchable notes changed.
 */
async function restoreHighlights(db: OffprintDB, backup: Backup, articleIdMap: Map<string, string>, summary: RestoreSummary, articleExists: (id: string) => boolean): Promise<string[]> {
  const list = backup.highlights ?? [];
  const touched = new Set<string>();
  const known = await db.highlights.bulkGet(list.map((h) => h.id));
  const put: Highlight[] = [];
  list.forEach((h, i) => {
    const articleId = articleIdMap.get(h.articleId) ?? h.articleId;
    const here = known[i];
    // A highlight of an article the backup does not hold (a hand-edited file) has nowhere to go.
    if (!articleExists(articleId) || (here && here.updatedAt >= h.updatedAt)) return;
    put.push({ ...h, articleId });
    touched.add(articleId);
    if (!here) summary.highlights += 1;
  });
  await db.highlights.bulkPut(put);
  for (const n of backup.articleNotes ?? []) {
    const articleId = articleIdMap.get(n.articleId) ?? n.articleId;
    if (!articleExists(articleId)) continue;
    const here = await db.articleNotes.get(articleId);
    if (here?.note === n.note || (here && here.note.includes(n.note))) continue;
    await db.articleNotes.put({ articleId, note: here ? `${here.note}\n\n${n.note}` : n.note, updatedAt: Math.max(here?.updatedAt ?? 0, n.updatedAt ?? 0) });
    touched.add(articleId);
  }
  return [...touched];
}

function toNewArticle(a: BackupArticle, feedIdMap: Map<string, string>): NewArticle {
  return {
    url: a.url,
    guid: a.guid,
    feedId: a.feedId ? (feedIdMap.get(a.feedId) ?? a.feedId) : undefined,
    source: a.source,
    title: a.title,
    author: a.author,
    siteName: a.siteName,
    lang: a.lang,
    excerpt: a.excerpt,
    leadImage: a.leadImage,
    publishedAt: a.publishedAt,
    updatedAt: a.updatedAt,
    savedAt: a.savedAt,
    captureWarning: a.captureWarning,
    tags: a.tags,
    isRead: a.isRead ? 1 : 0,
    starred: a.starred ? 1 : 0,
    isPreview: a.isPreview ? 1 : 0,
    isReply: a.isReply ? 1 : 0,
    html: a.html,
    text: a.text,
  };
}

/** Reader state only moves forward; content already here is kept. */
async function mergeInto(db: OffprintDB, existing: Article, a: BackupArticle): Promise<void> {
  const patch: Partial<Article> = {
    isRead: existing.isRead || a.isRead ? 1 : 0,
    starred: existing.starred || a.starred ? 1 : 0,
    progress: Math.max(existing.progress ?? 0, a.progress ?? 0),
    tags: [...new Set([...existing.tags, ...a.tags])],
  };
  await db.articles.update(existing.id, patch);
  const content = await db.contents.get(existing.id);
  if (!content || (!content.text && a.text)) await db.contents.put({ id: existing.id, html: a.html, text: a.text });
}

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
