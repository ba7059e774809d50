// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { Article } from '../../../lib/db/types';
import { createSanitizer } from '../../../lib/html/sanitize';
import { articleToHtml } from '../../../lib/io/html-export';
import { articleToMarkdown, guessLanguage, htmlToMarkdown, safeFileName } from '../../../lib/io/markdown';
import { markdownToDraft } from '../../../lib/io/text';

const article: Article = {
  id: 'a1',
  url: 'https://blog.example.dev/helm-rollbacks',
  source: 'clip',
  box: 'saved',
  title: 'Helm rollbacks: "what" really happens',
  author: 'Ines Moreau',
  tags: ['helm', 'kubernetes'],
  publishedAt: Date.UTC(2025, 2, 4, 12),
  savedAt: Date.UTC(2025, 2, 5),
  sortAt: 0,
  wordCount: 10,
  readingMinutes: 1,
  isRead: 0,
  starred: 0,
  progress: 0,
  isPreview: 0,
  isReply: 0,
  offline: 'ready',
};

describe('Markdown export', () => {
  it('writes front matter and fences code with its language, from the class or guessed', () => {
    const sanitize = createSanitizer(window);
    const html = sanitize(
      '<h2>Steps</h2><p>Run <code>helm history</code> first, then <a href="https://helm.sh/docs?utm_source=x">read the docs</a>.</p>' +
        '<pre><code class="language-YAML hljs">replicaCount: 2\nimage:\n  tag: "1.4"</code></pre>' +
        '<pre>kubectl get pods<br>helm rollback web 3</pre>' +
        '<ul><li>one <strong>bold</strong></li><li>two</li></ul><blockquote><p>Quote</p></blockquote><img src="https://img.example/a.png" alt="diagram">',
      article.url,
    );
    const md = articleToMarkdown(article, html, document);
    expect(md).toContain('---\ntitle: "Helm rollbacks: \\"what\\" really happens"\nauthor: "Ines Moreau"\nurl: "https://blog.example.dev/helm-rollbacks"\ndate: 2025-03-04T12:00:00.000Z');
    expect(md).toContain('tags:\n  - "helm"\n  - "kubernetes"\n---\n\n# Helm rollbacks');
    expect(md).toContain('## Steps\n\nRun `helm history` first, then [read the docs](https://helm.sh/docs).');
    expect(md).toContain('```yaml\nreplicaCount: 2\nimage:\n  tag: "1.4"\n```');
    expect(md).toContain('```bash\nkubectl get pods\nhelm rollback web 3\n```');
    expect(md).toContain('- one **bold**\n- two');
    expect(md).toContain('> Quote');
    expect(md).toContain('![diagram](https://img.example/a.png)');
  });

  it('reads back through Markdown import with the same title, author, URL, date and tags', () => {
    const md = articleToMarkdown(article, '<p>Body text.</p><pre><code class="language-go">fmt.Println("hi")</code></pre>', document);
    const draft = markdownToDraft(md, 'x.md');
    expect(draft).toMatchObject({ title: article.title, author: 'Ines Moreau', url: article.url, publishedAt: article.publishedAt, tags: ['helm', 'kubernetes'] });
    expect(draft.html).toContain('<code class="language-go">');
  });

  it('the sanitizer keeps only a code block’s language class, nothing else', () => {
    const sanitize = createSanitizer(window);
    expect(sanitize('<pre class="hljs"><code class="evil language-Go x">a</code></pre><p class="language-js">t</p>')).toBe('<pre><code class="language-go">a</code></pre><p>t</p>');
  });

  it('grows the fence when code holds backticks', () => {
    expect(htmlToMarkdown('<pre><code>echo ```x```</code></pre>', document)).toBe('````bash\necho ```x```\n````\n');
  });

  it('guesses only when the shape is clear', () => {
    expect(guessLanguage('{"a": 1}')).toBe('json');
    expect(guessLanguage('FROM node:20\nRUN npm ci')).toBe('dockerfile');
    expect(guessLanguage('for i in range(3):\n    print(i)')).toBe('');
  });

  it('makes safe file names', () => {
    expect(safeFileName('a/b: c? <d>', 'md')).toBe('a b c d.md');
    expect(safeFileName('   ', 'html')).toBe('article.html');
  });
});

describe('HTML export', () => {
  it('is one self-contained page: inline style, no script, stored images inlined', () => {
    const page = articleToHtml(article, '<p>Hi</p><img src="https://img.example/a.png?x=1&amp;y=2" alt="">', new Map([['https://img.example/a.png?x=1&y=2', 'data:image/png;base64,AAAA']]));
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<title>Helm rollbacks: &quot;what&quot; really happens</title>');
    expect(page).toContain('<style>');
    expect(page).toContain('src="data:image/png;base64,AAAA"');
    expect(page).not.toMatch(/<script|<link rel="stylesheet"/);
    expect(page).toContain('<meta name="author" content="Ines Moreau">');
    const doc = new DOMParser().parseFromString(page, 'text/html');
    expect(doc.querySelector('h1')?.textContent).toBe(article.title);
  });
});

describe('exporting a selection', () => {
  it('gives one file for one article and a zip for several, Trash left out of “all”', async () => {
    const { freshDb, fixedDeps, newArticle } = await import('../helpers/db');
    const { storeArticles } = await import('../../../lib/library/store');
    const { exportArticles, allExportableIds } = await import('../../../lib/io/export');
    const { unzipSync, strFromU8 } = await import('fflate');
    const db = freshDb();
    await storeArticles(db, [newArticle({ url: 'https://a.example/1', title: 'First', html: '<p>One</p>' }), newArticle({ url: 'https://a.example/2', title: 'Second', html: '<p>Two<script>x()</script></p>' }), newArticle({ url: 'https://a.example/3', title: 'Binned' })], fixedDeps());
    await db.articles.update('id-3', { box: 'trash' });
    const deps = { doc: document, sanitize: createSanitizer(window), now: Date.UTC(2026, 0, 2) };

    const one = await exportArticles(db, ['id-1'], 'markdown', deps);
    expect(one).toMatchObject({ name: 'First.md', type: 'text/markdown' });
    expect(one.data).toContain('# First\n\nOne');

    const ids = await allExportableIds(db);
    expect(ids.sort()).toEqual(['id-1', 'id-2']);
    const zip = await exportArticles(db, ids, 'html', deps);
    expect(zip).toMatchObject({ name: 'offprint-html-2026-01-02.zip', type: 'application/zip' });
    const files = unzipSync(zip.data as Uint8Array);
    expect(Object.keys(files).sort()).toEqual(['First.html', 'Second.html']);
    expect(strFromU8(files['Second.html']!)).not.toContain('<script>x()');
    await expect(exportArticles(db, [], 'html', deps)).rejects.toThrow(/at least one/);
  });
});
