// Brute-force fuzzy reference for recall@10: every query word is compared
// with every term of every article by a plain dynamic-programming edit
// distance (no vocabulary caps, no early exit), scored like the index.
import type { SyntheticArticle } from './search-library';
import { queryWords } from '../../lib/search/normalize';
import { FIELD } from '../../lib/search/records';
import { articleTerms } from '../../lib/search/terms';
import { allowedTypos, AS_TYPED_DF, NOT_AS_TYPED, onlyAsTyped, QUALITY } from '../../lib/search/vocabulary';

const WEIGHT = [
  [FIELD.title, 10],
  [FIELD.author, 8],
  [FIELD.tags, 5],
  [FIELD.feed, 4],
  [FIELD.excerpt, 2],
  [FIELD.body, 1],
] as const;

function weight(bits: number): number {
  for (const [bit, w] of WEIGHT) if (bits & bit) return w;
  return 0;
}

function osa(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** term is word with only its first character changed, added, dropped or swapped with the second. */
function firstCharOnly(word: string, term: string): boolean {
  return term.slice(1) === word.slice(1) || term.slice(1) === word || term === word.slice(1) || term === word[1]! + word[0]! + word.slice(2);
}

export function quality(word: string, term: string, prefix: boolean): number {
  if (word === term) return QUALITY.exact;
  if (prefix && term.startsWith(word)) return QUALITY.prefix;
  const k = allowedTypos(word.length);
  if (k === 0) return 0;
  if (Math.abs(term.length - word.length) <= k) {
    // A typo on the first character counts as two: the rest must then be as typed.
    const d = term[0] === word[0] ? osa(word, term) : firstCharOnly(word, term) ? 2 : k + 1;
    if (d === 1) return QUALITY.typo1;
    if (d === 2) return QUALITY.typo2;
  }
  if (prefix && term.length > word.length + k && term[0] === word[0]) {
    for (let len = word.length - 1; len <= word.length + 1; len++) if (osa(word, term.slice(0, len)) === 1) return QUALITY.typoPrefix;
  }
  return 0;
}

export class BruteForce {
  private readonly docs: { id: string; sortAt: number; terms: [string, number][] }[];
  private readonly distinct: string[];
  /** Articles each term is in. */
  private readonly df = new Map<string, number>();

  constructor(library: SyntheticArticle[]) {
    this.docs = library.map(({ article, content }) => {
      const terms = [...articleTerms({ article, text: content.text })];
      for (const [t] of terms) this.df.set(t, (this.df.get(t) ?? 0) + 1);
      return { id: article.id, sortAt: article.sortAt, terms };
    });
    this.distinct = [...this.df.keys()];
  }

  /** Top ids, ranked by the same scoring as the index. */
  search(query: string, top = 10): string[] {
    const words = queryWords(query);
    if (!words.length) return [];
    // Quality of every distinct library term for each word, computed once per query.
    const qualities = words.map((w, i) => {
      const m = new Map<string, number>();
      // The word as typed is in the library: other matches count less, or not at all (as the index does).
      const exact = this.df.has(w);
      // In a page of articles as typed: taken as meant, its typos are not matched (prefixes still are).
      const asTyped = (this.df.get(w) ?? 0) >= AS_TYPED_DF;
      for (const t of this.distinct) {
        let q = quality(w, t, i === words.length - 1 || w.length >= 3);
        if (asTyped && t !== w && q !== QUALITY.prefix) q = 0;
        if (exact && t !== w) q = onlyAsTyped(w) ? 0 : q * NOT_AS_TYPED;
        if (q > 0) m.set(t, q);
      }
      return m;
    });
    const scored: { id: string; score: number; sortAt: number }[] = [];
    for (const doc of this.docs) {
      let total = 0;
      let ok = true;
      for (const q of qualities) {
        let best = 0;
        for (const [t, bits] of doc.terms) {
          const s = (q.get(t) ?? 0) * weight(bits);
          if (s > best) best = s;
        }
        if (best === 0) {
          ok = false;
          break;
        }
        total = Math.fround(total + Math.fround(best));
      }
      if (ok) scored.push({ id: doc.id, score: total, sortAt: doc.sortAt });
    }
    scored.sort((a, b) => b.score - a.score || b.sortAt - a.sortAt);
    return scored.slice(0, top).map((s) => s.id);
  }
}
