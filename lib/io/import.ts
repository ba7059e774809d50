import type { OffprintDB } from '../db/schema';
import type { PrepareHtml } from '../dom/prepare';
import { mergeArticles, type IncomingArticle, type MergeOutcome, type StoreDeps } from '../library/store';
import { cleanUrl } from '../urls/clean';
import { restoreBackup, validateBackup } from './backup';
import { detectKind, KIND_LABELS, looksBinary, type FileKind } from './detect';
import type { DraftArticle } from './draft';
import { ImportCancelled, ImportError, LIMITS, formatBytes, throwIfCancelled } from './errors';
import { addFollows } from './follows';
import { omnivoreToDrafts, looksLikeOmnivoreMetadata } from './omnivore';
import { readOpml, type OpmlSkip } from './opml';
import { parseOmnivoreHighlights, parseReadwiseCsv, storeImportedHighlights, type ImportedHighlight, type ReadwiseRow } from './highlights';
import { savedPageToDraft, type ParseHtml } from './page';
import { pocketCsvToDrafts, pocketHtmlToDrafts } from './pocket';
import { markdownToDraft, textToDraft } from './text';
import { readwiseCsvToDrafts } from './readwise';
import type { DraftList } from './skips';
import { urlListToDrafts } from './urls';
import { wallabagToDrafts } from './wallabag';
import { isZip, safeUnzip } from './zip';
import { limitDepthInSlices, type DepthReport } from './html-depth';

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
    const parsed = isZip(bytes) ? parseZip(bytes, file.name, deps) : await parseChecked(decodeText(bytes), file.name, deps, file.lastModified, opts);
    result.kind = parsed.label;
    if (parsed.backup) {
      const backup = parsed.backup;
      const summary = await restoreBackup(deps.db, backup, { signal: opts.signal, prepare: deps.prepare, onProgress: (d, t) => opts.onProgress?.('saving', d, t) });
      if (backup.settings !== undefined) await deps.applySettings?.(backup.settings);
      Object.assign(result, { added: summary.added, updated: summary.merged, feedsAdded: summary.feedsAdded, ids: summary.addedIds });
      const kept = summary.merged - summary.textRestored;
      result.message =
        `Restored ${plural(summary.added, 'article')}` +
        (summary.highlights ? ` with ${plural(summary.highlights, 'highlight')}` : '') +
        (summary.textRestored ? `; ${plural(summary.textRestored, 'article')} already here got back the backup’s fuller text` : '') +
        (kept ? `; ${plural(kept, 'article')} already here kept ${kept === 1 ? 'its' : 'their'} text, reading state merged` : '') +
        (summary.feedsAdded ? `; ${plural(summary.feedsAdded, 'follow')} added` : '') +
        '.' +
        (summary.activeRemoved ? ` Removed ${plural(summary.activeRemoved, 'piece')} of active content (scripts, handlers, frames) from ${plural(summary.articlesCleaned, 'article')}.` : '');
      return result;
    }
    if (parsed.highlightRows) {
      const { added, unmatched, notFound } = await importHighlightRows(deps, parsed.highlightRows);
      result.message = `Imported ${plural(added, 'highlight')} onto articles in your library.` + (unmatched.length ? ` ${plural(unmatched.reduce((n, u) => n + u.count, 0), 'highlight')} from ${plural(unmatched.length, 'article')} not in your library ${unmatched.length === 1 ? 'was' : 'were'} not imported (save ${unmatched.length === 1 ? 'it' : 'them'} first): ${unmatched.slice(0, 3).map((u) => `“${u.title}”`).join(', ')}${unmatched.length > 3 ? '…' : ''}.` : '') + (notFound ? ` ${plural(notFound, 'highlight')} ${notFound === 1 ? 'is' : 'are'} not in the article’s text; kept and listed as “could not be placed”.` : '');
      return result;
    }
    if (parsed.follows) {
      const { added, existing } = await addFollows(deps.db, parsed.follows, deps);
      result.feedsAdded = added;
      result.message = `Following ${plural(added, 'new feed')}` + (existing ? ` (${existing} already followed)` : '') + skippedWords(parsed) + '.';
      return result;
    }
    const drafts = parsed.drafts ?? [];
    const prepared = await prepareDrafts(drafts, deps, opts);
    const { outcomes, highlights, notFound } = await saveDrafts(drafts, prepared, deps, opts);
    if (notFound) (parsed.notes ??= []).push(`${plural(notFound, 'highlight')} ${notFound === 1 ? 'is' : 'are'} not in ${notFound === 1 ? 'its' : 'their'} article’s text; kept and listed as “could not be placed”`);
    result.added = outcomes.filter((o) => o.status === 'added').length;
    result.updated = outcomes.length - result.added;
    result.ids = [...new Set(outcomes.map((o) => o.id))];
    result.message = `Imported ${plural(result.added, 'article')}` + describeUpdates(outcomes) + skippedWords(parsed) + (highlights ? `; ${plural(highlights, 'highlight')} kept` : '') + '.' + (parsed.notes?.length ? ` ${parsed.notes.join('. ')}.` : '');
    return result;
  } catch (err) {
    if (err instanceof ImportCancelled || (opts.signal?.aborted && !(err instanceof ImportError))) {
      return { ...result, status: 'cancelled', message: new ImportCancelled().message, added: 0, updated: 0, ids: [] };
    }
    const message = err instanceof ImportError ? `${err.message} Nothing from this file was stored.` : `Could not import this file: ${err instanceof Error ? err.message : String(err)}. Nothing from it was stored.`;
    return { ...result, status: 'failed', message, added: 0, updated: 0, ids: [] };
  }
}

