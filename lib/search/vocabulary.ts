// The library's vocabulary: every indexed term, sorted, with its document
// frequency. Query words are matched against it (exact, prefix, typo) and
// only the matching terms' postings are read from IndexedDB.

/** How good a vocabulary term is as a match for a query word, 0..1. */
export const QUALITY = { exact: 1, prefix: 0.8, typo1: 0.7, typoPrefix: 0.55, typo2: 0.45 } as const;

/** Caps keep a one-letter prefix or a common misspelling from fetching half the index. */
const MAX_PREFIX_TERMS = 12;
const MAX_TYPO_TERMS = 10;

/**
 * A word the library has as typed in at least this many articles (a page of
 * results) is taken as meant: its typos are not looked for (Typesense's
 * typo_tokens_threshold, per word). "state" then no longer also matches
 * "stage" or "slate"; a rare spelling ("recieve" in two articles) still
 * finds the common one.
 */
export const AS_TYPED_DF = 20;

export interface TermMatch {
  term: string;
  quality: number;
}

/** Typos allowed for a query word of this length (Damerau: a swap counts once). */
export function allowedTypos(length: number): number {
  return length >= 8 ? 2 : length >= 4 ? 1 : 0;
}

/** One bit per letter a-z, digit, and "other", so a-b differences are cheap to count. */
export function letterMask(word: string, length = word.length): number {
  let mask = 0;
  for (let i = 0; i < length && i < word.length; i++) {
    const c = word.charCodeAt(i);
    mask |= 1 << (c >= 97 && c <= 122 ? c - 97 : c >= 48 && c <= 57 ? 26 + ((c - 48) % 5) : 31);
  }
  return mask;
}

/**
 * Where each term starts in the terms joined by "\n" (one more entry than
 * terms: the end of the last term plus one), so a vocabulary is used as read,
 * without splitting it into hundreds of thousands of strings at open.
 */
export function termStarts(words: readonly string[]): Uint32Array {
  const starts = new Uint32Array(words.length + 1);
  let at = 0;
  words.forEach((w, i) => {
    starts[i] = at;
    at += w.length + 1;
  });
  starts[words.length] = at;
  return starts;
}

/** termStarts of an already joined vocabulary ('' has no terms). */
export function startsOfJoined(joined: string): Uint32Array {
  if (joined === '') return Uint32Array.of(0);
  let count = 1;
  for (let i = 0; i < joined.length; i++) if (joined.charCodeAt(i) === 10) count++;
  const starts = new Uint32Array(count + 1);
  let t = 1;
  for (let i = 0; i < joined.length; i++) if (joined.charCodeAt(i) === 10) starts[t++] = i + 1;
  starts[count] = joined.length + 1;
  return starts;
}

/** The lookup tables of a sorted vocabulary, computed when the index is written so loading costs nothing. */
export function vocabularyTables(words: readonly string[]): { masks: Uint32Array; starts: Uint32Array } {
  return { masks: Uint32Array.from(words, (w) => letterMask(w)), starts: termStarts(words) };
}

/** The sorted terms as stored: joined by "\n", with where each starts and (when stored) their letter masks. */
export interface JoinedTerms {
  joined: string;
  starts?: Uint32Array;
  masks?: Uint32Array;
}

export class Vocabulary {
  /** The terms joined by "\n": a term is read in place (compared, measured) and cut out only when returned. */
  private readonly joined: string;
  private readonly starts: Uint32Array;
  private readonly masks: Uint32Array;
  readonly size: number;

  constructor(
    words: readonly string[] | JoinedTerms,
    readonly dfs: ArrayLike<number>,
  ) {
    if (Array.isArray(words)) {
      const list = words as readonly string[];
      const t = vocabularyTables(list);
      this.joined = list.join('\n');
      this.starts = t.starts;
      this.masks = t.masks;
    } else {
      const rec = words as JoinedTerms;
      this.joined = rec.joined;
      this.starts = rec.starts ?? startsOfJoined(rec.joined);
      this.masks = rec.masks ?? vocabularyTables(rec.joined === '' ? [] : rec.joined.split('\n')).masks;
    }
    this.size = this.starts.length - 1;
  }

  /** Term i (a new string: for terms that are returned, not for scans). */
  word(i: number): string {
    return this.joined.slice(this.starts[i]!, this.starts[i + 1]! - 1);
  }

