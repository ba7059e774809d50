import { looksLikeBackup } from './backup';
import { ImportError } from './errors';
import { looksLikeOmnivoreMetadata } from './omnivore';
import { looksLikePocketCsv, looksLikePocketHtml } from './pocket';
import { looksLikeReadwiseCsv } from './readwise';
import { looksLikeWallabag } from './wallabag';
import { looksLikeReadwiseCsv as looksLikeReadwiseHighlightsCsv } from './highlights';
import { looksLikeUrlList } from './urls';

export type FileKind = 'backup' | 'opml' | 'feed' | 'posts' | 'json-feed' | 'pocket-csv' | 'pocket-html' | 'readwise-csv' | 'readwise-highlights' | 'wallabag' | 'omnivore' | 'markdown' | 'text' | 'page' | 'url-list';

export const KIND_LABELS: Record<FileKind | 'zip', string> = {
  backup: 'Offprint backup',
  opml: 'OPML follows',
  feed: 'RSS/Atom feed',
  posts: 'JSON posts page',
  'json-feed': 'JSON Feed',
  'pocket-csv': 'Pocket export',
  'pocket-html': 'Pocket export',
  'readwise-highlights': 'Readwise highlights',
  'readwise-csv': 'Readwise Reader export',
  wallabag: 'wallabag export',
  omnivore: 'Omnivore export',
  markdown: 'Markdown',
  text: 'Plain text',
  page: 'Saved web page',
  'url-list': 'List of links',
  zip: 'Zip archive',
};

export interface Detected {
  kind: FileKind;
  /** The parsed JSON, when the file is JSON. */
  json?: unknown;
}

/** The lower-cased column names of a CSV's first line. */
function csvHeader(head: string): string[] {
  const line = head.split(/\r?\n/, 1)[0] ?? '';
  return line.split(',').map((c) => c.trim().replace(/^"|"$/g, '').trim().toLowerCase());
}

/** A known CSV export, recognised by its header only: anything else is refused, never guessed. */
function csvKind(head: string): FileKind | undefined {
  const header = csvHeader(head);
  if (header.length < 2) return undefined;
  if (looksLikeReadwiseCsv(header)) return 'readwise-csv';
  // Readwise's highlights CSV (Highlight, Book Title, Note…; issue 13).
  if (looksLikeReadwiseHighlightsCsv(head)) return 'readwise-highlights';
  const h = new Set(header);
  // Pocket: title,url,time_added,cursor,tags,status (older exports without cursor).
  if (h.has('title') && h.has('url') && (h.has('time_added') || h.has('cursor')) && looksLikePocketCsv(head)) return 'pocket-csv';
  return undefined;
}

/** True when the start of a file holds bytes no text file has. */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  let odd = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) odd++;
  }
  return n > 0 && odd / n > 0.1;
}

/**
 * What a file is, from its content first and its name second: exports are
 * often renamed, and a .txt can hold a feed. Broken JSON is reported as
 * such rather than imported as text.
 */
export function detectKind(text: string, fileName: string): Detected {
  const name = fileName.toLowerCase();
  const head = text.slice(0, 4096).replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('{') || head.startsWith('[') || name.endsWith('.json')) {
    let json: unknown;
    try {
      json = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (err) {
      throw new ImportError(`This file looks like JSON but is broken (${err instanceof Error ? err.message : String(err)}).`);
    }
    if (looksLikeBackup(json)) return { kind: 'backup', json };
    if (typeof json === 'object' && json !== null && Array.isArray((json as { posts?: unknown }).posts)) return { kind: 'posts', json };
    const version = (json as { version?: unknown } | null)?.version;
    if (typeof version === 'string' && version.includes('jsonfeed.org')) return { kind: 'json-feed', json };
    if (looksLikeOmnivoreMetadata(json)) return { kind: 'omnivore', json };
    if (looksLikeWallabag(json)) return { kind: 'wallabag', json };
    throw new ImportError('This JSON file is not a format Offprint knows: expected an Offprint backup, a JSON Feed, a posts page, an Omnivore or a wallabag export.');
  }
  if (head.startsWith('<')) {
    const lower = head.toLowerCase();
    if (/<opml[\s>]/.test(lower)) return { kind: 'opml' };
    if (/<rss[\s>]|<feed[\s>]|<rdf:rdf[\s>]/.test(lower)) return { kind: 'feed' };
    if (/<html[\s>]|<!doctype html|<body[\s>]|<article[\s>]|<head[\s>]/.test(lower)) {
      return { kind: looksLikePocketHtml(text) ? 'pocket-html' : 'page' };
    }
    if (name.endsWith('.xml')) throw new ImportError('This XML file is neither a feed (RSS, Atom) nor OPML.');
  }
  const csv = csvKind(head);
  if (csv) return { kind: csv };
  if (name.endsWith('.csv')) {
    const columns = csvHeader(head).filter(Boolean).slice(0, 8).map((c) => `“${c}”`).join(', ');
    throw new ImportError(
      `This CSV file is not an export Offprint knows, so nothing was guessed from it. Offprint reads Pocket (title, url, time_added…), Readwise Reader (Title, URL, Document tags, Saved date, Location…) and Readwise highlights (Highlight, Book Title, Note…) CSV exports; this one has the columns ${columns || '(none)'}.`,
    );
  }
  if (/\.(md|markdown|mdown|mkd)$/.test(name)) return { kind: 'markdown' };
  if (/\.(html?|xhtml)$/.test(name)) return { kind: 'page' };
  if (/\.(opml|xml|rss|atom)$/.test(name)) throw new ImportError('This file is named like a feed or OPML but does not contain one.');
  // A text file of web addresses, one per line (issue 15): link-only articles.
  if (looksLikeUrlList(text)) return { kind: 'url-list' };
  return { kind: 'text' };
}
