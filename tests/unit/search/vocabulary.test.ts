import { describe, expect, it } from 'vitest';
import { allowedTypos, AS_TYPED_DF, BoundedDistance, Lexicon, NOT_AS_TYPED, QUALITY, startsOfJoined, termStarts, Vocabulary } from '../../../lib/search/vocabulary';
import { updateVocabulary } from '../../../lib/search/indexer';

function vocab(words: string[]): Vocabulary {
  const sorted = [...words].sort();
  return new Vocabulary(sorted, Uint32Array.from(sorted, () => 1));
}

describe('bounded edit distance', () => {
  it('counts edits and gives up above the bound', () => {
    expect(new BoundedDistance('kubernets', 2).distance('kubernetes')).toBe(1);
    expect(new BoundedDistance('schedular', 2).distance('scheduler')).toBe(1);
    expect(new BoundedDistance('ectd', 1).distance('etcd')).toBe(1); // a swap is one edit
    expect(new BoundedDistance('nginx', 1).distance('kafka')).toBe(2);
  });

  it('measures against the best prefix when asked', () => {
    expect(new BoundedDistance('kubr', 1).distance('kubernetes', true)).toBe(1);
    expect(new BoundedDistance('kube', 1).distance('kubernetes', true)).toBe(0);
  });
});

describe('vocabulary expansion', () => {
  const v = vocab(['kubernetes', 'kubectl', 'kube', 'scheduler', 'schedule', 'etcd', 'terraform', 'maxunavailable']);

  it('finds a word exactly, by prefix while typing, and with typos', () => {
    expect(v.expand('etcd', false)).toEqual([{ term: 'etcd', quality: QUALITY.exact }]);
    expect(v.expand('kub', true).map((m) => m.term).sort()).toEqual(['kube', 'kubectl', 'kubernetes']);
    expect(v.expand('kubernets', false)).toEqual([{ term: 'kubernetes', quality: QUALITY.typo1 }]);
    expect(v.expand('schedular', false).map((m) => m.term)).toContain('scheduler');
    expect(v.expand('maxunavailble', false).map((m) => m.term)).toEqual(['maxunavailable']);
  });

  it('does not expand finished words by prefix, nor short words by typos', () => {
    expect(v.expand('kub', false)).toEqual([]);
    expect(v.expand('etc', false)).toEqual([]);
  });

  it('counts a typo on the first letter as two (as Meilisearch does)', () => {
    // Long words (two typos allowed): the first letter changed, dropped, added or swapped, the rest as typed.
    expect(v.expand('jubernetes', false).map((m) => m.term)).toEqual(['kubernetes']);
    expect(v.expand('ubernetes', false).map((m) => m.term)).toEqual(['kubernetes']);
    expect(v.expand('ukbernetes', false).map((m) => m.term)).toEqual(['kubernetes']);
    expect(v.expand('akubernetes', false).map((m) => m.term)).toEqual(['kubernetes']);
    expect(v.expand('jubernetes', false)[0]!.quality).toBe(QUALITY.typo2);
    // A first-letter typo and another one: three.
    expect(v.expand('jubernets', false)).toEqual([]);
    // Shorter words allow one typo: the first letter must be right.
    expect(v.expand('gtcd', false)).toEqual([]);
    expect(v.expand('etcx', false).map((m) => m.term)).toEqual(['etcd']);
  });

  it('takes a word in a page of articles as typed: no typos of it are looked for', () => {
    const terms = ['slate', 'stage', 'state', 'statefulset', 'stats'];
    const withStateIn = (df: number) => new Vocabulary(terms, Uint32Array.from(terms, (t) => (t === 'state' ? df : 40)));
    // In AS_TYPED_DF articles: itself, and (unfinished) the longer words it begins.
    expect(withStateIn(AS_TYPED_DF).expand('state', false)).toEqual([{ term: 'state', quality: QUALITY.exact }]);
    expect(withStateIn(AS_TYPED_DF).expand('state', true)).toEqual([
      { term: 'state', quality: QUALITY.exact },
      { term: 'statefulset', quality: QUALITY.prefix * NOT_AS_TYPED },
    ]);
    // A rarer spelling ("recieve" in two articles) still finds the common ones, below itself.
    const rare = withStateIn(AS_TYPED_DF - 1).expand('state', false);
    expect(rare[0]).toEqual({ term: 'state', quality: QUALITY.exact });
    expect(rare.slice(1).map((m) => m.term).sort()).toEqual(['slate', 'stage', 'stats']);
    expect(rare[1]!.quality).toBe(QUALITY.typo1 * NOT_AS_TYPED);
  });

  it('counts the articles a word is in since the last compaction too', () => {
    const terms = ['stage', 'state'];
    const base = new Vocabulary(terms, Uint32Array.from([40, AS_TYPED_DF - 5]));
    expect(new Lexicon(base, new Map()).expand('state', false).map((m) => m.term)).toEqual(['state', 'stage']);
    expect(new Lexicon(base, new Map([['state', 5]])).expand('state', false).map((m) => m.term)).toEqual(['state']);
  });

  it('matches a misspelt unfinished word against longer terms', () => {
    expect(v.expand('kubren', true).map((m) => m.term)).toContain('kubernetes');
  });
});

describe('vocabulary record updates', () => {
  it('adds, counts and removes terms from frequency changes, staying sorted', () => {
    let rec = updateVocabulary(undefined, new Map([['pod', 1], ['etcd', 2]]));
    expect(rec.words).toBe('etcd\npod');
    rec = updateVocabulary(rec, new Map([['apiserver', 1], ['pod', -1], ['etcd', 1], ['zz', 1]]));
    expect(rec.words.split('\n')).toEqual(['apiserver', 'etcd', 'zz']);
    expect(Array.from(rec.dfs)).toEqual([1, 3, 1]);
  });
});

