// Text normalization shared by the indexer, the query parser and snippets,
// so both sides of a match are folded the same way.

/** A word, code identifier or dotted/dashed name: kube-system, app.kubernetes.io, max_surge, v1.28. */
const TOKEN = /[\p{L}\p{N}_]+(?:[-.][\p{L}\p{N}_]+)*/gu;
const NON_ASCII = /[\u0080-\uffff]/;
const MARKS = /\p{M}+/gu;
/** Boundaries inside identifiers: maxUnavailable → max|Unavailable, HTTPServer → HTTP|Server. */
const CAMEL = /(?<=[\p{Ll}\p{N}])(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})/u;
const SEPARATORS = /[-._]+/;

/** Longer tokens are hashes, base64 or minified code: not worth a vocabulary slot. */
export const MAX_TOKEN_LENGTH = 40;

/**
 * Compatibility forms (mathematical bold letters, full-width, ligatures)
 * become plain characters. Done before tokenizing because NFKC can turn a
 * non-letter symbol into letters.
 */
export function compatible(text: string): string {
  return NON_ASCII.test(text) ? text.normalize('NFKC') : text;
}

/** Case and diacritics folded: "Kübernetes" → "kubernetes". */
export function fold(token: string): string {
  const lower = token.toLowerCase();
  if (!NON_ASCII.test(lower)) return lower;
  return lower.normalize('NFD').replace(MARKS, '').normalize('NFC');
}

export interface RawToken {
  /** The token as it appears in the compatible() text. */
  raw: string;
  start: number;
  end: number;
}

/** Tokens of already-compatible() text with their offsets. */
export function* rawTokens(text: string): Generator<RawToken> {
  const re = new RegExp(TOKEN); // own lastIndex: token loops may nest
  for (let m = re.exec(text); m; m = re.exec(text)) {
    yield { raw: m[0], start: m.index, end: m.index + m[0].length };
  }
}

/**
 * The folded terms one raw token contributes: the whole token plus, for
 * compound identifiers, its parts, so "maxUnavailable" is found by
 * "maxunavailable", "max" and "unavailable", and "kube-system" by "kube".
 */
export function termsOfToken(raw: string, out: (term: string) => void): void {
  if (raw.length > MAX_TOKEN_LENGTH) return;
  const whole = fold(raw);
  out(whole);
  if (!/[-._]|\p{Ll}\p{Lu}|\p{Lu}\p{Lu}\p{Ll}/u.test(raw)) return;
  for (const piece of raw.split(SEPARATORS)) {
    for (const part of piece.split(CAMEL)) {
      if (part.length < 2) continue;
      const folded = fold(part);
      if (folded !== whole) out(folded);
    }
  }
}

/** Every distinct folded term of a text. */
export function termsOf(text: string, into: Set<string> = new Set()): Set<string> {
  const add = (t: string) => into.add(t);
  for (const t of rawTokens(compatible(text))) termsOfToken(t.raw, add);
  return into;
}

/** The words of a search query, folded, in order, without repeats. */
export function queryWords(query: string): string[] {
  const words: string[] = [];
  for (const t of rawTokens(compatible(query))) {
    if (t.raw.length > MAX_TOKEN_LENGTH) continue;
    const w = fold(t.raw);
    if (!words.includes(w)) words.push(w);
  }
  return words;
}

const QUOTED = /["“”„«»]([^"“”„«»]+)["“”„«»]/g;

/** The "quoted phrases" of a query (two words or more each), folded like queryWords. */
export function queryPhrases(query: string): string[][] {
  const out: string[][] = [];
  for (const m of query.matchAll(QUOTED)) {
    const words: string[] = [];
    for (const t of rawTokens(compatible(m[1]!))) if (t.raw.length <= MAX_TOKEN_LENGTH) words.push(fold(t.raw));
    if (words.length > 1) out.push(words);
  }
  return out;
}

/** Whether the text has the phrase's words one after another (case and accents folded; punctuation between them allowed). */
export function containsPhrase(text: string, phrase: readonly string[]): boolean {
  const tokens: string[] = [];
  for (const t of rawTokens(compatible(text))) {
    tokens.push(fold(t.raw));
    const n = tokens.length;
    if (n < phrase.length) continue;
    let all = true;
    for (let i = 0; i < phrase.length && all; i++) all = tokens[n - phrase.length + i] === phrase[i];
    if (all) return true;
  }
  return false;
}
