// A brute-force reference that reads the library once, article by article
// (a 50,000-article library is never held at once): for each of the bench
// queries, the top 10 by the index's own scoring (recall@10) and which
// articles match every query word at all (valid@10, the neutral measure).
import { queryWords } from '../../lib/search/normalize';
import { articleTerms, WEIGHT_OF_BITS } from '../../lib/search/terms';
import { allowedTypos, AS_TYPED_DF, NOT_AS_TYPED, onlyAsTyped, QUALITY } from '../../lib/search/vocabulary';
import { quality } from './search-reference';
import type { SyntheticArticle } from './search-library';

interface Slot {
  query: number;
  word: number;
  text: string;
  prefix: boolean;
}

function letters(w: string): Set<string> {
  return new Set(w);
}

export class StreamingReference {
  private readonly slots: Slot[] = [];
  private readonly words: string[][];
  /** term → [slot, quality] pairs with quality > 0, computed once per distinct term. */
  private readonly memo = new Map<string, [number, number][]>();
  /** Per query, for each article matching every word: its number, date, and per word the best exact, prefix and typo score. */
  private readonly rows: number[][];
  /** Whether the word of each slot occurs as typed somewhere in the library. */
  /** Articles holding the word of each slot as typed (AS_TYPED_DF or more: its typos do not match). */
  private readonly exactDf: Uint32Array;
  private readonly exactSeen: Uint8Array;
  /** Article number → matches every word of query q (ids are art-NNNNN). */
  readonly matchesAll: Uint8Array[];

  constructor(
    readonly queries: readonly string[],
    size: number,
  ) {
    this.words = queries.map((q) => queryWords(q));
    this.words.forEach((ws, q) => ws.forEach((w, i) => this.slots.push({ query: q, word: i, text: w, prefix: i === ws.length - 1 || w.length >= 3 })));
    this.rows = queries.map(() => []);
    this.exactSeen = new Uint8Array(this.slots.length);
    this.exactDf = new Uint32Array(this.slots.length);
    this.matchesAll = queries.map(() => new Uint8Array(size));
  }

  private qualities(term: string): [number, number][] {
    let m = this.memo.get(term);
    if (m) return m;
    m = [];
    const have = letters(term);
    for (let s = 0; s < this.slots.length; s++) {
      const { text, prefix } = this.slots[s]!;
      const k = allowedTypos(text.length);
      // A letter of the word missing from the term costs an edit at least: a cheap, exact filter before the plain DP.
      if (!term.startsWith(text) && text !== term) {
        let missing = 0;
        for (const c of letters(text)) if (!have.has(c)) missing++;
        if (missing > k) continue;
      }
      const q = quality(text, term, prefix);
      if (q > 0) m.push([s, q]);
      if (term === text) this.exactSeen[s] = 1;
    }
    this.memo.set(term, m);
    return m;
  }

  add({ article, content }: SyntheticArticle, index: number): void {
    const exact = new Float64Array(this.slots.length);
    const prefix = new Float64Array(this.slots.length);
    const typo = new Float64Array(this.slots.length);
    for (const [term, bits] of articleTerms({ article, text: content.text })) {
      const w = WEIGHT_OF_BITS[bits]!;
      for (const [s, q] of this.qualities(term)) {
        const arr = term === this.slots[s]!.text ? exact : q === QUALITY.prefix ? prefix : typo;
        if (q * w > arr[s]!) arr[s] = q * w;
      }
    }
    for (let s = 0; s < this.slots.length; s++) if (exact[s]) this.exactDf[s]!++;
    let s = 0;
    this.words.forEach((ws, q) => {
      const from = s;
      s += ws.length;
      let ok = true;
      for (let i = from; i < s; i++) if (!exact[i] && !prefix[i] && !typo[i]) ok = false;
      if (!ok) return;
      this.matchesAll[q]![index] = 1;
      const row = this.rows[q]!;
      row.push(index, article.sortAt);
      for (let i = from; i < s; i++) row.push(exact[i]!, prefix[i]!, typo[i]!);
    });
  }

  /** The reference top 10 of query q, scored as the index does once the whole library is known. */
  expected(q: number): string[] {
    const ws = this.words[q]!;
    const first = this.slots.findIndex((sl) => sl.query === q);
    const stride = 2 + 3 * ws.length;
    const row = this.rows[q]!;
    const scored: { n: number; score: number; sortAt: number }[] = [];
    for (let at = 0; at < row.length; at += stride) {
      let total = 0;
      let ok = true;
      for (let i = 0; i < ws.length; i++) {
        const e = row[at + 2 + 3 * i]!;
        const typo = this.exactDf[first + i]! >= AS_TYPED_DF ? 0 : row[at + 4 + 3 * i]!;
        let o = Math.max(row[at + 3 + 3 * i]!, typo);
        if (this.exactSeen[first + i]) o = onlyAsTyped(ws[i]!) ? 0 : o * NOT_AS_TYPED;
        const best = Math.fround(Math.max(e, o));
        if (best === 0) ok = false;
        total = Math.fround(total + best);
      }
      if (ok) scored.push({ n: row[at]!, score: total, sortAt: row[at + 1]! });
    }
    scored.sort((a, b) => b.score - a.score || b.sortAt - a.sortAt);
    return scored.slice(0, 10).map((t) => `art-${String(t.n).padStart(5, '0')}`);
  }

  /** Whether article id (art-NNNNN) matches every word of query q. */
  valid(q: number, id: string): boolean {
    const n = Number(id.slice(4));
    return Number.isInteger(n) && this.matchesAll[q]![n] === 1;
  }
}