/** What happened to articles already in the library, in the merge rule's words. */
function describeUpdates(outcomes: MergeOutcome[]): string {
  const updates = outcomes.filter((o) => o.status === 'updated');
  if (updates.length === 0) return '';
  const replaced = updates.filter((o) => o.contentReplaced).length;
  const kept = updates.filter((o) => o.keptBecause);
  const gained = kept.filter((o) => o.updated.length > 0).length;
  const unchanged = updates.length - replaced - kept.length;
  const parts: string[] = [];
  if (replaced) parts.push(`${plural(replaced, 'article')} already in your library ${replaced === 1 ? 'was' : 'were'} updated with this file’s text`);
  if (kept.length) parts.push(`${plural(kept.length, 'article')} already in your library kept ${kept.length === 1 ? 'its' : 'their'} fuller text` + (gained ? ` (${gained} gained this file’s tags, dates or reading state)` : ''));
  if (unchanged) parts.push(`${plural(unchanged, 'article')} ${unchanged === 1 ? 'was' : 'were'} already in your library with the same text`);
  return `; ${parts.join('; ')}`;
}

/** One line for every skipped OPML entry, naming each (up to five) with why. */
function groupSkips(skipped: OpmlSkip[]): { count: number; reason: string }[] {
  if (skipped.length === 0) return [];
  const named = skipped.slice(0, 5).map((s) => `“${s.title}” (${s.reason})`);
  return [{ count: skipped.length, reason: named.join(', ') + (skipped.length > 5 ? ` and ${skipped.length - 5} more` : '') }];
}

function describeOpmlSkips(skipped: OpmlSkip[]): string {
  return groupSkips(skipped).map((g) => `${plural(g.count, 'entry', 'entries')} skipped: ${g.reason}`).join('; ');
}

function skippedWords(parsed: Parsed): string {
  const out: string[] = [];
  if (parsed.skipped) out.push(`skipped ${plural(parsed.skipped, 'file')} Offprint cannot read` + (parsed.skippedNames?.length ? `: ${parsed.skippedNames.slice(0, 5).join(', ')}${parsed.skippedNames.length > 5 ? '…' : ''}` : ''));
  for (const s of parsed.skippedItems ?? []) out.push(`skipped ${plural(s.count, 'entry', 'entries')}: ${s.reason}`);
  return out.length ? `; ${out.join('; ')}` : '';
}

