import { describe, expect, it } from 'vitest';
import { markdownToDraft, splitFrontMatter, textToDraft } from '../../../lib/io/text';
import { fixture } from './helpers';

describe('plain text import', () => {
  it('takes a short first line as the title and keeps paragraphs, code and lists', () => {
    const d = textToDraft(fixture('capture.txt'), 'capture.txt');
    expect(d.title).toBe('Notes on rolling back deployments');
    expect(d.html).not.toContain('Notes on rolling back deployments');
    expect(d.html).toContain('<p>A rollback is only as good as the last thing you tested.');
    expect(d.html).toContain('<p>Check what actually changed</p>');
    expect(d.html).toContain('<pre><code>kubectl rollout history deployment/checkout -n shop\nkubectl rollout undo');
    expect(d.html).toContain('<ul><li>Keep image tags immutable.</li><li>Store the rendered manifests');
    expect(d.url).toMatch(/^urn:offprint:import:[0-9a-f]{14}$/);
  });

  it('uses the first sentence as the title when the first line is a paragraph, and keeps that line', () => {
    const text = 'Terraform state is the map of what exists, and losing it means guessing. Keep it remote and locked.\nSecond line stands alone.\nThird line too.';
    const d = textToDraft(text, 'x.txt');
    expect(d.title).toBe('Terraform state is the map of what exists, and losing it means guessing');
    expect(d.html).toBe('<p>Terraform state is the map of what exists, and losing it means guessing. Keep it remote and locked.</p>\n<p>Second line stands alone.</p>\n<p>Third line too.</p>');
  });

  it('keeps YAML indentation in a code block and escapes markup', () => {
    const d = textToDraft('Title\n\nspec:\n  replicas: 2\n  template: <b>x</b>\n\nAfter.', 't.txt');
    expect(d.html).toContain('<pre><code>spec:\n  replicas: 2\n  template: &lt;b&gt;x&lt;/b&gt;</code></pre>');
  });

  it('gives the same URL to the same text, so a re-import updates instead of duplicating', () => {
    expect(textToDraft('A\n\nbody', 'a.txt').url).toBe(textToDraft('A\r\n\r\nbody\n', 'b.txt').url);
    expect(textToDraft('A\n\nbody', 'a.txt').url).not.toBe(textToDraft('A\n\nother body', 'a.txt').url);
  });

  it('refuses an empty file', () => {
    expect(() => textToDraft(' \n\n ', 'empty.txt')).toThrow(/empty/);
  });
});

describe('Markdown import', () => {
  it('reads front matter, drops the repeated heading, keeps fenced code with its language', () => {
    const d = markdownToDraft(fixture('notes.md'), 'notes.md');
    expect(d).toMatchObject({
      title: 'Shipping Terraform modules safely',
      author: 'Priya Raman',
      url: 'https://notes.example.com/terraform-modules?source=rss-123',
      publishedAt: Date.UTC(2025, 1, 14, 9, 30),
      tags: ['terraform', 'iac'],
    });
    expect(d.html).not.toContain('<h1>');
    expect(d.html).toContain('<code class="language-hcl">module &quot;vpc&quot; {');
    expect(d.html).toContain('<code>terraform plan</code>');
  });

  it('takes a leading # heading as the title when there is no front matter', () => {
    const d = markdownToDraft('# Blue/green in practice\n\nSwitch the *router*, not the pods.', 'bg.md');
    expect(d.title).toBe('Blue/green in practice');
    expect(d.html).toContain('<p>Switch the <em>router</em>, not the pods.</p>');
  });

  it('parses inline lists and quoted values in front matter', () => {
    const { meta, body } = splitFrontMatter('---\ntitle: \'It\'\'s fine\'\ntags: [a, "b c"]\n---\nBody');
    expect(meta).toEqual({ title: "It's fine", tags: ['a', 'b c'] });
    expect(body).toBe('Body');
  });
});

describe('titles of social posts', () => {
  it('ends the derived title at an emoji when there is no full stop', () => {
    const d = textToDraft('🔥 Helm Charts Demystified — Stop Copy-Pasting Values Files 🔥 Everyone uses Helm but few read the templates they install and that is where outages start', 'post.txt');
    expect(d.title).toBe('🔥 Helm Charts Demystified — Stop Copy-Pasting Values Files 🔥');
  });
});
