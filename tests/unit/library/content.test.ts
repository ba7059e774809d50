import { describe, expect, it } from 'vitest';
import { fillPlaceholders } from '../../../lib/library/content';
import { compareCompleteness, completeness } from '../../../lib/library/merge';
import { setStarred } from '../../../lib/library/actions';
import { storeArticles } from '../../../lib/library/store';
import { gistFilesHtml, embedLinkHtml, replaceMarkers } from '../../../lib/gists/gists';
import { fixedDeps, freshDb, newArticle } from '../helpers/db';

const GIST = 'https://gist.github.com/ops/0123456789abcdef';
const VIDEO = 'https://medium.com/media/0123456789abcdef0123456789abcdef';
const marker = (url: string) => `<pre data-offprint-gist="${url}"><code>Embedded code: ${url}</code></pre>`;
const placeholderHtml = `<p>Restart it:</p>${marker(GIST)}<p>Then watch:</p>${marker(VIDEO)}`;
const placeholderText = `Restart it:\n\nEmbedded code: ${GIST}\n\nThen watch:\n\nEmbedded code: ${VIDEO}`;

/** The placeholders filled: a one-line gist, and the other embed (not code) as a link. */
function filled() {
  const html = replaceMarkers(
    placeholderHtml,
    new Map([
      [GIST, gistFilesHtml([{ filename: 'restart.sh', language: 'Shell', content: 'systemctl restart api\n' }])],
      [VIDEO, embedLinkHtml(VIDEO)],
    ]),
  );
  return { html, text: `Restart it:\n\nrestart.sh\nsystemctl restart api\n\nThen watch:\n\nEmbedded content: ${VIDEO}` };
}

describe('filling gist placeholders (issue 15)', () => {
  it('replaces the placeholder content even where the merge rule would keep it', async () => {
    const db = freshDb();
    const id = (await storeArticles(db, [newArticle({ url: 'https://medium.com/@ops/restart', html: placeholderHtml, text: placeholderText, tags: ['ops'] })], fixedDeps()))[0]!.id;
    await setStarred(db, [id], 1);
    const next = filled();
    // Why this is its own operation: by the merge rule's measures the filled text looks poorer
    // (a placeholder counts as a code block; the embed that was a video became a link).
    expect(compareCompleteness(completeness(next, 0), completeness({ html: placeholderHtml, text: placeholderText }, 0)).ok).toBe(false);

    expect(await fillPlaceholders(db, id, placeholderHtml, next.html, next.text)).toBe('filled');
    const content = await db.contents.get(id);
    expect(content).toMatchObject({ html: next.html, text: next.text });
    expect(content!.html).toContain('<figcaption>restart.sh</figcaption><pre><code class="language-shell">systemctl restart api\n</code></pre>');
    const article = await db.articles.get(id);
    expect(article).toMatchObject({ starred: 1, tags: ['ops'], offline: 'pending', title: 'A post' });
    expect(article!.wordCount).toBeGreaterThan(0);
    // The search index follows the new text.
    expect((await db.searchDocs.get(id))?.terms).toContain('systemctl');
  });

  it('writes nothing when the stored text changed since the fill read it', async () => {
    const db = freshDb();
    const id = (await storeArticles(db, [newArticle({ url: 'https://medium.com/@ops/restart', html: placeholderHtml, text: placeholderText })], fixedDeps()))[0]!.id;
    const next = filled();
    expect(await fillPlaceholders(db, id, '<p>an older text</p>', next.html, next.text)).toBe('changed');
    expect(await db.contents.get(id)).toMatchObject({ html: placeholderHtml });
    expect(await fillPlaceholders(db, 'no-such-id', placeholderHtml, next.html, next.text)).toBe('gone');
  });
});