  lengthOf(i: number): number {
    return this.starts[i + 1]! - this.starts[i]! - 1;
  }

  /** Term i compared with word, in code-unit order (as `<` on strings). */
  compareAt(i: number, word: string): number {
    const joined = this.joined;
    const start = this.starts[i]!;
    const len = this.starts[i + 1]! - start - 1;
    const n = len < word.length ? len : word.length;
    for (let k = 0; k < n; k++) {
      const d = joined.charCodeAt(start + k) - word.charCodeAt(k);
      if (d !== 0) return d;
    }
    return len - word.length;
  }

  /** Whether term i begins with word. */
  startsWithAt(i: number, word: string): boolean {
    const start = this.starts[i]!;
    if (this.starts[i + 1]! - start - 1 < word.length) return false;
    for (let k = 0; k < word.length; k++) if (this.joined.charCodeAt(start + k) !== word.charCodeAt(k)) return false;
    return true;
  }

  /** Index of the first term >= word. */
  lowerBound(word: string): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareAt(mid, word) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Whether term i is word. */
  isAt(i: number, word: string): boolean {
    return i < this.size && this.lengthOf(i) === word.length && this.startsWithAt(i, word);
  }

  has(word: string): boolean {
    return this.isAt(this.lowerBound(word), word);
  }

  /**
   * Terms a query word may mean, best first: itself, terms it begins (when
   * `prefix`, i.e. the reader may still be typing it), and terms within a
   * typo or two.
   */
  expand(word: string, prefix: boolean): TermMatch[] {
    return expandIn([{ vocab: this, df: (i) => this.dfs[i]! }], word, prefix);
  }

  /** Indices of the terms that start with word (excluding word itself). */
  prefixCandidates(word: string): number[] {
    const hits: number[] = [];
    for (let i = this.lowerBound(word); i < this.size && this.startsWithAt(i, word); i++) {
      if (this.lengthOf(i) !== word.length) hits.push(i);
    }
    return hits;
  }

  /** Indices of the terms that begin with the code unit `c`: a contiguous range of the sorted terms. */
  firstCharRange(c: number): [number, number] {
    return [this.lowerBound(String.fromCharCode(c)), this.lowerBound(String.fromCharCode(c + 1))];
  }

  /**
   * Terms within the allowed typos (d = 1.5 for a typo in an unfinished
   * word). A typo on the first character counts as two (Meilisearch's rule:
   * first letters are seldom mistyped), so a candidate shares the word's
   * first character — one contiguous range of the sorted terms, scanned once
   * for whole-word and unfinished-word typos — or, for a word allowed two
   * typos, is the word with only its first character changed, added,
   * dropped or swapped with the next (found by exact lookups). The scan is
   * bounded by one letter's share of the vocabulary, not all of it.
   */
  typoCandidates(word: string, prefix: boolean): { i: number; quality: number; d: number }[] {
    const k = allowedTypos(word.length);
    if (k === 0) return [];
    const scan = new BoundedDistance(word, k);
    const wordMask = letterMask(word);
    const { masks, joined, starts } = this;
    const out: { i: number; quality: number; d: number }[] = [];
    const shortest = word.length - k;
    const longest = word.length + k;
    // Plain loops with the letter test inline: a freshly opened page runs
    // this unoptimized. Each letter on one side only costs an edit at least.
    // Terms are read in place in the joined vocabulary: the scan makes no strings.
    const [lo, hi] = this.firstCharRange(word.charCodeAt(0));
    for (let i = lo; i < hi; i++) {
      const start = starts[i]!;
      const len = starts[i + 1]! - start - 1;
      if (len < shortest) continue;
      const mask = masks[i]!;
      let missing = wordMask & ~mask;
      if (k >= 1) missing &= missing - 1;
      if (k >= 2) missing &= missing - 1;
      if (missing !== 0) continue;
      if (len > longest) {
        // A typo in an unfinished word ("kubernets" → "kubernetes-operator").
        if (prefix && scan.distanceAt(joined, start, len, true) === 1) out.push({ i, quality: QUALITY.typoPrefix, d: 1.5 });
        continue;
      }
      let extra = mask & ~wordMask;
      if (k >= 1) extra &= extra - 1;
      if (k >= 2) extra &= extra - 1;
      if (extra !== 0) continue;
      const d = scan.distanceAt(joined, start, len, false);
      if (d > 0 && d <= k) out.push({ i, quality: d === 1 ? QUALITY.typo1 : QUALITY.typo2, d });
    }
    if (k >= 2) for (const i of this.firstCharTypos(word)) out.push({ i, quality: QUALITY.typo2, d: 2 });
    return out;
  }

