// @vitest-environment jsdom
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { CaptureError, captureDocument } from '../../../lib/capture/capture';
import { selectionUrl } from '../../../lib/capture/selection';
import { createSanitizer } from '../../../lib/html/sanitize';

const PAGE = `<!doctype html><html lang="en"><head><title>Guide</title><link rel="canonical" href="https://docs.test/guide"><meta property="al:android:url" content="medium://p/abcdef123456"></head><body>
<p id="intro">Intro text that is <em>not</em> selected.</p>
<ul id="list"><li><strong>first</strong> item</li><li>second item</li><li>third item</li></ul>
<pre><code class="language-bash">line one
  line two
line three</code></pre>
<p id="outro">Closing words.</p></body></html>`;

function setup() {
  const dom = new JSDOM(PAGE, { url: 'https://docs.test/guide?utm_source=x' });
  return { win: dom.window, doc: dom.window.document, sanitize: createSanitizer(dom.window as unknown as Window) };
}

describe('selection clips', () => {
  it('two selections of one page get two distinct titles, each named by its own words', () => {
    const { win, doc, sanitize } = setup();
    const select = (el: Element) => {
      win.getSelection()!.removeAllRanges();
      const range = doc.createRange();
      range.selectNodeContents(el);
      win.getSelection()!.addRange(range);
      return captureDocument(doc, sanitize, { selectionOnly: true });
    };
    const a = select(doc.getElementById('intro')!);
    const b = select(doc.getElementById('outro')!);
    expect(a.title).toBe('Guide — “Intro text that is not selected.”');
    expect(b.title).toBe('Guide — “Closing words.”');
    expect(a.url).not.toBe(b.url);
  });

  it('keeps only the selected list items, as a list, with their formatting', () => {
    const { win, doc, sanitize } = setup();
    const list = doc.getElementById('list')!;
    const range = doc.createRange();
    range.setStart(list.children[0]!, 0);
    range.setEnd(list.children[1]!, 1);
    win.getSelection()!.addRange(range);
    const page = captureDocument(doc, sanitize, { selectionOnly: true });
    expect(page.kind).toBe('selection');
    expect(page.html).toBe('<ul><li><strong>first</strong> item</li><li>second item</li></ul>');
    expect(page.text).not.toContain('Intro');
    expect(page.title).toBe('Guide — “first item second item”');
    expect(page.guid).toBeUndefined();
    expect(page.url).toBe('https://docs.test/guide#:~:text=first%20item%20second%20item');
  });

  it('a selection inside a code block stays a code block with exact whitespace', () => {
    const { win, doc, sanitize } = setup();
    const text = doc.querySelector('code')!.firstChild!;
    const range = doc.createRange();
    range.setStart(text, 8);
    range.setEnd(text, 24);
    win.getSelection()!.addRange(range);
    const page = captureDocument(doc, sanitize, { selectionOnly: true });
    expect(page.html).toBe('<pre><code class="language-bash">\n  line two\nline</code></pre>');
  });

  it('says so when nothing is selected', () => {
    const { doc, sanitize } = setup();
    expect(() => captureDocument(doc, sanitize, { selectionOnly: true })).toThrow(CaptureError);
    expect(() => captureDocument(doc, sanitize, { selectionOnly: true })).toThrow(/Nothing is selected/);
  });

  it('builds text-fragment links from the first and last words', () => {
    expect(selectionUrl('https://a.test/p#old', 'one two three four five six seven eight nine ten')).toBe('https://a.test/p#:~:text=one%20two%20three%20four,seven%20eight%20nine%20ten');
    expect(selectionUrl('https://a.test/p', 'a-b, c')).toBe('https://a.test/p#:~:text=a%2Db%2C%20c');
  });
});
