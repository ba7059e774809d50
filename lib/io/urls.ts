import { escapeHtml, type DraftArticle } from './draft';
import { ImportError } from './errors';
import { withSkips, type DraftList } from './skips';

// An address, maybe as a list item ("- ", "* ", "• ", "1. ", "2) ") or in angle brackets, maybe followed by a title.
const URL_LINE = /^(?:[-*•+]\s+|\d{1,6}[.)]\s+)?<?(https?:\/\/[^\s<>]+)>?(?:\s+(.*))?$/i;

/** A plain text file of web addresses, one per line (blank lines, # comments and list markers allowed). */
export function looksLikeUrlList(text: string): boolean {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  return lines.length > 0 && lines.every((l) => URL_LINE.test(l));
}

export const LINK_ONLY_WARNING = 'Imported as a link only: choose “Fetch full text” to save the article itself for offline reading.';

/** A title to show until the page's own is fetched: the address without its scheme. */
function titleFor(url: URL): string {
  const path = decodeURIComponent(url.pathname).replace(/\/$/, '');
  return `${url.hostname}${path}`;
}

/** Each address becomes a link-only article; "Fetch full text" brings the text. */
export function urlListToDrafts(text: string, savedAt?: number): DraftList {
  const seen = new Set<string>();
  const drafts: DraftArticle[] = [];
  // Nothing is skipped without a word (issue 10): the import message lists these.
  let invalid = 0;
  let repeated = 0;
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const m = URL_LINE.exec(raw.trim());
    if (!m) continue;
    let url: URL;
    try {
      url = new URL(m[1]!);
    } catch {
      invalid += 1;
      continue;
    }
    if (seen.has(url.href)) {
      repeated += 1;
      continue;
    }
    seen.add(url.href);
    drafts.push({
      url: url.href,
      title: m[2]?.trim() || titleFor(url),
      html: `<p>Saved from a list of links; the article’s text is not stored yet.</p><p><a href="${escapeHtml(url.href)}">Open the original</a></p>`,
      tags: [],
      savedAt,
      captureWarning: LINK_ONLY_WARNING,
    });
  }
  if (drafts.length === 0) throw new ImportError('This file lists no web addresses.');
  return withSkips(drafts, [
    { count: repeated, reason: 'listed more than once (imported once)' },
    { count: invalid, reason: 'not a valid web address' },
  ]);
}
