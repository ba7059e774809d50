// The library's vocabulary: every indexed term, sorted, with its document
// frequency. Query words are matched against it (exact, prefix, typo) and
// only the matching terms' postings are read from IndexedDB.

/** How good a vocabulary term is as a match for a query word, 0..1. */
export const QUALITY = { exact: 1, prefix: 0.8, typo1: 0.7, typoPrefix: 0.55, typo2: 0.45 } as const;

/** Caps keep a one-letter prefix or a common misspelling from fetching half the index. */
const MAX_PREFIX_TERMS = 40;
const MAX_TYPO_TERMS = 30;

export interface TermMatch {
  term: string;
  quality: number;
}

/** Typos allowed for a query word of this length (Damerau: a swap counts once). */
export function allowedTypos(length: number): number {
  return length >= 8 ? 2 : length >= 4 ? 1 : 0;
}

export class Vocabulary {
  /** Term indices grouped by term length, for the typo scan. */
  private readonly byLength: Int32Array[] = [];

  constructor(
    readonly words: readonly string[],
    readonly dfs: ArrayLike<number>,
  ) {
    const counts: number[] = [];
    for (const w of words) counts[w.length] = (counts[w.length] ?? 0) + 1;
    const fill: number[] = [];
    for (let len = 0; len < counts.length; len++) {
      this.byLength[len] = new Int32Array(counts[len] ?? 0);
      fill[len] = 0;
    }
    words.forEach((w, i) => {
      this.byLength[w.length]![fill[w.length]!++] = i;
    });
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
    const found = new Map<string, number>();
    const keep = (term: string, quality: number) => {
      if ((found.get(term) ?? 0) < quality) found.set(term, quality);
    };
    if (this.has(word)) keep(word, QUALITY.exact);
    if (prefix) for (const t of this.prefixed(word)) keep(t, QUALITY.prefix);
    for (const m of this.typos(word, prefix)) keep(m.term, m.quality);
    return [...found].map(([term, quality]) => ({ term, quality })).sort((a, b) => b.quality - a.quality);
  }

  /** The most frequent terms that start with word (excluding word itself). */
  private prefixed(word: string): string[] {
    const hits: number[] = [];
    for (let i = this.lowerBound(word); i < this.words.length && this.words[i]!.startsWith(word); i++) {
      if (this.words[i] !== word) hits.push(i);
    }
    if (hits.length > MAX_PREFIX_TERMS) hits.sort((a, b) => this.dfs[b]! - this.dfs[a]!).length = MAX_PREFIX_TERMS;
    return hits.map((i) => this.words[i]!);
  }

  private typos(word: string, prefix: boolean): TermMatch[] {
    const k = allowedTypos(word.length);
    if (k === 0) return [];
    const scan = new BoundedDistance(word, k);
    const out: { i: number; quality: number; d: number }[] = [];
    const maxLen = prefix ? this.byLength.length - 1 : word.length + k;
    for (let len = Math.max(1, word.length - k); len <= maxLen && len < this.byLength.length; len++) {
      const bucket = this.byLength[len]!;
      // Longer terms only as typo-prefixes: "kubernt" while typing "kubernetes".
      const asPrefix = len > word.length + k;
      for (let j = 0; j < bucket.length; j++) {
        const i = bucket[j]!;
        const term = this.words[i]!;
        const d = scan.distance(term, asPrefix);
        if (d > k) continue;
        if (asPrefix) {
          if (d === 1) out.push({ i, quality: QUALITY.typoPrefix, d: 1.5 });
        } else if (d > 0) {
          out.push({ i, quality: d === 1 ? QUALITY.typo1 : QUALITY.typo2, d });
        }
      }
    }
    out.sort((a, b) => a.d - b.d || this.dfs[b.i]! - this.dfs[a.i]!);
    return out.slice(0, MAX_TYPO_TERMS).map((o) => ({ term: this.words[o.i]!, quality: o.quality }));
  }
}

/**
 * Optimal-string-alignment distance from one query word to many terms,
 * giving up as soon as every alignment needs more than k edits (most terms
 * are rejected after two or three characters).
 */
export class BoundedDistance {
  private readonly q: Int32Array;
  private rows: [Int32Array, Int32Array, Int32Array];

  constructor(
    word: string,
    private readonly k: number,
  ) {
    this.q = Int32Array.from(word, (c) => c.charCodeAt(0));
    const n = this.q.length + 1;
    this.rows = [new Int32Array(n), new Int32Array(n), new Int32Array(n)];
  }

  /**
   * Edits to turn the query word into `term` (or, with `asPrefix`, into the
   * best prefix of `term`); k+1 when above k.
   */
  distance(term: string, asPrefix = false): number {
    const q = this.q;
    const m = q.length;
    const k = this.k;
    let [before, prev, cur] = this.rows;
    for (let i = 0; i <= m; i++) prev[i] = i;
    let best = asPrefix ? m : k + 1;
    let prevChar = -1;
    for (let j = 1; j <= term.length; j++) {
      const c = term.charCodeAt(j - 1);
      cur[0] = j;
      let rowMin = j;
      for (let i = 1; i <= m; i++) {
        const qi = q[i - 1]!;
        let v = prev[i - 1]! + (qi === c ? 0 : 1);
        const del = prev[i]! + 1;
        if (del < v) v = del;
        const ins = cur[i - 1]! + 1;
        if (ins < v) v = ins;
        if (i > 1 && j > 1 && qi === prevChar && q[i - 2] === c) {
          const swap = before[i - 2]! + 1;
          if (swap < v) v = swap;
        }
        cur[i] = v;
        if (v < rowMin) rowMin = v;
      }
      if (asPrefix && cur[m]! < best) best = cur[m]!;
      if (rowMin > k) return asPrefix ? Math.min(best, k + 1) : k + 1;
      [before, prev, cur] = [prev, cur, before];
      prevChar = c;
    }
    this.rows = [before, prev, cur];
    return asPrefix ? Math.min(best, k + 1) : Math.min(prev[m]!, k + 1);
  }
}
