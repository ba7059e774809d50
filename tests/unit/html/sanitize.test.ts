// @vitest-environment jsdom
// DOMPurify does not sanitize under happy-dom; jsdom is a real enough DOM.
import { describe, expect, it } from 'vitest';
import { createLocalPrepare } from '../../../lib/dom/prepare';
import { createSanitizer } from '../../../lib/html/sanitize';
import { htmlToText, nodeToText } from '../../../lib/html/text';

const sanitize = createSanitizer(window);

describe('createSanitizer', () => {
  it('removes scripts, handlers, javascript: links, frames and styles', () => {
    const out = sanitize(
      '<p onclick="alert(1)" style="color:red">Hi<script>alert(2)</script></p><a href="javascript:alert(3)">x</a><iframe src="https://evil.test"></iframe><img src=x onerror="alert(4)"><svg><script>alert(5)</script></svg>',
      'https://blog.test/post',
    );
    expect(out).not.toMatch(/alert|onclick|onerror|iframe|style=|javascript:/i);
    expect(out).toContain('Hi');
  });

  it('drops Medium tracking pixels and strips tracking parameters from links', () => {
    const out = sanitize(
      '<p><a href="https://medium.com/@a/post-1?source=rss-abc------2">post</a></p><img src="https://medium.com/_/stat?event=post.clientViewed&referrerSource=full_rss&postId=1" width="1" height="1" alt="">',
    );
    expect(out).not.toContain('_/stat');
    expect(out).toContain('href="https://medium.com/@a/post-1"');
    expect(out).toContain('rel="noopener noreferrer"');
  });

  it('sanitizes a DOM subtree like its HTML, without a re-parse; children of a live document are moved into an inert one first', () => {
    const html =
      '<p onclick="alert(1)" style="color:red">Hi<script>alert(2)</script> <a href="/p?utm_source=x#top">p</a></p><img src="https://medium.com/_/stat?event=x" alt=""><img src="/a.png" srcset="/b.png 2x"><pre><code class="hljs language-YAML">a: 1</code></pre><svg><script>alert(5)</script></svg><iframe src="https://evil.test"></iframe>';
    const root = document.createElement('div');
    root.innerHTML = html;
    const clean = sanitize.children(root, 'https://blog.test/post');
    expect(root.childNodes.length).toBe(0);
    expect(clean.ownerDocument.defaultView).toBeNull();
    // The same as the string path, except that SVG is dropped whole on the DOM path.
    expect(clean.innerHTML).toBe(sanitize(html, 'https://blog.test/post').replace('<svg></svg>', ''));
    expect(clean.innerHTML).toContain('<a href="https://blog.test/p" target="_blank" rel="noopener noreferrer">p</a>');
    expect(clean.innerHTML).toContain('<code class="language-yaml">a: 1</code>');
    expect(clean.innerHTML).not.toMatch(/alert|onclick|style=|iframe|_\/stat|srcset|svg/);
  });

  it('cleans a subtree of an inert document where it is, and reads its text in the same walk', () => {
    const inert = new DOMParser().parseFromString('<div id="r"><h2>Title</h2><p>One <b>two</b><br>three</p><pre>a<br>  b</pre><table><tr><td>x</td><td>y</td></tr></table><!-- c --></div>', 'text/html');
    const root = inert.getElementById('r')!;
    const { root: out, text } = sanitize.clean(root, 'https://blog.test/post');
    expect(out).toBe(root);
    expect(out.innerHTML).toBe('<h2>Title</h2><p>One <b>two</b><br>three</p><pre>a\n  b</pre><table><tbody><tr><td>x</td><td>y</td></tr></tbody></table>');
    expect(text).toBe(nodeToText(out));
    expect(text).toBe('Title\n\nOne two\nthree\n\na\n  b\n\n x y');
  });

  it('keeps the text of elements it does not keep (font, center, custom, MathML) and drops SVG, forms and media whole', () => {
    const inert = new DOMParser().parseFromString(
      '<div id="r"><font color="red">font text</font> <center>centred</center> <medium-para data-x="1">custom <i>kept</i></medium-para> <math><mi>x</mi><mo>=</mo><mn>1</mn></math><svg><text>drawn</text></svg><form><p>in form</p></form><video src="v.mp4">video</video></div>',
      'text/html',
    );
    const { root, text } = sanitize.clean(inert.getElementById('r')!);
    expect(root.innerHTML).toBe('font text centred custom <i>kept</i> x=1');
    expect(text).toBe('font text centred custom kept x=1');
  });
  it('drops attributes a script set in a namespace or with capitals, keeping the plain ones beside them', () => {
    const inert = new DOMParser().parseFromString('<div id="r"><p title="plain">a <a href="https://ok.test/">b</a> <i>c</i> <b>d</b></p></div>', 'text/html');
    const root = inert.getElementById('r')!;
    const p = root.querySelector('p')!;
    const a = root.querySelector('a')!;
    const i = root.querySelector('i')!;
    const b = root.querySelector('b')!;
    p.setAttributeNS('urn:x', 'title', 'namespaced'); // the same qualified name twice
    p.setAttributeNS(null, 'ONCLICK', 'alert(1)'); // serialized as ONCLICK=, parsed again as onclick
    a.setAttributeNS('urn:x', 'x:href', 'https://evil.test/prefixed');
    i.setAttributeNS('urn:x', 'title', 'only namespaced');
    b.setAttributeNS('urn:x', 'href', 'javascript:alert(2)');
    b.setAttributeNS(null, 'Title', 'capital');
    const { root: out } = sanitize.clean(root, 'https://blog.test/post');
    const html = out.innerHTML;
    expect(html).toBe('<p title="plain">a <a href="https://ok.test/" target="_blank" rel="noopener noreferrer">b</a> <i>c</i> <b>d</b></p>');
    const again = new DOMParser().parseFromString(html, 'text/html').body.innerHTML;
    expect(again).toBe(html);
  });

  it('makes relative image and link URLs absolute', () => {
    const out = sanitize('<img src="/img/a.png" alt="a"><a href="../b">b</a>', 'https://docs.test/guide/page');
    expect(out).toContain('src="https://docs.test/img/a.png"');
    expect(out).toContain('href="https://docs.test/b"');
  });
});

describe('htmlToText', () => {
  it('keeps code line breaks from <br> inside <pre> and separates blocks', () => {
    const text = htmlToText('<h3>Setup</h3><p>Run   this:</p><pre>kubectl get pods<br>  -n kube-system<br>kubectl logs x</pre><p>Done</p>', document);
    expect(text).toBe('Setup\n\nRun this:\n\nkubectl get pods\n  -n kube-system\nkubectl logs x\n\nDone');
  });

  it('collapses any run of whitespace outside code, and only there', () => {
    expect(htmlToText('<p>a\tb\u00a0 c\n d e</p><pre>x\t  y</pre>', document)).toBe('a b c d e\n\nx\t  y');
  });

  it('ignores script and style text', () => {
    expect(htmlToText('<p>a</p><script>var x</script><style>p{}</style>', document)).toBe('a');
  });
});

describe('createLocalPrepare', () => {
  it('sanitizes and extracts text in one batch', async () => {
    const prepare = createLocalPrepare(window);
    const [one, two] = await prepare([{ html: '<p>One<script>x()</script></p>' }, { html: '<pre>a<br>b</pre>' }]);
    expect(one).toEqual({ html: '<p>One</p>', text: 'One' });
    expect(two!.text).toBe('a\nb');
  });
});
