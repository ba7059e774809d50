import { compatible, fold, rawTokens, termsOfToken } from './normalize';

/** A piece of text to show, highlighted when it matched the query. */
export interface Segment {
  text: string;
  hit: boolean;
}

export function tokenMatches(raw: string, terms: ReadonlySet<string>): boolean {
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
  const shown = compatible(text);
  const first = firstMatch(shown, terms);
  let from = first < 0 ? 0 : Math.max(0, first - Math.floor(width / 3));
  let to = Math.min(shown.length, from + width);
  if (from > 0) from = wordStart(shown, from);
  if (to < shown.length) to = wordEnd(shown, to);
  const out = segments(shown, from, to, terms).map((s) => ({ text: s.text.replace(/\s+/g, ' '), hit: s.hit }));
  if (from > 0) out.unshift({ text: '…', hit: false });
  if (to < shown.length) out.push({ text: '…', hit: false });
  return out;
}

const patterns = new WeakMap<ReadonlySet<string>, RegExp>();

/** One regular expression finding any of the terms as a substring of folded text. */
function patternOf(terms: ReadonlySet<string>): RegExp | undefined {
  if (terms.size === 0) return undefined;
  let re = patterns.get(terms);
  if (!re) {
    const alternatives = [...terms].sort((a, b) => b.length - a.length).map((t) => t.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'));
    re = new RegExp(alternatives.join('|'), 'g');
    patterns.set(terms, re);
  }
  return re;
}

/**
 * Case and diacritics folded without changing the length, so offsets in
 * the result are offsets in the text (an accented letter keeps its base).
 */
function foldSameLength(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length !== text.length) return text;
  return lower.replace(/[\u0080-\uffff]/g, (c) => c.normalize('NFD')[0] ?? c);
}

const TOKEN_CHAR = /[\p{L}\p{N}_.-]/u;

/** Text folded for the substring search a piece at a time (see firstMatch). */
const FOLD_PIECE = 2048;

/**
 * Start of the first token that matches a term. Candidates are found by a
 * fast substring search over the folded text, then checked as whole tokens
 * (so "pod" does not stop at "podcast"). The text is folded a piece at a
 * time (each piece overlapping the next by a term's length): the first match
 * is usually early, and folding every shown article whole was most of what a
 * keystroke allocated.
 */
function firstMatch(shown: string, terms: ReadonlySet<string>): number {
  const re = patternOf(terms);
  if (!re) return -1;
  let longest = 0;
  for (const t of terms) if (t.length > longest) longest = t.length;
  for (let base = 0; base < shown.length; base += FOLD_PIECE) {
    const folded = foldSameLength(shown.slice(base, Math.min(shown.length, base + FOLD_PIECE + longest - 1)));
    re.lastIndex = 0;
    for (let m = re.exec(folded); m; m = re.exec(folded)) {
      // Starting in the overlap: the next piece finds it.
      if (m.index >= FOLD_PIECE) break;
      let start = base + m.index;
      while (start > 0 && TOKEN_CHAR.test(shown[start - 1]!)) start--;
      const token = rawTokens(shown.slice(start, Math.min(shown.length, start + 200))).next().value;
      if (!token) continue;
      if (tokenMatches(token.raw, terms)) return start + token.start;
      re.lastIndex = Math.max(re.lastIndex, start + token.end - base);
    }
  }
  return -1;
}

function wordStart(text: string, at: number): number {
  const space = text.slice(at, at + 20).search(/\s/);
  return space < 0 ? at : at + space + 1;
}

function wordEnd(text: string, at: number): number {
  const space = text.slice(Math.max(0, at - 20), at).search(/\s\S*$/);
  return space < 0 ? at : Math.max(0, at - 20) + space;
}
