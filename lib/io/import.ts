import type { OffprintDB } from '../db/schema';
import type { Article } from '../db/types';
import type { PrepareHtml } from '../dom/prepare';
import { storeArticles, type StoreDeps } from '../library/store';
import type { NewArticle } from '../messages';
import { cleanUrl } from '../urls/clean';
import { restoreBackup, validateBackup } from './backup';
import { detectKind, KIND_LABELS, looksBinary, type FileKind } from './detect';
import type { DraftArticle } from './draft';
import { ImportCancelled, ImportError, LIMITS, formatBytes, throwIfCancelled } from './errors';
import { addFollows } from './follows';
import { omnivoreToDrafts, looksLikeOmnivoreMetadata } from './omnivore';
import { parseOpml } from './opml';
import { savedPageToDraft, type ParseHtml } from './page';
import { pocketCsvToDrafts, pocketHtmlToDrafts } from './pocket';
import { markdownToDraft, textToDraft } from './text';
import { urlListToDrafts } from './urls';
import { isZip, safeUnzip } from './zip';

/** The feed parser of lib/feeds/parse.ts (issue 3), injected so tests and the bench can pass it. */
export type ParseFeed = (
  body: string,
  opts: { url: string; contentType?: string },
) => {
  title: string;
  siteUrl?: string;
  items: { guid?: string; url: string; title: string; author?: string; publishedAt?: number; updatedAt?: number; html: string; tags: string[]; leadImage?: string; isPreview?: boolean; isReply?: boolean }[];
};

export interface ImportDeps extends StoreDeps {
  db: OffprintDB;
  prepare: PrepareHtml;
  parseHtml: ParseHtml;
  parseFeed: ParseFeed;
  /** Smaller limits for tests; the defaults otherwise. */
  limits?: Partial<typeof LIMITS>;
  /** Restores settings from a backup. */
  applySettings?: (settings: unknown) => Promise<void>;
}

/** What the picker or a drop hands over; a browser File fits. */
export interface ImportFileInput {
  name: string;
  size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
  lastModified?: number;
}

export type ImportStage = 'reading' | 'preparing' | 'saving';

export interface ImportOptions {
  signal?: AbortSignal;
  onProgress?: (stage: ImportStage, done: number, total: number) => void;
}

export interface FileResult {
  name: string;
  kind?: string;
  status: 'done' | 'failed' | 'cancelled';
  message: string;
  added: number;
  updated: number;
  feedsAdded: number;
  /** Ids of the articles this file added or updated. */
  ids: string[];
}

