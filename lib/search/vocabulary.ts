// The library's vocabulary: every indexed term, sorted, with its document
// frequency. Query words are matched against it (exact, prefix, typo) and
// only the matching terms' postings are read from IndexedDB.

/** How good a vocabulary term is as a match for a query word, 0..1. */
export const QUALITY = { exact: 1, prefix: 0.8, typo1: 0.7, typoPrefix: 0.55, typo2: 0.45 } as const;

/** Caps keep a one-letter prefix or a common misspelling from fetching half the index. */
const MAX_PREFIX_TERMS = 12;
const MAX_TYPO_TERMS = 10;

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

/** Whether more than k (0..2) bits of n are set: clears the lowest set bit k times. */
function moreBitsThan(n: number, k: number): boolean {
  if (k >= 1) n &= n - 1;
  if (k >= 2) n &= n - 1;
  return n !== 0;
}

/** The lookup tables of a sorted vocabulary, computed when the index is written so loading costs nothing. */
export function vocabularyTables(words: readonly string[]): { masks: Uint32Array; byLength: Uint32Array; lengthStarts: Uint32Array } {
  const masks = Uint32Array.from(words, (w) => letterMask(w));
  let maxLength = 0;
  for (const w of words) if (w.length > maxLength) maxLength = w.length;
  const lengthStarts = new Uint32Array(maxLength + 2);
  for (const w of words) lengthStarts[w.length + 1]! += 1;
  for (let len = 1; len < lengthStarts.length; len++) lengthStarts[len]! += lengthStarts[len - 1]!;
  const fill = lengthStarts.slice();
  const byLength = new Uint32Array(words.length);
  words.forEach((w, i) => {
    byLength[fill[w.length]!++] = i;
  });
  return { masks, byLength, lengthStarts };
}

export class Vocabulary {
  private readonly masks: Uint32Array;
  private readonly byLength: Uint32Array;
  private readonly lengthStarts: Uint32Array;

  constructor(
    readonly words: readonly string[],
    readonly dfs: ArrayLike<number>,
    tables = vocabularyTables(words),
  ) {
    this.masks = tables.masks;
    this.byLength = tables.byLength;
    this.lengthStarts = tables.lengthStarts;
  }

  get size(): number {
    return this.words.length;
  }

  /** Index of the first term >= word. */
  lowerBound(word: string): number {
    let lo = 0;
    let hi = this.words.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.words[mid]! < word) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  has(word: string): boolean {
    return this.words[this.lowerBound(word)] === word;
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
    for (let i = this.lowerBound(word); i < this.words.length && this.words[i]!.startsWith(word); i++) {
      if (this.words[i] !== word) hits.push(i);
    }
    return hits;
  }

  /** Terms within the allowed typos (d = 1.5 for a typo in an unfinished word). */
  typoCandidates(word: string, prefix: boolean): { i: number; quality: number; d: number }[] {
    const k = allowedTypos(word.length);
    if (k === 0) return [];
    const scan = new BoundedDistance(word, k);
    const wordMask = letterMask(word);
    const { masks, byLength, lengthStarts, words } = this;
    const out: { i: number; quality: number; d: number }[] = [];
    // Plain loops with the letter test inline: this scan is most of a
    // keystroke's work, and a freshly opened page runs it unoptimized.
    // Each letter on one side only costs at least one edit.
    const lengths = lengthStarts.length - 1;
    for (let len = Math.max(1, word.length - k); len <= word.length + k && len < lengths; len++) {
      for (let j = lengthStarts[len]!, end = lengthStarts[len + 1]!; j < end; j++) {
        const i = byLength[j]!;
        const mask = masks[i]!;
        if (moreBitsThan(wordMask & ~mask, k) || moreBitsThan(mask & ~wordMask, k)) continue;
        const d = scan.distance(words[i]!, false);
        if (d > 0 && d <= k) out.push({ i, quality: d === 1 ? QUALITY.typo1 : QUALITY.typo2, d });
      }
    }
    if (prefix) {
      // A typo in an unfinished word ("kubern" → "kubernetes"): longer terms
      // with the same first letter, a contiguous range of the sorted vocabulary.
      const first = word.charAt(0);
      const end = this.lowerBound(String.fromCharCode(first.charCodeAt(0) + 1));
      const longer = word.length + k;
      for (let i = this.lowerBound(first); i < end; i++) {
        if (moreBitsThan(wordMask & ~masks[i]!, k) || words[i]!.length <= longer) continue;
        if (scan.distance(words[i]!, true) === 1) out.push({ i, quality: QUALITY.typoPrefix, d: 1.5 });
      }
    }
    return out;
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
  for (const { vocab, df } of layers) {
    const i = vocab.lowerBound(word);
    if (vocab.words[i] === word && df(i) > 0) keep(word, QUALITY.exact);
  }
  if (prefix) {
    const hits = layers.flatMap(({ vocab, df }) => vocab.prefixCandidates(word).map((i) => ({ term: vocab.words[i]!, df: df(i) }))).filter((h) => h.df > 0);
    if (hits.length > MAX_PREFIX_TERMS) hits.sort(byFrequency).length = MAX_PREFIX_TERMS;
    for (const h of hits) keep(h.term, QUALITY.prefix);
  }
  const typos = layers
    .flatMap(({ vocab, df }) => vocab.typoCandidates(word, prefix).map((c) => ({ term: vocab.words[c.i]!, quality: c.quality, d: c.d, df: df(c.i) })))
    .filter((t) => t.df > 0);
  typos.sort((a, b) => a.d - b.d || byFrequency(a, b));
  for (const t of typos.slice(0, MAX_TYPO_TERMS)) keep(t.term, t.quality);
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
      if (base.words[i] === term) changed.set(i, delta);
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
    const n = asPrefix ? Math.min(term.length, m + k) : term.length;
    if (!asPrefix && Math.abs(n - m) > k) return far;
    for (let j = 1; j <= n; j++) {
      const c = term.charCodeAt(j - 1);
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
