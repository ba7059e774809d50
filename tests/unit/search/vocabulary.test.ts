import { describe, expect, it } from 'vitest';
import { BoundedDistance, QUALITY, Vocabulary } from '../../../lib/search/vocabulary';
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

  it('matches a misspelt unfinished word against longer terms', () => {
    expect(v.expand('kubren', true).map((m) => m.term)).toContain('kubernetes');
  });
});

describe('vocabulary record updates', () => {
  it('adds, counts and removes terms, staying sorted', () => {
    let rec = updateVocabulary(undefined, new Map([['pod', 1], ['etcd', 2]]));
    expect(rec.words).toBe('etcd\npod');
    rec = updateVocabulary(rec, new Map([['apiserver', 1], ['pod', 0], ['etcd', 3], ['zz', 1]]));
    expect(rec.words.split('\n')).toEqual(['apiserver', 'etcd', 'zz']);
    expect(Array.from(rec.dfs)).toEqual([1, 3, 1]);
  });
});
