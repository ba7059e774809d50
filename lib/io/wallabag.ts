import { cleanTags, escapeHtml, parseDate, type DraftArticle } from './draft';
import { ImportError } from './errors';
import { withSkips, type DraftList } from './skips';

/** One entry of wallabag's v2 JSON export (Export → JSON). */
interface WallabagEntry {
  id?: number;
  title?: string;
  url?: string;
  given_url?: string;
  content?: string;
  is_archived?: number | boolean;
  is_starred?: number | boolean;
  tags?: unknown;
  created_at?: string;
  updated_at?: string;
  published_at?: string;
  published_by?: unknown;
  language?: string;
  preview_picture?: string;
  domain_name?: string;
  mimetype?: string;
}

export function looksLikeWallabag(value: unknown): value is WallabagEntry[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => typeof v === 'object' && v !== null && 'url' in v) &&
    value.some((v) => 'is_archived' in v || 'is_starred' in v)
  );
}

function author(by: unknown): string | undefined {
  if (Array.isArray(by)) return by.filter((b) => typeof b === 'string' && b.trim()).join(', ') || undefined;
  return typeof by === 'string' && by.trim() ? by.trim() : undefined;
}

/** wallabag v2 JSON: the stored article HTML, tags, archived and starred, saved and published dates. */
export function wallabagToDrafts(entries: WallabagEntry[]): DraftList {
  const drafts: DraftArticle[] = [];
  let noAddress = 0;
  for (const e of entries) {
    const url = typeof e.url === 'string' && /^https?:\/\//i.test(e.url) ? e.url : typeof e.given_url === 'string' && /^https?:\/\//i.test(e.given_url) ? e.given_url : undefined;
    if (!url) {
      noAddress += 1;
      continue;
    }
    const archived = e.is_archived === 1 || e.is_archived === true;
    const content = typeof e.content === 'string' && e.content.trim() ? e.content : undefined;
    drafts.push({
      url,
      title: e.title?.trim() || url,
      author: author(e.published_by),
      siteName: e.domain_name || undefined,
      lang: typeof e.language === 'string' ? e.language.slice(0, 10) : undefined,
      leadImage: typeof e.preview_picture === 'string' && /^https?:\/\//i.test(e.preview_picture) ? e.preview_picture : undefined,
      savedAt: parseDate(e.created_at),
      updatedAt: parseDate(e.updated_at),
      publishedAt: parseDate(e.published_at),
      tags: cleanTags(e.tags),
      html: content ?? `<p><a href="${escapeHtml(url)}">Open the original</a></p>`,
      isRead: archived ? 1 : undefined,
      starred: e.is_starred === 1 || e.is_starred === true ? 1 : undefined,
      box: archived ? 'archive' : undefined,
      captureWarning: content ? undefined : 'wallabag’s export held no text for this article: open the original and save it again to read it offline.',
    });
  }
  if (drafts.length === 0) throw new ImportError('This wallabag export lists no articles with a web address.');
  return withSkips(drafts, noAddress ? [{ count: noAddress, reason: 'entries with no web address' }] : []);
}
