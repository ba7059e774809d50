import { describe, expect, it } from 'vitest';
import { LruCache } from '../../../lib/search/lru';
import { rank } from '../../../lib/search/search';

/** A made-up index: n documents, two terms with pseudo-random postings and fields. */
function fixture(n: number) {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const ids = Array.from({ length: n }, (_, i) => `a${i}`);
  // Few distinct dates, so ties on score are broken by date and many remain equal.
  const sortAt = Float64Array.from({ length: n }, () => Math.floor(random() * 5));
  const postingsOf = () => {
    const docs: number[] = [];
    for (let no = 0; no < n; no++) if (random() < 0.6) docs.push(no);
    return [{ docs: Uint32Array.from(docs), fields: Uint8Array.from(docs, () => 1 << Math.floor(random() * 6)) }];
  };
  const postings = new Map([
    ['alpha', postingsOf()],
    ['alps', postingsOf()],
    ['beta', postingsOf()],
  ]);
  const expansions = [
    [
      { term: 'alpha', quality: 1 },
      { term: 'alps', quality: 0.7 },
    ],
    [{ term: 'beta', quality: 1 }],
  ];
  return { loaded: { ids, sortAt }, postings, expansions };
}

describe('rank', () => {
  it('selects the same best page as sorting every match, and counts all matches', () => {
    const { loaded, postings, expansions } = fixture(3000);
    const all = rank(loaded, expansions, postings);
    expect(all.count).toBeGreaterThan(500);
    expect(all.top).toHaveLength(all.count);
    for (let i = 1; i < all.top.length; i++) {
      const [a, b] = [all.top[i - 1]!, all.top[i]!];
      expect(a.score > b.score || (a.score === b.score && loaded.sortAt[a.no]! >= loaded.sortAt[b.no]!)).toBe(true);
    }
    for (const keep of [1, 20, 137]) {
      const page = rank(loaded, expansions, postings, keep);
      expect(page.count).toBe(all.count);
      expect(page.top).toEqual(all.top.slice(0, keep));
    }
  });

  it('returns everything when fewer match than the page holds', () => {
    const { loaded, postings, expansions } = fixture(30);
    const all = rank(loaded, expansions, postings);
    expect(rank(loaded, expansions, postings, 1000)).toEqual(all);
  });
});

describe('LruCache', () => {
  it('drops the least recently used entries beyond its size', () => {
    const cache = new LruCache<string, number>(30);
    cache.set('a', 1, 10);
    cache.set('b', 2, 10);
    cache.set('c', 3, 10);
    expect(cache.get('a')).toBe(1); // now the most recent
    cache.set('d', 4, 10);
    expect(cache.has('b')).toBe(false);
    expect([cache.has('a'), cache.has('c'), cache.has('d')]).toEqual([true, true, true]);
    cache.set('big', 5, 100);
    expect(cache.size).toBe(1);
    expect(cache.get('big')).toBe(5);
  });
});
