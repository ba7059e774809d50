import { compatible, fold, rawTokens, termsOfToken } from './normalize';

/** A piece of text to show, highlighted when it matched the query. */
export interface Segment {
  text: string;
  hit: boolean;
}

function tokenMatches(raw: string, terms: ReadonlySet<string>): boolean {
  if (terms.has(fold(raw))) return true;
  let hit = false;
  termsOfToken(raw, (t) => {
    hit ||= terms.has(t);
  });
  return hit;
}

/** A short text (a title) split into matched and unmatched pieces. */
export function highlight(text: string, terms: ReadonlySet<string>): Segment[] {
  const shown = compatible(text);
  return segments(shown, 0, shown.length, terms);
}

function segments(text: string, from: number, to: number, terms: ReadonlySet<string>): Segment[] {
  const out: Segment[] = [];
  let at = from;
  const window = text.slice(from, to);
  for (const t of rawTokens(window)) {
    if (!tokenMatches(t.raw, terms)) continue;
    if (t.start + from > at) out.push({ text: text.slice(at, t.start + from), hit: false });
    out.push({ text: t.raw, hit: true });
    at = t.end + from;
  }
  if (at < to) out.push({ text: text.slice(at, to), hit: false });
  return out;
}

/**
 * About `width` characters of body text around its first matching word,
 * cut at word boundaries, with the matching words highlighted; the start of
 * the text when nothing in the body matched (a title or author match).
 */
export function snippet(text: string, terms: ReadonlySet<string>, width = 160): Segment[] {
  const shown = compatible(text).replace(/\s+/g, ' ');
  let first = -1;
  for (const t of rawTokens(shown)) {
    if (tokenMatches(t.raw, terms)) {
      first = t.start;
      break;
    }
  }
  let from = first < 0 ? 0 : Math.max(0, first - Math.floor(width / 3));
  let to = Math.min(shown.length, from + width);
  if (from > 0) from = wordStart(shown, from);
  if (to < shown.length) to = wordEnd(shown, to);
  const out = segments(shown, from, to, terms);
  if (from > 0) out.unshift({ text: '…', hit: false });
  if (to < shown.length) out.push({ text: '…', hit: false });
  return out;
}

function wordStart(text: string, at: number): number {
  const space = text.indexOf(' ', at);
  return space < 0 || space - at > 20 ? at : space + 1;
}

function wordEnd(text: string, at: number): number {
  const space = text.lastIndexOf(' ', at);
  return space < 0 || at - space > 20 ? at : space;
}