/** Imports one file; never throws: failures come back as a per-file message. */
export async function importFile(file: ImportFileInput, deps: ImportDeps, opts: ImportOptions = {}): Promise<FileResult> {
  const result: FileResult = { name: file.name, status: 'done', message: '', added: 0, updated: 0, feedsAdded: 0, ids: [] };
  try {
    const maxBytes = deps.limits?.fileBytes ?? LIMITS.fileBytes;
    if (file.size > maxBytes) {
      throw new ImportError(`This file is ${formatBytes(file.size)}; Offprint imports files up to ${formatBytes(maxBytes)}. Split it, or export it without images.`);
    }
    if (file.size === 0) throw new ImportError('This file is empty.');
    opts.onProgress?.('reading', 0, 1);
    const bytes = new Uint8Array(await file.arrayBuffer());
    throwIfCancelled(opts.signal);
    const parsed = isZip(bytes) ? parseZip(bytes, file.name, deps) : parseOne(decodeText(bytes), file.name, deps, file.lastModified);
    result.kind = parsed.label;
    if (parsed.backup) {
      const backup = parsed.backup;
      const summary = await restoreBackup(deps.db, backup, { signal: opts.signal, onProgress: (d, t) => opts.onProgress?.('saving', d, t) });
      if (backup.settings !== undefined) await deps.applySettings?.(backup.settings);
      Object.assign(result, { added: summary.added, updated: summary.merged, feedsAdded: summary.feedsAdded, ids: summary.addedIds });
      result.message = `Restored ${plural(summary.added, 'article')}` + (summary.merged ? `; ${plural(summary.merged, 'article')} already here kept, reading state merged` : '') + (summary.feedsAdded ? `; ${plural(summary.feedsAdded, 'follow')} added` : '') + '.';
      return result;
    }
    if (parsed.follows) {
      const { added, existing } = await addFollows(deps.db, parsed.follows, deps);
      result.feedsAdded = added;
      result.message = `Following ${plural(added, 'new feed')}` + (existing ? ` (${existing} already followed)` : '') + '.';
      return result;
    }
    const drafts = parsed.drafts ?? [];
    const prepared = await prepareDrafts(drafts, deps, opts);
    const outcomes = await saveDrafts(drafts, prepared, deps, opts);
    result.added = outcomes.filter((o) => o.status === 'added').length;
    result.updated = outcomes.length - result.added;
    result.ids = [...new Set(outcomes.map((o) => o.id))];
    result.message = `Imported ${plural(result.added, 'article')}` + (result.updated ? `; ${plural(result.updated, 'article')} already in your library ${result.updated === 1 ? 'was' : 'were'} updated` : '') + (parsed.skipped ? `; skipped ${plural(parsed.skipped, 'file')} Offprint cannot read` : '') + '.';
    return result;
  } catch (err) {
    if (err instanceof ImportCancelled || (opts.signal?.aborted && !(err instanceof ImportError))) {
      return { ...result, status: 'cancelled', message: new ImportCancelled().message, added: 0, updated: 0, ids: [] };
    }
    const message = err instanceof ImportError ? `${err.message} Nothing from this file was stored.` : `Could not import this file: ${err instanceof Error ? err.message : String(err)}. Nothing from it was stored.`;
    return { ...result, status: 'failed', message, added: 0, updated: 0, ids: [] };
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function decodeText(bytes: Uint8Array): string {
  if (looksBinary(bytes)) throw new ImportError('This is not a text file, a zip or any format Offprint imports.');
  return new TextDecoder('utf-8').decode(bytes);
}

interface Parsed {
  label: string;
  drafts?: DraftArticle[];
  backup?: ReturnType<typeof validateBackup>;
  follows?: ReturnType<typeof parseOpml>;
  skipped?: number;
}

/** Parses and validates a whole file before anything is written. */
export function parseOne(text: string, fileName: string, deps: Pick<ImportDeps, 'parseFeed' | 'parseHtml'>, savedAt?: number): Parsed {
  const { kind, json } = detectKind(text, fileName);
  const label = KIND_LABELS[kind];
  const drafts = (list: DraftArticle[]): Parsed => ({ label, drafts: list });
  switch (kind as FileKind) {
    case 'backup':
      return { label, backup: validateBackup(json) };
    case 'opml': {
      const follows = parseOpml(text);
      if (follows.length === 0) throw new ImportError('This OPML file lists no feeds.');
      return { label, follows };
    }
    case 'feed':
    case 'posts':
    case 'json-feed':
      return drafts(feedToDrafts(text, fileName, kind, deps.parseFeed));
    case 'pocket-csv':
      return drafts(pocketCsvToDrafts(text));
    case 'pocket-html':
      return drafts(pocketHtmlToDrafts(text));
    case 'omnivore':
      return drafts(omnivoreToDrafts(json as never, new Map()));
    case 'markdown':
      return drafts([markdownToDraft(text, fileName, savedAt)]);
    case 'page':
      return drafts([savedPageToDraft(text, fileName, deps.parseHtml, savedAt)]);
    case 'text':
      return drafts([textToDraft(text, fileName, savedAt)]);
    case 'url-list':
      return drafts(urlListToDrafts(text, savedAt));
  }
}

function feedToDrafts(text: string, fileName: string, kind: FileKind, parseFeed: ParseFeed): DraftArticle[] {
  let feed: ReturnType<ParseFeed>;
  try {
    feed = parseFeed(text, { url: `file:///${encodeURIComponent(fileName)}`, contentType: kind === 'feed' ? 'application/xml' : 'application/json' });
  } catch (err) {
    throw new ImportError(err instanceof Error ? err.message : String(err));
  }
  if (feed.items.length === 0) throw new ImportError('This feed has no articles in it.');
  return feed.items.map((item) => ({
    url: item.url,
    guid: item.guid,
    title: item.title,
    author: item.author,
    publishedAt: item.publishedAt,
    updatedAt: item.updatedAt,
    html: item.html,
    tags: item.tags,
    leadImage: item.leadImage,
    isPreview: item.isPreview ? 1 : 0,
    isReply: item.isReply ? 1 : 0,
  }));
}

/** A zip: an Omnivore export, an Offprint Markdown/HTML export, or any bundle of importable files. */
function parseZip(bytes: Uint8Array, zipName: string, deps: ImportDeps): Parsed {
  const entries = safeUnzip(bytes, { totalBytes: deps.limits?.unzippedBytes, entries: deps.limits?.zipEntries }).filter((e) => !/(^|\/)(__MACOSX|\.)/.test(e.name));
  const decoder = new TextDecoder('utf-8');
  const metadata = entries.filter((e) => /(^|\/)metadata_[^/]*\.json$/i.test(e.name));
  if (metadata.length) {
    const content = new Map<string, string>();
    for (const e of entries) {
      const m = /(?:^|\/)content\/([^/]+)\.html$/i.exec(e.name);
      if (m) content.set(m[1]!, decoder.decode(e.data));
    }
    const items = metadata.flatMap((e) => {
      let json: unknown;
      try {
        json = JSON.parse(decoder.decode(e.data));
      } catch {
        throw new ImportError(`${e.name} in this Omnivore export is broken JSON.`);
      }
      if (!looksLikeOmnivoreMetadata(json)) throw new ImportError(`${e.name} in this zip is not Omnivore metadata.`);
      return json;
    });
    return { label: KIND_LABELS.omnivore, drafts: omnivoreToDrafts(items, content) };
  }
  const drafts: DraftArticle[] = [];
  let skipped = 0;
  let backup: Parsed['backup'];
  let follows: Parsed['follows'];
  for (const e of entries) {
    try {
      const parsed = parseOne(decodeText(e.data), e.name, deps);
      if (parsed.backup) backup = parsed.backup;
      else if (parsed.follows) follows = [...(follows ?? []), ...parsed.follows];
      else drafts.push(...(parsed.drafts ?? []));
    } catch {
      skipped += 1;
    }
  }
  if (backup && drafts.length === 0 && !follows) return { label: KIND_LABELS.backup, backup };
  if (follows && drafts.length === 0) return { label: KIND_LABELS.opml, follows };
  if (drafts.length === 0) throw new ImportError(`Nothing in ${zipName} is a file Offprint can import.`);
  return { label: KIND_LABELS.zip, drafts, skipped };
}

/** Sanitizes in batches so progress moves and Cancel is heard between them. */
async function prepareDrafts(drafts: DraftArticle[], deps: ImportDeps, opts: ImportOptions) {
  const out: { html: string; text: string }[] = [];
  const batch = 25;
  for (let i = 0; i < drafts.length; i += batch) {
    throwIfCancelled(opts.signal);
    const slice = drafts.slice(i, i + batch);
    out.push(...(await deps.prepare(slice.map((d) => ({ html: d.html, baseUrl: /^https?:/.test(d.url) ? d.url : undefined })))));
    opts.onProgress?.('preparing', Math.min(drafts.length, i + batch), drafts.length);
    // Let the page paint the progress bar.
    await new Promise((r) => setTimeout(r, 0));
  }
  throwIfCancelled(opts.signal);
  return out;
}

/**
 * Writes every article of one file in one transaction: if anything fails
 * or the user cancels, none of the file is kept and nothing already stored
 * changes. Reader state from the source tool only moves forward.
 */
async function saveDrafts(drafts: DraftArticle[], prepared: { html: string; text: string }[], deps: ImportDeps, opts: ImportOptions) {
  const { db } = deps;
  const chunk = 200;
  return db.transaction('rw', db.tables, async () => {
    const outcomes: { id: string; status: 'added' | 'updated' }[] = [];
    for (let i = 0; i < drafts.length; i += chunk) {
      throwIfCancelled(opts.signal);
      const slice = drafts.slice(i, i + chunk);
      const inputs: NewArticle[] = slice.map((d, j) => toNewArticle(d, prepared[i + j]!, deps.now()));
      const results = await storeArticles(db, inputs, deps);
      for (const [j, outcome] of results.entries()) {
        await applyReaderState(db, outcome, slice[j]!);
      }
      outcomes.push(...results);
      opts.onProgress?.('saving', Math.min(drafts.length, i + chunk), drafts.length);
    }
    return outcomes;
  });
}

function toNewArticle(d: DraftArticle, p: { html: string; text: string }, now: number): NewArticle {
  return {
    url: /^https?:/i.test(d.url) ? cleanUrl(d.url) : d.url,
    guid: d.guid,
    source: 'import',
    title: d.title.trim() || 'Untitled',
    author: d.author,
    siteName: d.siteName,
    lang: d.lang,
    excerpt: d.excerpt ?? excerptOf(p.text),
    leadImage: d.leadImage,
    publishedAt: d.publishedAt,
    updatedAt: d.updatedAt,
    savedAt: d.savedAt ?? now,
    captureWarning: d.captureWarning,
    tags: d.tags,
    isRead: d.isRead,
    starred: d.starred,
    isPreview: d.isPreview,
    isReply: d.isReply,
    html: p.html,
    text: p.text,
  };
}

function excerptOf(text: string): string | undefined {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (!flat) return undefined;
  return flat.length <= 200 ? flat : flat.slice(0, 200).replace(/\s+\S*$/, '') + '…';
}

async function applyReaderState(db: OffprintDB, outcome: { id: string; status: 'added' | 'updated' }, d: DraftArticle): Promise<void> {
  if (d.progress === undefined && d.box === undefined && !d.isRead && !d.starred) return;
  const current = await db.articles.get(outcome.id);
  if (!current) return;
  const patch: Partial<Article> = {};
  if (d.progress !== undefined && d.progress > (current.progress ?? 0)) patch.progress = d.progress;
  if (d.isRead && !current.isRead) patch.isRead = 1;
  if (d.starred && !current.starred) patch.starred = 1;
  if (d.box === 'archive' && outcome.status === 'added') patch.box = 'archive';
  if (Object.keys(patch).length) await db.articles.update(outcome.id, patch);
}