/** Textbook optimal-string-alignment distance, to check the banded one against. */
function osa(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

describe('banded distance agrees with the textbook algorithm', () => {
  it('on random near-miss words, for whole terms and prefixes', () => {
    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 48271) + 11) >>> 0) / 2 ** 32);
    const letters = 'abcdeks';
    const word = (n: number) => Array.from({ length: n }, () => letters[Math.floor(rnd() * letters.length)]).join('');
    for (let trial = 0; trial < 3000; trial++) {
      const q = word(1 + Math.floor(rnd() * 9));
      const t = rnd() < 0.5 ? word(1 + Math.floor(rnd() * 12)) : q.slice(0, Math.floor(rnd() * q.length)) + word(Math.floor(rnd() * 3)) + q.slice(Math.floor(rnd() * q.length));
      for (const k of [1, 2]) {
        const bd = new BoundedDistance(q, k);
        expect(bd.distance(t), `${q} → ${t} (k=${k})`).toBe(Math.min(osa(q, t), k + 1));
        let bestPrefix = k + 1;
        for (let len = 0; len <= t.length; len++) bestPrefix = Math.min(bestPrefix, osa(q, t.slice(0, len)));
        expect(bd.distance(t, true), `${q} → prefix of ${t} (k=${k})`).toBe(bestPrefix);
      }
    }
  });
});

/** t is q with only its first character changed, added, dropped or swapped with the second. */
function firstCharOnly(q: string, t: string): boolean {
  return t !== q && (t.slice(1) === q.slice(1) || t.slice(1) === q || t === q.slice(1) || t === q[1]! + q[0]! + q.slice(2));
}

describe('typo candidates agree with a scan of every term', () => {
  it('on a random vocabulary, for finished and unfinished words', () => {
    let seed = 11;
    const rnd = () => ((seed = (Math.imul(seed, 48271) + 11) >>> 0) / 2 ** 32);
    const letters = 'abcdekst';
    const word = (n: number) => Array.from({ length: n }, () => letters[Math.floor(rnd() * letters.length)]).join('');
    const words = [...new Set(Array.from({ length: 600 }, () => word(2 + Math.floor(rnd() * 12))))].sort();
    const vocab = new Vocabulary(words, Uint32Array.from(words, () => 1));
    for (let trial = 0; trial < 80; trial++) {
      const base = words[Math.floor(rnd() * words.length)]!;
      const r = rnd();
      const q = r < 0.4 ? base : r < 0.7 ? base.slice(0, 2) + word(1) + base.slice(3) : r < 0.8 ? word(1) + base.slice(1) : r < 0.9 ? base.slice(1) : word(1) + base;
      const k = allowedTypos(q.length);
      for (const prefix of [false, true]) {
        const want = new Map<string, number>();
        for (const t of words) {
          // A typo on the first character counts as two: the rest must then be as typed.
          const d = Math.abs(t.length - q.length) > k ? k + 1 : t[0] === q[0] ? osa(q, t) : firstCharOnly(q, t) ? 2 : k + 1;
          if (d > 0 && d <= k) want.set(t, d === 1 ? QUALITY.typo1 : QUALITY.typo2);
          else if (prefix && k > 0 && t.length > q.length + k && t[0] === q[0]) {
            let best = k + 1;
            for (let len = 0; len <= Math.min(t.length, q.length + k); len++) best = Math.min(best, osa(q, t.slice(0, len)));
            if (best === 1) want.set(t, QUALITY.typoPrefix);
          }
        }
        const got = new Map(vocab.typoCandidates(q, prefix).map((c) => [words[c.i]!, c.quality]));
        expect(got, `${q} (prefix: ${prefix})`).toEqual(want);
      }
    }
  });
});

describe('a vocabulary used as stored (terms joined, read in place)', () => {
  const words = ['apiserver', 'etcd', 'etcdctl', 'helm', 'kube', 'kubectl', 'kubernetes', 'pod', 'pods'];
  const dfs = Uint32Array.from(words, (_, i) => i + 1);
  it('answers as the split list does, with or without the stored term starts', () => {
    const rec = updateVocabulary(undefined, new Map(words.map((w, i) => [w, i + 1])));
    expect(termStarts(words)).toEqual(rec.starts);
    expect(startsOfJoined(rec.words)).toEqual(rec.starts);
    const split = new Vocabulary(words, dfs);
    const stored = new Vocabulary({ joined: rec.words, starts: rec.starts, masks: rec.masks }, rec.dfs);
    // A record compacted before term starts were stored.
    const older = new Vocabulary({ joined: rec.words, masks: rec.masks }, rec.dfs);
    for (const v of [stored, older]) {
      expect(v.size).toBe(words.length);
      expect(Array.from({ length: v.size }, (_, i) => v.word(i))).toEqual(words);
      for (const q of ['kube', 'kubernets', 'etc', 'pod', 'a', 'zzz', 'helmm', 'kubectl']) {
        expect(v.lowerBound(q), q).toBe(split.lowerBound(q));
        expect(v.has(q), q).toBe(words.includes(q));
        expect(v.expand(q, true), q).toEqual(split.expand(q, true));
      }
    }
    expect(new Vocabulary({ joined: '' }, []).size).toBe(0);
  });
});
