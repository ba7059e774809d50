// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { markMatches } from '../../../lib/search/mark';

describe('marking matched words in an opened article', () => {
  it('wraps whole matching tokens in marks and returns the first', () => {
    const root = document.createElement('div');
    root.innerHTML = '<h2>Intro</h2><p>Back up <b>etcd</b> daily, etc. Use etcdctl.</p><pre><code>ETCD_DATA=/var</code></pre>';
    const first = markMatches(root, new Set(['etcd']));
    expect(first?.textContent).toBe('etcd');
    // Not etcdctl nor etc.; a compound identifier with the word as a part is marked whole.
    expect([...root.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['etcd', 'ETCD_DATA']);
    expect(root.textContent).toBe('IntroBack up etcd daily, etc. Use etcdctl.ETCD_DATA=/var');
  });

  it('leaves the text alone when nothing matches, and text never becomes markup', () => {
    const root = document.createElement('div');
    root.textContent = '<img src=x onerror=alert(1)> kubernetes';
    expect(markMatches(root, new Set(['helm']))).toBeUndefined();
    markMatches(root, new Set(['kubernetes']));
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('mark')?.textContent).toBe('kubernetes');
  });
});
