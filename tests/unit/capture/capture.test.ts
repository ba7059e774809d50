// @vitest-environment jsdom
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { captureDocument } from '../../../lib/capture/capture';
import { FALLBACK_WARNING, HUGE_PAGE_WARNING } from '../../../lib/capture/fallback';
import { createSanitizer } from '../../../lib/html/sanitize';
import { loadFixture } from './evaluate';

function dom(html: string, url = 'https://blog.test/post', contentType?: string) {
  const d = new JSDOM(html, { url });
  if (contentType) Object.defineProperty(d.window.document, 'contentType', { value: contentType });
  return { doc: d.window.document, sanitize: createSanitizer(d.window as unknown as Window) };
}

const paragraphs = (n: number) => Array.from({ length: n }, (_, i) => `<p>Paragraph ${i} explains one more detail of running Postgres on Kubernetes, with enough words to count as prose.</p>`).join('');

describe('captureDocument', () => {
  it('never changes the live page', () => {
    const { source, expected } = loadFixture('medium-code-lazy');
    const { doc, sanitize } = dom(source, expected.url);
    const before = doc.documentElement.outerHTML;
    captureDocument(doc, sanitize);
    expect(doc.documentElement.outerHTML).toBe(before);
  });

  it('refuses PDFs and binary files with a message, and keeps plain text as preformatted text', () => {
    const pdf = dom('<embed type="application/pdf" src="about:blank">', 'https://a.test/x.pdf', 'application/pdf');
    expect(() => captureDocument(pdf.doc, pdf.sanitize)).toThrow(/PDF/);
    const img = dom('<img src="x.png">', 'https://a.test/x.png', 'image/png');
    expect(() => captureDocument(img.doc, img.sanitize)).toThrow(/image\/png/);
    const txt = dom('<pre>key:  value\n  indented</pre>', 'https://a.test/notes.txt', 'text/plain');
    const page = captureDocument(txt.doc, txt.sanitize);
    expect(page.html).toBe('<pre>key:  value\n  indented</pre>');
  });

  it('falls back to the main text, with a warning, when there is no article', () => {
    const { doc, sanitize } = dom('<title>Home</title><nav>Menu</nav><main><h1>Welcome</h1><p>Short.</p></main><footer>Foot</footer>');
    const page = captureDocument(doc, sanitize);
    expect(page).toMatchObject({ kind: 'fallback', warning: FALLBACK_WARNING, title: 'Home' });
    expect(page.text).toContain('Welcome');
    expect(page.text).not.toMatch(/Menu|Foot/);
  });

  it('keeps a short result as the article when the page looked like one, on a live page and a disposable copy alike', () => {
    const prose = 'Rolling back a Helm release restores the previous manifest, but not the data a migration already changed, so plan the schema first. '.repeat(3).trim();
    const html = `<title>Short post</title><nav>Menu</nav><article><h1>Short post</h1><p>${prose}</p></article>`;
    expect(prose.length).toBeLessThan(500);
    const live = dom(html);
    expect(captureDocument(live.doc, live.sanitize)).toMatchObject({ kind: 'article', excerpt: expect.stringContaining('Rolling back') });
    const copy = dom(html);
    expect(captureDocument(copy.doc, copy.sanitize, { disposable: true })).toMatchObject({ kind: 'article', excerpt: expect.stringContaining('Rolling back') });
  });

  it('skips article detection on huge pages and says so', () => {
    const { doc, sanitize } = dom(`<title>Big</title><main>${paragraphs(30)}</main>`);
    const page = captureDocument(doc, sanitize, { maxElements: 20 });
    expect(page).toMatchObject({ kind: 'fallback', warning: HUGE_PAGE_WARNING });
    expect(page.text).toContain('Paragraph 29');
    const logs = dom(`<nav>Menu</nav><main><pre>step 1\nstep 2</pre>${paragraphs(30)}</main>`);
    const log = captureDocument(logs.doc, logs.sanitize, { maxElements: 20 });
    expect(log.html).toContain('<p>step 1<br>step 2</p>');
    expect(log.text).not.toContain('Menu');
  });

  it('a page with nothing in it is an error, not an empty article', () => {
    const { doc, sanitize } = dom('<title>Empty</title><body><script>1</script></body>');
    expect(() => captureDocument(doc, sanitize)).toThrow(/no text/);
  });

  it('takes title, author and date from Readability when the page has no metadata', () => {
    const { doc, sanitize } = dom(`<title>Postgres on Kubernetes - Ops blog</title><article><h1>Postgres on Kubernetes</h1><p class="byline">By Kim Lee</p>${paragraphs(8)}</article>`);
    const page = captureDocument(doc, sanitize);
    expect(page.kind).toBe('article');
    expect(page.title).toBe('Postgres on Kubernetes');
    expect(page.text).toContain('Paragraph 7');
    expect(page.excerpt).toBeTruthy();
  });

  it('keeps a social post found without JSON-LD, by its URL', () => {
    const { doc, sanitize } = dom(
      `<title>Post | Someone | 3 comments</title><main><article><p>My post about GitOps: reconcile loops beat push deploys.</p><button>Like</button><span>12 reactions</span></article><section><h2>More Relevant Posts</h2><article><p>Other post</p></article></section></main>`,
      'https://www.linkedin.com/posts/someone_gitops-activity-1',
    );
    const page = captureDocument(doc, sanitize);
    expect(page.kind).toBe('social');
    expect(page.text).toBe('My post about GitOps: reconcile loops beat push deploys.');
    expect(page.title).toBe('My post about GitOps: reconcile loops beat push deploys.');
    // The poster's name, from the page title.
    expect(page.author).toBe('Someone');
  });

  it('gives a clipped social post its poster as author: JSON-LD, or the author card', () => {
    const { source, expected } = loadFixture('linkedin-post');
    const fixture = dom(source, expected.url);
    expect(captureDocument(fixture.doc, fixture.sanitize).author).toBe('Priya Raman');
    const { doc, sanitize } = dom(
      `<title>GitOps notes</title><main><article><div class="card"><a href="https://www.linkedin.com/in/dana-ruiz?trk=x"><img src="a.png" alt=""></a><a href="https://www.linkedin.com/in/dana-ruiz?trk=x">Dana Ruiz</a><span>SRE at Example</span></div><p>My post about GitOps: reconcile loops beat push deploys, every time.</p><button>Like</button></article></main>`,
      'https://www.linkedin.com/posts/dana-ruiz_gitops-activity-2',
    );
    const page = captureDocument(doc, sanitize);
    expect(page.kind).toBe('social');
    expect(page.author).toBe('Dana Ruiz');
  });
});
