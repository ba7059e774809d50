import { cleanTags, escapeHtml, parseDate, type DraftArticle } from './draft';
import { ImportError } from './errors';
import { parseCsv } from './pocket';
import { withSkips, type DraftList } from './skips';

/**
 * Readwise Reader's CSV export (Settings → Export): one row per document with
 * Title, URL, ID, Document tags (a Python-style list), Saved date, Reading
 * progress (0..1), Location (new, later, shortlist, archive, feed) and Seen.
 * It holds no article text.
 */
export function looksLikeReadwiseCsv(header: string[]): boolean {
  const h = new Set(header);
  return h.has('url') && (h.has('document tags') || (h.has('location') && h.has('saved date')));
}

/** "['devops', 'k8s']", '["a"]' or "a, b". */
export function readwiseTags(raw: string | undefined): string[] {
  const s = (raw ?? '').trim();
  if (!s) return [];
  if (s.startsWith('[')) {
    const inner = s.slice(1, -1);
    const quoted = [...inner.matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g)].map((m) => (m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1'));
    return cleanTags(quoted.length ? quoted : inner.split(','));
  }
  return cleanTags(s.split(','));
}

/** "2024-03-01 10:20:30+00:00" (Python's str of a datetime) or ISO. */
function readwiseDate(raw: string | undefined): number | undefined {
  const s = (raw ?? '').trim();
  if (!s) return undefined;
  return parseDate(/^\d{4}-\d\d-\d\d \d/.test(s) ? s.replace(' ', 'T') : s);
}

const WARNING = 'Imported from Readwise Reader without its text: open the original and save it again to read it offline.';

export function readwiseCsvToDrafts(text: string): DraftList {
  const rows = parseCsv(text);
  const header = rows.shift()?.map((h) => h.trim().toLowerCase()) ?? [];
  const col = (name: string) => header.indexOf(name);
  const get = (row: string[], name: string) => (col(name) >= 0 ? row[col(name)]?.trim() : undefined);
  const drafts: DraftArticle[] = [];
  let noAddress = 0;
  for (const row of rows) {
    const url = get(row, 'url');
    if (!url || !/^https?:\/\//i.test(url)) {
      noAddress += 1;
      continue;
    }
    const location = (get(row, 'location') ?? '').toLowerCase();
    const progress = Number(get(row, 'reading progress'));
    const archived = location === 'archive';
    drafts.push({
      url,
      title: get(row, 'title') || url,
      author: get(row, 'author') || undefined,
      savedAt: readwiseDate(get(row, 'saved date')),
      publishedAt: readwiseDate(get(row, 'published date')),
      tags: readwiseTags(get(row, 'document tags')),
      html: `<p>Saved in Readwise Reader. Its export holds only the title and link, not the article’s text.</p><p><a href="${escapeHtml(url)}">Open the original</a></p>`,
      progress: Number.isFinite(progress) && progress > 0 ? Math.min(1, progress > 1 ? progress / 100 : progress) : undefined,
      isRead: archived || (Number.isFinite(progress) && progress >= 0.98) ? 1 : undefined,
      box: archived ? 'archive' : undefined,
      captureWarning: WARNING,
    });
  }
  if (drafts.length === 0) throw new ImportError('This Readwise Reader export has no rows with a web address.');
  return withSkips(drafts, noAddress ? [{ count: noAddress, reason: 'rows with no web address' }] : []);
}
