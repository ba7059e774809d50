import { cleanTags, escapeHtml, parseDate, type DraftArticle } from './draft';
import { ImportError } from './errors';
import { withSkips, type DraftList } from './skips';
import { decodeXmlEntities } from './opml';

/** RFC 4180 CSV: quoted fields, doubled quotes, newlines inside quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quoted) {
      if (ch === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (quoted) throw new ImportError('This CSV file is cut off inside a quoted field.');
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

export function looksLikePocketCsv(text: string): boolean {
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0]!.toLowerCase();
  return /(^|,)title(,|$)/.test(header) && /(^|,)url(,|$)/.test(header);
}

/** Pocket keeps only links: the article says so and links to the original. */
function pocketBody(url: string): string {
  return `<p>Saved in Pocket. Pocket’s export holds only the title and link, not the article’s text.</p><p><a href="${escapeHtml(url)}">Open the original</a></p>`;
}

const POCKET_WARNING = 'Imported from Pocket without its text: open the original and save it again to read it offline.';

/** Pocket's CSV export (2024–2025): title,url,time_added,cursor,tags,status; tags joined with “|”. */
export function pocketCsvToDrafts(text: string): DraftList {
  const rows = parseCsv(text);
  const header = rows.shift()?.map((h) => h.trim().toLowerCase()) ?? [];
  const col = (name: string) => header.indexOf(name);
  const iUrl = col('url');
  const iTitle = col('title');
  if (iUrl < 0) throw new ImportError('This CSV file has no “url” column, so it is not a Pocket export.');
  const drafts: DraftArticle[] = [];
  let noAddress = 0;
  for (const row of rows) {
    const url = row[iUrl]?.trim();
    if (!url || !/^https?:\/\//i.test(url)) {
      noAddress += 1;
      continue;
    }
    const status = (row[col('status')] ?? '').trim().toLowerCase();
    drafts.push({
      url,
      title: row[iTitle]?.trim() || url,
      savedAt: parseDate(row[col('time_added')]),
      tags: cleanTags((row[col('tags')] ?? '').split('|')),
      html: pocketBody(url),
      box: status === 'archive' || status === 'archived' ? 'archive' : undefined,
      isRead: status === 'archive' || status === 'archived' ? 1 : undefined,
      starred: ['1', 'true'].includes((row[col('favorite')] ?? '').trim()) ? 1 : undefined,
      captureWarning: POCKET_WARNING,
    });
  }
  if (drafts.length === 0) throw new ImportError('This CSV file has no rows with a web address.');
  return withSkips(drafts, [{ count: noAddress, reason: 'rows with no web address' }]);
}

export function looksLikePocketHtml(html: string): boolean {
  return /<title>\s*Pocket Export\s*<\/title>/i.test(html);
}

/** Pocket's older HTML export (ril_export.html): lists under “Unread” and “Read Archive”. */
export function pocketHtmlToDrafts(html: string): DraftList {
  const drafts: DraftArticle[] = [];
  let noAddress = 0;
  let archived = false;
  const token = /<h1[^>]*>([\s\S]*?)<\/h1>|<a\s([^>]*)>([\s\S]*?)<\/a>/gi;
  for (let m = token.exec(html); m; m = token.exec(html)) {
    if (m[1] !== undefined) {
      archived = /archive/i.test(m[1]);
      continue;
    }
    const attrs = m[2] ?? '';
    const attr = (name: string) => decodeXmlEntities(new RegExp(`${name}\\s*=\\s*"([^"]*)"`, 'i').exec(attrs)?.[1] ?? '');
    const url = attr('href');
    if (!/^https?:\/\//i.test(url)) {
      noAddress += 1;
      continue;
    }
    drafts.push({
      url,
      title: decodeXmlEntities((m[3] ?? '').replace(/<[^>]+>/g, '')).trim() || url,
      savedAt: parseDate(attr('time_added')),
      tags: cleanTags(attr('tags')),
      html: pocketBody(url),
      box: archived ? 'archive' : undefined,
      isRead: archived ? 1 : undefined,
      captureWarning: POCKET_WARNING,
    });
  }
  if (drafts.length === 0) throw new ImportError('This Pocket export lists no articles.');
  return withSkips(drafts, [{ count: noAddress, reason: 'links that are not web addresses' }]);
}