  /** Terms that are `word` with its first character changed, added, dropped or swapped with the second (two typos each). */
  private firstCharTypos(word: string): number[] {
    const first = word.charCodeAt(0);
    const rest = word.slice(1);
    const found = new Set<number>();
    const lookup = (term: string) => {
      const i = this.lowerBound(term);
      if (this.isAt(i, term)) found.add(i);
    };
    if (rest.charCodeAt(0) !== first) {
      lookup(rest);
      lookup(rest.charAt(0) + word.charAt(0) + rest.slice(1));
    }
    // Every other first character the vocabulary has, one range at a time.
    for (let i = 0; i < this.size; ) {
      const c = this.joined.charCodeAt(this.starts[i]!);
      if (c !== first && this.lengthOf(i) > 0) {
        const other = String.fromCharCode(c);
        lookup(other + rest);
        lookup(other + word);
      }
      i = this.lowerBound(String.fromCharCode(c + 1));
    }
    return [...found];
  }
}

/** A vocabulary and the current document frequency of each of its terms (0: no longer in the library). */
export interface VocabularyLayer {
  vocab: Vocabulary;
  df: (i: number) => number;
}

/**
 * Expansion over one or more vocabularies (the compacted one and the terms
 * added since), with the caps applied to their union so the answer is the
 * same as from a single compacted vocabulary.
 */
export function expandIn(layers: readonly VocabularyLayer[], word: string, prefix: boolean): TermMatch[] {
  const found = new Map<string, number>();
  const keep = (term: string, quality: number) => {
    if ((found.get(term) ?? 0) < quality) found.set(term, quality);
  };
  const byFrequency = (a: { term: string; df: number }, b: { term: string; df: number }) => b.df - a.df || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0);
  let typedDf = 0;
  for (const { vocab, df } of layers) {
    const i = vocab.lowerBound(word);
    if (vocab.isAt(i, word)) typedDf += df(i);
  }
  if (typedDf > 0) keep(word, QUALITY.exact);
  if (prefix) {
    const hits = layers.flatMap(({ vocab, df }) => vocab.prefixCandidates(word).map((i) => ({ term: vocab.word(i), df: df(i) }))).filter((h) => h.df > 0);
    if (hits.length > MAX_PREFIX_TERMS) hits.sort(byFrequency).length = MAX_PREFIX_TERMS;
    for (const h of hits) keep(h.term, QUALITY.prefix);
  }
  // Taken as typed: no typo scan (and no typo terms' postings to read).
  if (typedDf < AS_TYPED_DF) {
    const typos = layers
      .flatMap(({ vocab, df }) => vocab.typoCandidates(word, prefix).map((c) => ({ term: vocab.word(c.i), quality: c.quality, d: c.d, df: df(c.i) })))
      .filter((t) => t.df > 0);
    typos.sort((a, b) => a.d - b.d || byFrequency(a, b));
    for (const t of typos.slice(0, MAX_TYPO_TERMS)) keep(t.term, t.quality);
  }
  return whenExact(word, found.has(word), [...found].map(([term, quality]) => ({ term, quality }))).sort((a, b) => b.quality - a.quality);
}

/** A typo or prefix match counts this much of itself when the word is also in the library as typed. */
export const NOT_AS_TYPED = 0.1;

/**
 * When the library has the word as typed, an exact match in any field ranks
 * above typo and prefix matches ("etcd" before "etc."), and a number or a
 * one- or two-letter word means only itself ("2" is not "2011").
 */
export function whenExact(word: string, exact: boolean, matches: TermMatch[]): TermMatch[] {
  if (!exact) return matches;
  if (onlyAsTyped(word)) return matches.filter((m) => m.term === word);
  return matches.map((m) => (m.term === word ? m : { term: m.term, quality: m.quality * NOT_AS_TYPED }));
}

