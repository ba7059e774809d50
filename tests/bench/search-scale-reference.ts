// A brute-force reference that reads the library once, article by article
// (a 50,000-article library is never held at once): for each of the bench
// queries, the top 10 by the index's own scoring (recall@10) and which
// articles match every query word at all (valid@10, the neutral measure).
import { queryWords } from '../../lib/search/normalize';
import { articleTerms, WEIGHT_OF_BITS } from '../../lib/search/terms';
import { allowedTypos } from '../../lib/search/vocabulary';
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
  private readonly top: { id: string; score: number; sortAt: number }[][];
  /** Article number → matches every word of query q (ids are art-NNNNN). */
  readonly matchesAll: Uint8Array[];

  constructor(
    readonly queries: readonly string[],
    size: number,
  ) {
    this.words = queries.map((q) => queryWords(q));
    this.words.forEach((ws, q) => ws.forEach((w, i) => this.slots.push({ query: q, word: i, text: w, prefix: i === ws.length - 1 || w.length >= 3 })));
    this.top = queries.map(() => []);
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
    }
    this.memo.set(term, m);
    return m;
  }

  add({ article, content }: SyntheticArticle, index: number): void {
    const best = new Float32Array(this.slots.length);
    const matched = new Uint8Array(this.slots.length);
    for (const [term, bits] of articleTerms({ article, text: content.text })) {
      const w = WEIGHT_OF_BITS[bits]!;
      for (const [s, q] of this.qualities(term)) {
        matched[s] = 1;
        const v = Math.fround(q * w);
        if (v > best[s]!) best[s] = v;
      }
    }
    let s = 0;
    this.words.forEach((ws, q) => {
      let ok = true;
      let total = 0;
      for (let i = 0; i < ws.length; i++, s++) {
        if (!matched[s]) ok = false;
        total = Math.fround(total + best[s]!);
      }
      if (!ok) return;
      this.matchesAll[q]![index] = 1;
      const top = this.top[q]!;
      top.push({ id: article.id, score: total, sortAt: article.sortAt });
      if (top.length > 40) {
        top.sort((a, b) => b.score - a.score || b.sortAt - a.sortAt);
        top.length = 10;
      }
    });
  }

  /** The reference top 10 of query q. */
  expected(q: number): string[] {
    const top = this.top[q]!;
    top.sort((a, b) => b.score - a.score || b.sortAt - a.sortAt);
    return top.slice(0, 10).map((t) => t.id);
  }

  /** Whether article id (art-NNNNN) matches every word of query q. */
  valid(q: number, id: string): boolean {
    const n = Number(id.slice(4));
    return Number.isInteger(n) && this.matchesAll[q]![n] === 1;
  }
}