function plural(n: number, word: string, many?: string): string {
  if (many) return `${n} ${n === 1 ? word : many}`;
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
  follows?: ReturnType<typeof readOpml>['feeds'];
  skipped?: number;
  /** Files of a zip that were skipped, with why. */
  skippedNames?: string[];
  /** Entries of the file that were not imported, with why. */
  skippedItems?: { count: number; reason: string }[];
  /** Highlights for articles already in the library (Readwise highlights CSV, issue 13). */
  highlightRows?: ReadwiseRow[];
  /** What the import could not keep, said in its message. */
  notes?: string[];
}

/**
 * parseOne, with a saved web page first checked in slices (nesting depth,
 * element count) so a pathological file never freezes the page and Cancel
 * stops it at once.
 */
async function parseChecked(text: string, fileName: string, deps: ImportDeps, savedAt: number | undefined, opts: ImportOptions): Promise<Parsed> {
  const { kind } = detectKind(text, fileName);
  if (kind !== 'page') return parseOne(text, fileName, deps, savedAt);
  let report: DepthReport;
  try {
    report = await limitDepthInSlices(text, { signal: opts.signal, onProgress: (done, total) => opts.onProgress?.('reading', done, total) });
  } catch (err) {
    if (opts.signal?.aborted) throw new ImportCancelled();
    throw err;
  }
  throwIfCancelled(opts.signal);
  return parseOne(text, fileName, deps, savedAt, report);
}

/** Parses and validates a whole file before anything is written. */
export function parseOne(text: string, fileName: string, deps: Pick<ImportDeps, 'parseFeed' | 'parseHtml'>, savedAt?: number, checked?: DepthReport): Parsed {
  const { kind, json } = detectKind(text, fileName);
  const label = KIND_LABELS[kind];
  const drafts = (list: DraftList): Parsed => ({ label, drafts: list, skippedItems: list.skipped });
  switch (kind as FileKind) {
    case 'backup':
      return { label, backup: validateBackup(json) };
    case 'opml': {
      const { feeds: follows, skipped } = readOpml(text);
      if (follows.length === 0) {
        throw new ImportError(skipped.length ? `This OPML file lists no feed Offprint can follow: ${describeOpmlSkips(skipped)}.` : 'This OPML file lists no feeds.');
      }
      return { label, follows, skippedItems: groupSkips(skipped) };
    }
    case 'feed':
    case 'posts':
    case 'json-feed':
      return drafts(feedToDrafts(text, fileName, kind, deps.parseFeed));
    case 'readwise-highlights':
      return { label, highlightRows: parseReadwiseCsv(text) };
    case 'pocket-csv':
      return drafts(pocketCsvToDrafts(text));
    case 'pocket-html':
      return drafts(pocketHtmlToDrafts(text));
    case 'readwise-csv':
      return drafts(readwiseCsvToDrafts(text));
    case 'wallabag':
      return drafts(wallabagToDrafts(json as never));
    case 'omnivore':
      return drafts(omnivoreToDrafts(json as never, new Map()));
    case 'markdown':
      return drafts([markdownToDraft(text, fileName, savedAt)]);
    case 'page':
      return drafts([savedPageToDraft(text, fileName, deps.parseHtml, savedAt, checked)]);
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
    // highlights/<slug>.md (issue 13): quotes with their notes.
    const highlights = new Map<string, ImportedHighlight[]>();
    for (const e of entries) {
      const m = /(?:^|\/)highlights\/([^/]+)\.md$/i.exec(e.name);
      if (m) highlights.set(m[1]!, parseOmnivoreHighlights(decoder.decode(e.data)));
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
    const slugs = new Set(items.map((i) => i.slug).filter(Boolean));
    const lost = [...highlights].filter(([slug, list]) => list.length && !slugs.has(slug));
    const notes = lost.length ? [`${plural(lost.reduce((n, [, l]) => n + l.length, 0), 'highlight')} in highlights/ belong to no article of the export and were not imported`] : [];
    const list = omnivoreToDrafts(items, content, highlights);
    return { label: KIND_LABELS.omnivore, drafts: list, skippedItems: list.skipped, notes };
  }
  const drafts: DraftArticle[] = [];
  const skippedItems: { count: number; reason: string }[] = [];
  let skipped = 0;
  const skippedNames: string[] = [];
  let backup: Parsed['backup'];
  let follows: Parsed['follows'];
  for (const e of entries) {
    try {
      const parsed = parseOne(decodeText(e.data), e.name, deps);
      if (parsed.backup) backup = parsed.backup;
      else if (parsed.follows) follows = [...(follows ?? []), ...parsed.follows];
      else {
        drafts.push(...(parsed.drafts ?? []));
        skippedItems.push(...(parsed.skippedItems ?? []));
      }
    } catch (err) {
      skipped += 1;
      skippedNames.push(`“${e.name}”${err instanceof ImportError ? ` (${err.message.replace(/\.$/, '')})` : ''}`);
    }
  }
  if (backup && drafts.length === 0 && !follows) return { label: KIND_LABELS.backup, backup };
  if (follows && drafts.length === 0) return { label: KIND_LABELS.opml, follows };
  if (drafts.length === 0) throw new ImportError(`Nothing in ${zipName} is a file Offprint can import.`);
  return { label: KIND_LABELS.zip, drafts, skipped, skippedNames, skippedItems };
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
    const outcomes: MergeOutcome[] = [];
    let highlights = 0;
    let notFound = 0;
    for (let i = 0; i < drafts.length; i += chunk) {
      throwIfCancelled(opts.signal);
      const slice = drafts.slice(i, i + chunk);
      const inputs: IncomingArticle[] = slice.map((d, j) => toNewArticle(d, prepared[i + j]!, deps.now()));
      const results = await mergeArticles(db, inputs, deps, 'import');
      for (const [j, outcome] of results.entries()) {
        const list = slice[j]!.highlights;
        if (!list?.length) continue;
        const stored = await storeImportedHighlights(db, outcome.id, list, deps);
        highlights += stored.added;
        notFound += stored.notFound;
      }
      outcomes.push(...results);
      opts.onProgress?.('saving', Math.min(drafts.length, i + chunk), drafts.length);
    }
    return { outcomes, highlights, notFound };
  });
}

