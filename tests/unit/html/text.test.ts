// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { htmlToText, parseInert } from '../../../lib/html/text';

describe('parseInert', () => {
  it('parses a fragment as an element would hold it: leading head-only tags stay in it', () => {
    const root = parseInert('<title>T</title><style>p{}</style><p>One</p><td>cell</td>', document);
    expect(root.tagName).toBe('DIV');
    expect([...root.children].map((c) => c.tagName)).toEqual(['TITLE', 'STYLE', 'P']);
    expect(root.textContent).toBe('Tp{}Onecell');
  });

  it('belongs to a document of its own: nothing in it runs and the page is untouched', () => {
    const w = window as unknown as { ranInert?: boolean };
    const root = parseInert('<script>window.ranInert = true</script><img src="x" onerror="window.ranInert = true"><p>Kept</p>', document);
    expect(root.ownerDocument).not.toBe(document);
    expect(root.isConnected).toBe(false);
    expect(w.ranInert).toBeUndefined();
    expect(htmlToText('<p>a</p><pre>b\n  c</pre>', document)).toBe('a\n\nb\n  c');
  });
});
