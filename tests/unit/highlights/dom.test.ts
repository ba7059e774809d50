// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { buildTextMap, paintHighlights, rangeOfSpan, spanOfRange, unpaintHighlights } from '../../../lib/highlights/dom';

function body(html: string): HTMLElement {
  const el = document.createElement('div');
  el.innerHTML = html;
  document.body.replaceChildren(el);
  return el;
}

describe('highlight DOM mapping', () => {
  it('reads paragraphs, inline code, <br> lines and code blocks as one text, skipping Copy buttons', () => {
    const root = body('<p>First <code>kubectl</code> para.</p><p>Second.</p><div class="code-block"><button class="copy-code">Copy</button><pre><code>a:\n  b: 1</code></pre></div><pre>x<br>y</pre>');
    expect(buildTextMap(root).text).toBe('First kubectl para.\nSecond.\na:\n  b: 1\nx\ny');
  });

  it('maps a selection across two paragraphs to a span and back', () => {
    const root = body('<p>Alpha beta gamma.</p><p>Delta <em>epsilon</em> zeta.</p>');
    const map = buildTextMap(root);
    const range = document.createRange();
    range.setStart(root.querySelector('p')!.firstChild!, 6);
    range.setEnd(root.querySelector('em')!.firstChild!, 3);
    const span = spanOfRange(map, root, range)!;
    expect(map.text.slice(span.start, span.end)).toBe('beta gamma.\nDelta eps');
    expect(rangeOfSpan(map, span)!.toString()).toBe('beta gamma.Delta eps');
  });

  it('maps element boundary points (a triple-click selection)', () => {
    const root = body('<p>One two.</p><p>Three.</p>');
    const map = buildTextMap(root);
    const range = document.createRange();
    range.setStart(root, 0);
    range.setEnd(root, 1);
    const span = spanOfRange(map, root, range)!;
    expect(map.text.slice(span.start, span.end)).toBe('One two.');
  });

  it('paints overlapping highlights without changing the text, and unpaints them', () => {
    const root = body('<p>Alpha beta gamma.</p><pre><code>x: 1\ny: 2</code></pre>');
    const before = root.innerHTML;
    const map = buildTextMap(root);
    paintHighlights(map, [
      { id: 'h1', color: 'yellow', span: { start: 6, end: 16 }, hasNote: false },
      { id: 'h2', color: 'blue', span: { start: 11, end: 22 }, hasNote: true },
    ]);
    expect(buildTextMap(root).text).toBe(map.text);
    const marks = [...root.querySelectorAll('mark')];
    expect(marks.map((m) => m.textContent)).toEqual(['beta ', 'gamma', '.', 'x: 1']);
    expect(marks[1]!.dataset.highlights).toBe('h1 h2');
    expect(marks[1]!.className).toContain('hl-blue');
    expect(root.querySelector('pre')!.textContent).toBe('x: 1\ny: 2');
    unpaintHighlights(root);
    expect(root.innerHTML).toBe(before);
  });
});

describe('selections reaching outside the body', () => {
  it('cuts a selection that ends past the body to the body, and ignores one wholly outside', () => {
    document.body.innerHTML = '<div id="b"><p>Only paragraph.</p></div><footer>Read the original</footer>';
    const root = document.getElementById('b')!;
    const map = buildTextMap(root);
    const range = document.createRange();
    range.setStart(root.querySelector('p')!.firstChild!, 5);
    range.setEnd(document.querySelector('footer')!, 0);
    const span = spanOfRange(map, root, range)!;
    expect(map.text.slice(span.start, span.end)).toBe('paragraph.');
    const outside = document.createRange();
    outside.selectNodeContents(document.querySelector('footer')!);
    expect(spanOfRange(map, root, outside)).toBeUndefined();
  });
});