/** Readwise highlight rows onto the articles they belong to, found by link, else by title. */
async function importHighlightRows(deps: ImportDeps, rows: ReadwiseRow[]) {
  const { db } = deps;
  const groups = new Map<string, ReadwiseRow[]>();
  for (const r of rows) {
    const key = r.url ? `u:${r.url}` : `t:${r.title.toLowerCase()}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return db.transaction('rw', db.tables, async () => {
    let added = 0;
    let notFound = 0;
    const unmatched: { title: string; count: number }[] = [];
    for (const list of groups.values()) {
      const first = list[0]!;
      const byUrl = first.url && /^https?:/i.test(first.url) ? await db.articles.where('url').equals(cleanUrl(first.url)).first() : undefined;
      const article = byUrl ?? (await db.articles.filter((a) => a.title.toLowerCase() === first.title.toLowerCase() && a.box !== 'trash').first());
      if (!article) {
        unmatched.push({ title: first.title || first.url || 'untitled', count: list.length });
        continue;
      }
      const stored = await storeImportedHighlights(db, article.id, list, deps);
      added += stored.added;
      notFound += stored.notFound;
    }
    return { added, unmatched, notFound };
  });
}

function toNewArticle(d: DraftArticle, p: { html: string; text: string }, now: number): IncomingArticle {
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
    // Reader state from the source tool only moves forward.
    state: { progress: d.progress, archived: d.box === 'archive' },
  };
}

function excerptOf(text: string): string | undefined {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (!flat) return undefined;
  return flat.length <= 200 ? flat : flat.slice(0, 200).replace(/\s+\S*$/, '') + '…';
}