export function onlyAsTyped(word: string): boolean {
  return word.length <= 2 || /^\d+$/.test(word);
}

/**
 * The compacted vocabulary plus the document-frequency deltas written since:
 * what a search sees, without rebuilding the big vocabulary's tables.
 */
export class Lexicon {
  private readonly layers: VocabularyLayer[];

  constructor(
    readonly base: Vocabulary,
    deltas: ReadonlyMap<string, number>,
  ) {
    const changed = new Map<number, number>();
    const added: string[] = [];
    deltas.forEach((delta, term) => {
      const i = base.lowerBound(term);
      if (base.isAt(i, term)) changed.set(i, delta);
      else if (delta > 0) added.push(term);
    });
    added.sort();
    const extra = new Vocabulary(added, Uint32Array.from(added, (t) => deltas.get(t)!));
    this.layers = [
      { vocab: base, df: changed.size ? (i) => base.dfs[i]! + (changed.get(i) ?? 0) : (i) => base.dfs[i]! },
      { vocab: extra, df: (i) => extra.dfs[i]! },
    ];
    this.size = base.size + added.length;
  }

  /** Terms, counting those added since compaction (and those since removed). */
  readonly size: number;

  expand(word: string, prefix: boolean): TermMatch[] {
    return expandIn(this.layers, word, prefix);
  }
}

/**
 * Optimal-string-alignment distance from one query word to many terms. Only
 * the diagonal band of width 2k+1 is computed, and a term is given up as
 * soon as every alignment needs more than k edits, so most terms cost a few
 * character comparisons.
 */
export class BoundedDistance {
  private readonly q: Int32Array;
  private before: Int32Array;
  private prev: Int32Array;
  private cur: Int32Array;

  constructor(
    word: string,
    private readonly k: number,
  ) {
    this.q = Int32Array.from(word, (c) => c.charCodeAt(0));
    const n = this.q.length + 2;
    this.before = new Int32Array(n);
    this.prev = new Int32Array(n);
    this.cur = new Int32Array(n);
  }

  /**
   * Edits to turn the query word into `term` (or, with `asPrefix`, into the
   * best prefix of `term`); k+1 when above k.
   */
  distance(term: string, asPrefix = false): number {
    return this.distanceAt(term, 0, term.length, asPrefix);
  }

  /** distance to the `length` code units of `source` from `start` (a term read in place). */
  distanceAt(source: string, start: number, length: number, asPrefix: boolean): number {
    const q = this.q;
    const m = q.length;
    const k = this.k;
    const far = k + 1;
    let before = this.before;
    let prev = this.prev;
    let cur = this.cur;
    for (let i = 0; i <= m; i++) prev[i] = i <= k ? i : far;
    prev[m + 1] = far;
    let best = asPrefix && m <= k ? m : far;
    let prevChar = -1;
    const n = asPrefix ? Math.min(length, m + k) : length;
    if (!asPrefix && Math.abs(n - m) > k) return far;
    for (let j = 1; j <= n; j++) {
      const c = source.charCodeAt(start + j - 1);
      const lo = j - k > 1 ? j - k : 1;
      const hi = j + k < m ? j + k : m;
      cur[lo - 1] = lo === 1 ? (j <= k ? j : far) : far;
      let rowMin = cur[lo - 1]!;
      for (let i = lo; i <= hi; i++) {
        const qi = q[i - 1]!;
        let v = prev[i - 1]! + (qi === c ? 0 : 1);
        const del = prev[i]! + 1;
        if (del < v) v = del;
        const ins = cur[i - 1]! + 1;
        if (ins < v) v = ins;
        if (i > 1 && qi === prevChar && q[i - 2] === c) {
          const swap = before[i - 2]! + 1;
          if (swap < v) v = swap;
        }
        if (v > far) v = far;
        cur[i] = v;
        if (v < rowMin) rowMin = v;
      }
      if (hi < m) cur[hi + 1] = far;
      if (asPrefix && hi === m && cur[m]! < best) best = cur[m]!;
      if (rowMin > k) return asPrefix ? best : far;
      const t = before;
      before = prev;
      prev = cur;
      cur = t;
      prevChar = c;
    }
    if (asPrefix) return best;
    return n >= m - k && n <= m + k ? Math.min(prev[m]!, far) : far;
  }
}
