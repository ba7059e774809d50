import { describe, expect, it } from 'vitest';
import { fold, queryWords, termsOf } from '../../../lib/search/normalize';

describe('normalization', () => {
  it('folds case and diacritics', () => {
    expect(fold('Kübernétes')).toBe('kubernetes');
    expect(fold('ÉTCD')).toBe('etcd');
  });

  it('turns mathematical bold letters of social posts into plain letters (NFKC)', () => {
    const bold = '𝐊𝐮𝐛𝐞𝐫𝐧𝐞𝐭𝐞𝐬 𝐒𝐜𝐡𝐞𝐝𝐮𝐥𝐞𝐫';
    expect([...termsOf(bold)]).toEqual(['kubernetes', 'scheduler']);
    expect(queryWords(bold)).toEqual(['kubernetes', 'scheduler']);
  });

  it('folds full-width letters and ligatures', () => {
    expect(queryWords('ｋｕｂｅｃｔｌ ﬁle')).toEqual(['kubectl', 'file']);
  });

  it('keeps code identifiers whole and also indexes their parts', () => {
    const terms = termsOf('Set maxUnavailable in kube-system; see app.kubernetes.io/name and max_surge.');
    for (const t of ['maxunavailable', 'max', 'unavailable', 'kube-system', 'kube', 'system', 'app.kubernetes.io', 'kubernetes', 'max_surge', 'surge']) {
      expect(terms).toContain(t);
    }
  });

  it('splits acronyms inside identifiers', () => {
    expect(termsOf('HTTPServer')).toEqual(new Set(['httpserver', 'http', 'server']));
  });

  it('drops over-long tokens such as hashes', () => {
    expect(termsOf('a'.repeat(80) + ' ok').has('ok')).toBe(true);
    expect(termsOf('a'.repeat(80)).size).toBe(0);
  });

  it('parses a query into folded words without repeats', () => {
    expect(queryWords('  Kube-System  kube-system ETCD')).toEqual(['kube-system', 'etcd']);
    expect(queryWords('   ')).toEqual([]);
  });
});
