import { describe, expect, it } from 'vitest';
import { contentRank } from '../../../lib/library/merge';
import { contentKey } from '../../../lib/library/sync-apply';

const words = (n: number) => `<p>${Array.from({ length: n }, (_, i) => `w${i}`).join(' ')}</p>`;

describe('contentRank: the total order sync keeps content by', () => {
  it('orders empty < stub < preview snippet < text, whatever the word counts', () => {
    const empty = contentRank('');
    const stub = contentRank('<p><a href="https://p.test/1">A post</a></p>');
    const preview = contentRank(`<p class="medium-feed-snippet">${'word '.repeat(120)}</p><p><a href="https://p.test/1">Continue reading on Medium</a></p>`);
    const text = contentRank(words(60));
    expect(empty < stub).toBe(true);
    expect(stub < preview).toBe(true);
    expect(preview < text).toBe(true);
    // Code or an image makes a short text more than a stub.
    expect(contentRank('<pre><code>make</code></pre>') > stub).toBe(true);
    expect(contentRank('<p><img src="https://p.test/a.png"></p>') > contentRank('<p>two words</p>')).toBe(true);
  });

  it('counts words in ~10% steps: a copy a little shorter shares the step, a much shorter one is below', () => {
    expect(contentRank(words(1000))).toBe(contentRank(words(1001)));
    expect(contentRank(words(300)) < contentRank(words(1000))).toBe(true);
    expect(contentRank(words(850)) < contentRank(words(1000))).toBe(true);
    // Monotone in words.
    let prev = contentRank(words(1));
    for (let n = 2; n < 3000; n += 7) {
      const r = contentRank(words(n));
      expect(r >= prev).toBe(true);
      prev = r;
    }
  });

  it('contentKey: rank first, then stamp', () => {
    const full = words(900);
    const walled = words(120);
    expect(contentKey(full, '0000000000001aaaa0a') > contentKey(walled, '0000000000009aaaa0b')).toBe(true);
    expect(contentKey(words(900), '0000000000002aaaa0a') > contentKey(words(901), '0000000000001aaaa0b')).toBe(true);
  });
});
