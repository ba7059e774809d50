import { looksLikeBackup } from './backup';
import { ImportError } from './errors';
import { looksLikeOmnivoreMetadata } from './omnivore';
import { looksLikePocketCsv, looksLikePocketHtml } from './pocket';
import { looksLikeUrlList } from './urls';

export type FileKind = 'backup' | 'opml' | 'feed' | 'posts' | 'json-feed' | 'pocket-csv' | 'pocket-html' | 'omnivore' | 'markdown' | 'text' | 'page' | 'url-list';

export const KIND_LABELS: Record<FileKind | 'zip', string> = {
  backup: 'Offprint backup',
  opml: 'OPML follows',
  feed: 'RSS/Atom feed',
  posts: 'JSON posts page',
  'json-feed': 'JSON Feed',
  'pocket-csv': 'Pocket export',
  'pocket-html': 'Pocket export',
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
    throw new ImportError('This JSON file is not a format Offprint knows: expected an Offprint backup, a JSON Feed, a posts page or an Omnivore export.');
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
  if (name.endsWith('.csv')) {
    if (looksLikePocketCsv(text)) return { kind: 'pocket-csv' };
    throw new ImportError('This CSV file has no “title” and “url” columns, so it is not a Pocket export.');
  }
  if (looksLikePocketCsv(text) && /^title,url,time_added/i.test(head)) return { kind: 'pocket-csv' };
  if (/\.(md|markdown|mdown|mkd)$/.test(name)) return { kind: 'markdown' };
  if (/\.(html?|xhtml)$/.test(name)) return { kind: 'page' };
  if (/\.(opml|xml|rss|atom)$/.test(name)) throw new ImportError('This file is named like a feed or OPML but does not contain one.');
  // A text file of web addresses, one per line (issue 15): link-only articles.
  if (looksLikeUrlList(text)) return { kind: 'url-list' };
  return { kind: 'text' };
}
