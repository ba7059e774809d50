import type { OffprintDB } from '../db/schema';
import type { Article } from '../db/types';
import type { PrepareHtml } from '../dom/prepare';
import { countActiveContent } from '../html/active';
import { base64ToBytes, type Backup, type BackupArticle } from '../io/backup';
import { throwIfCancelled } from '../io/errors';
import { followKey } from '../io/follows';
import { reindexArticles } from '../search/indexer';
import { isWebUrl } from '../urls/safe';
import { mergeArticles, type IncomingArticle } from './store';
import { extraBackupTables, tablesFor, TABLES } from './tables';

export interface RestoreOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Articles per write; progress is reported after each. */
  chunk?: number;
  /** Sanitizes the backup's HTML like every other write. Defaults to this context's DOM when it has one. */
  prepare?: PrepareHtml;
}

export interface RestoreSummary {
  added: number;
  merged: number;
  /** Merged articles whose text the backup's richer copy brought back. */
  textRestored: number;
  feedsAdded: number;
  images: number;
  addedIds: string[];
  /** Active content (scripts, handlers, frames…) the sanitizer removed from the backup. */
  activeRemoved: number;
  /** Articles of the backup whose HTML had active content removed. */
  articlesCleaned: number;
  /** Highlights brought back (issue 13). */
  highlights: number;
}

async function defaultPrepare(): Promise<PrepareHtml> {
  if (typeof window === 'undefined' || !window.document) throw new Error('Restoring a backup needs a sanitizer (no DOM here).');
  const { createLocalPrepare } = await import('../dom/prepare');
  return createLocalPrepare(window);
}

const PREPARE_BATCH = 50;

/**
 * Merges a validated backup into the library in one transaction: a cancel
 * or an error leaves the library exactly as it was. The backup's HTML is
 * sanitized first (stored HTML is always sanitized). An article already here
 * (same id, guid or URL) is merged by the merge rule: the backup's copy
 * replaces the local text only when at least as complete, metadata merges
 * per field, reader state only moves forward. A new one comes back as it
 * was exported, id, box and state included.
 */
export async function restoreBackup(db: OffprintDB, backup: Backup, opts: RestoreOptions = {}): Promise<RestoreSummary> {
  const chunk = opts.chunk ?? 250;
  const prepare = opts.prepare ?? (await defaultPrepare());
  const summary: RestoreSummary = { added: 0, merged: 0, textRestored: 0, feedsAdded: 0, images: 0, addedIds: [], activeRemoved: 0, articlesCleaned: 0, highlights: 0 };
  // Sanitize and decode before the transaction: IndexedDB transactions close on non-database awaits.
  const articles: BackupArticle[] = [];
  for (let i = 0; i < backup.articles.length; i += PREPARE_BATCH) {
    throwIfCancelled(opts.signal);
    const slice = backup.articles.slice(i, i + PREPARE_BATCH);
    const prepared = await prepare(slice.map((a) => ({ html: a.html, baseUrl: isWebUrl(a.url) ? a.url : undefined })));
    slice.forEach((a, j) => {
      const clean = prepared[j]!;
      const removed = Math.max(0, countActiveContent(a.html) - countActiveContent(clean.html));
      if (removed) {
        summary.activeRemoved += removed;
        summary.articlesCleaned += 1;
      }
      articles.push({ ...a, html: clean.html, text: clean.text });
    });
  }
  const images = (backup.images ?? []).map(({ data, ...rest }) => ({ ...rest, blob: new Blob([base64ToBytes(data) as Uint8Array<ArrayBuffer>], { type: rest.type }) }));
  const reindex: string[] = [];
  await db.transaction('rw', tablesFor(db, 'restore'), async () => {
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

    const total = articles.length;
    const articleIdMap = new Map<string, string>();
    const knownIds = new Set((await db.articles.toCollection().primaryKeys()) as string[]);
    for (let start = 0; start < total; start += chunk) {
      throwIfCancelled(opts.signal);
      const slice = articles.slice(start, start + chunk);
      // An article here under the backup's id but another URL is still that article.
      // Only ids already in the library are read (knownIds holds every one).
      const here = slice.filter((a) => knownIds.has(a.id)).map((a) => a.id);
      const hereById = new Map(here.length ? (await db.articles.bulkGet(here)).map((a, i) => [here[i]!, a]) : []);
      const byId = slice.map((a) => hereById.get(a.id));
      // A new article comes back with its exported state as it is stored, in one write (its index entry included).
      const inputs: IncomingArticle[] = slice.map((a, i) => ({ ...toIncoming(a, feedIdMap, byId[i]), preferredId: knownIds.has(a.id) ? crypto.randomUUID() : a.id, asCreated: exportedState(a) }));
      const outcomes = await mergeArticles(db, inputs, { now: () => Date.now(), newId: () => crypto.randomUUID() }, 'restore');
      for (const [i, outcome] of outcomes.entries()) {
        const a = slice[i]!;
        articleIdMap.set(a.id, outcome.id);
        knownIds.add(outcome.id);
        if (outcome.status === 'updated') {
          summary.merged += 1;
          if (outcome.contentReplaced) summary.textRestored += 1;
          continue;
        }
        summary.added += 1;
        summary.addedIds.push(outcome.id);
      }
      opts.onProgress?.(Math.min(total, start + chunk), total);
    }

    throwIfCancelled(opts.signal);
    for (const table of extraBackupTables(db)) {
      const rows = backup.records?.[table.name] ?? [];
      const key = TABLES[table.name]!.articleKey;
      for (const row of rows as Record<string, unknown>[]) {
        const mapped = key ? { ...row, [key]: articleIdMap.get(String(row[key])) ?? row[key] } : { ...row, id: articleIdMap.get(String(row.id)) ?? row.id };
        const primary = (mapped as Record<string, unknown>)[table.schema.primKey.keyPath as string];
        if (primary !== undefined && (await table.get(primary as string))) continue;
        await table.put(mapped);
        // Highlights and notes are searchable (issue 13): their article is indexed again.
        if (key) reindex.push(String((mapped as Record<string, unknown>)[key]));
        if (table.name === 'highlights') summary.highlights += 1;
      }
    }
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

/** What the store would decide for a new article, replaced by what the backup says. */
function exportedState(a: BackupArticle): Partial<Article> {
  return {
    box: a.box,
    sortAt: a.sortAt,
    savedAt: a.savedAt,
    progress: a.progress ?? 0,
    offline: a.offline ?? 'pending',
    deletedAt: a.deletedAt,
    trashedFrom: a.trashedFrom,
    source: a.source,
  };
}

function toIncoming(a: BackupArticle, feedIdMap: Map<string, string>, sameId: Article | undefined): IncomingArticle {
  return {
    // Same id here: merge into it even if its URL changed since.
    url: sameId ? sameId.url : a.url,
    guid: sameId ? (sameId.guid ?? a.guid) : a.guid,
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
    state: { progress: a.progress ?? 0, archived: a.box === 'archive' },
  };
}
