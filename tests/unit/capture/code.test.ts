// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { codeLanguage, codeText, finishCodeBlocks, normalizeCodeBlocks } from '../../../lib/capture/code';
import { createSanitizer } from '../../../lib/html/sanitize';

function pre(html: string): Element {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div.querySelector('pre')!;
}

describe('codeText', () => {
  it("keeps Medium's <br>-in-<pre> line breaks, blank lines included", () => {
    expect(codeText(pre('<pre><span>a:<br>  b: 1<br><br>c: 2</span></pre>'))).toBe('a:\n  b: 1\n\nc: 2');
  });

  it('joins one-span-per-line and one-div-per-line blocks with newlines', () => {
    expect(codeText(pre('<pre><code><span class="line">one</span><span class="line">  two</span></code></pre>'))).toBe('one\n  two');
    expect(codeText(pre('<pre><div>x = 1</div><div>y = 2</div></pre>'))).toBe('x = 1\ny = 2');
    expect(codeText(pre('<pre><code>a</code><code>b</code></pre>'))).toBe('a\nb');
  });

  it('does not double newlines that are already there', () => {
    expect(codeText(pre('<pre><code><span class="line">one</span>\n<span class="line">two</span>\n</code></pre>'))).toBe('one\ntwo\n');
  });

  it('keeps tabs and turns non-breaking spaces into spaces, drops line-number gutters', () => {
    expect(codeText(pre('<pre>\tif x {\n\t\treturn\u00a0\u00a0y\n\t}</pre>'))).toBe('\tif x {\n\t\treturn  y\n\t}');
    expect(codeText(pre('<pre><span class="line-numbers-rows"><span></span><span></span></span><code>a\nb</code></pre>'))).toBe('a\nb');
  });
});

describe('codeLanguage', () => {
  it.each([
    ['<pre><code class="language-yaml">x</code></pre>', 'yaml'],
    ['<pre class="lang-bash">x</pre>', 'bash'],
    ['<pre><span data-code-block-lang="python">x</span></pre>', 'python'],
    ['<div class="language-hcl highlighter-rouge"><div class="highlight"><pre class="highlight"><code>x</code></pre></div></div>', 'hcl'],
    ['<pre class="highlight go"><code>x</code></pre>', 'go'],
    ['<pre data-language="Dockerfile">x</pre>', 'dockerfile'],
    ['<pre><code class="language-none">x</code></pre>', undefined],
    ['<pre class="graf graf--pre">x</pre>', undefined],
  ])('%s → %s', (html, lang) => {
    expect(codeLanguage(pre(html))).toBe(lang);
  });
});

describe('normalizeCodeBlocks + finishCodeBlocks', () => {
  it('rewrites blocks to <pre><code class="language-…"> that the sanitizer keeps', () => {
    const div = document.createElement('div');
    div.innerHTML =
      '<div class="highlight"><pre class="highlight shell"><code><span class="nb">echo</span> hi<br>ls</code></pre></div><table><tr><td class="gutter"><pre>1\n2</pre></td><td class="code"><pre>a\nb</pre></td></tr></table>';
    normalizeCodeBlocks(div);
    finishCodeBlocks(div);
    const clean = createSanitizer(window)(div.innerHTML);
    expect(clean).toContain('<pre><code class="language-shell">echo hi\nls</code></pre>');
    expect(clean).toContain('<pre><code>a\nb</code></pre>');
    expect(clean).not.toContain('1\n2');
  });

  it('the sanitizer drops any other class, and language classes elsewhere', () => {
    const sanitize = createSanitizer(window);
    expect(sanitize('<pre><code class="hljs language-YAML extra">x</code></pre>')).toBe('<pre><code class="language-yaml">x</code></pre>');
    expect(sanitize('<p class="language-yaml">x</p>')).toBe('<p>x</p>');
    expect(sanitize('<code class="language-x&quot; onclick=&quot;y">x</code>')).not.toContain('onclick');
  });
});
