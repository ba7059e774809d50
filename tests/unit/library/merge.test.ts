import { describe, expect, it } from 'vitest';
import type { Article } from '../../../lib/db/types';
import { compareCompleteness, completeness, mergeArticle, type IncomingCopy } from '../../../lib/library/merge';

const words = (n: number, word = 'kubernetes') => Array.from({ length: n }, (_, i) => `${word}${i}`).join(' ');

/** A stored article as each source leaves it. */
function stored(overrides: Partial<Article> = {}): Article {
  return {
    id: 'a1',
    url: 'https://blog.example.dev/post',
    source: 'clip',
    box: 'saved',
    title: 'Scheduling pods',
    author: 'Rowan Vale',
    leadImage: 'https://img.example/lead.png',
    tags: ['k8s'],
    publishedAt: Date.UTC(2026, 1, 1),
    savedAt: Date.UTC(2026, 1, 2),
    sortAt: Date.UTC(2026, 1, 1),
    wordCount: 300,
    readingMinutes: 1,
    isRead: 0,
    starred: 0,
    progress: 0.4,
    isPreview: 0,
    isReply: 0,
    offline: 'ready',
    ...overrides,
  };
}

const full = { html: `<p>${words(300)}</p><pre><code>kubectl get pods\nkubectl describe pod</code></pre><img src="https://img.example/a.png">`, text: `${words(300)}\nkubectl get pods\nkubectl describe pod` };
const preview = { html: `<p>${words(60)}</p>`, text: words(60) };
const pocketStub = { html: '<p>Saved in Pocket. Pocket’s export holds only the title and link, not the article’s text.</p><p><a href="https://blog.example.dev/post">Open the original</a></p>', text: 'Saved in Pocket. Pocket’s export holds only the title and link, not the article’s text. Open the original' };

function incoming(content: { html: string; text: string }, fields: Partial<IncomingCopy['fields']> = {}, state: IncomingCopy['state'] = {}): IncomingCopy {
  return { fields: { url: 'https://blog.example.dev/post', title: 'Scheduling pods', ...fields }, content, state };
}

describe('completeness', () => {
  it('counts words, code blocks and images, and knows a preview', () => {
    expect(completeness(full, 0)).toEqual({ preview: false, words: 306, codeBlocks: 1, images: 1 });
    expect(completeness(preview, 1)).toMatchObject({ preview: true, words: 60, codeBlocks: 0 });
    expect(completeness(undefined, 0)).toMatchObject({ words: 0 });
  });

  it('a stub, a preview or a shorter capture is not as complete as the full text', () => {
    const f = completeness(full, 0);
    expect(compareCompleteness(completeness(pocketStub, 0), f).ok).toBe(false);
    expect(compareCompleteness(completeness(preview, 1), f).ok).toBe(false);
    expect(compareCompleteness(completeness({ html: `<p>${words(150)}</p><pre>x</pre><img src="x">`, text: words(150) }, 0), f).ok).toBe(false);
    expect(compareCompleteness(completeness({ html: `<p>${words(310)}</p><img src="x">`, text: words(310) }, 0), f)).toEqual({ ok: false, reason: 'the new copy has fewer code blocks' });
    expect(compareCompleteness(f, completeness(preview, 1)).ok).toBe(true);
    expect(compareCompleteness(f, f).ok).toBe(true);
  });
});

describe('mergeArticle: every source meeting every stored copy', () => {
  // [stored source, incoming origin, what arrives] → kept or replaced
  const cases: { name: string; storedPreview: 0 | 1; storedContent: { html: string; text: string }; arriving: { html: string; text: string }; arrivingPreview?: 0 | 1; replaced: boolean }[] = [
    { name: 'import (Pocket stub) over a full clip', storedPreview: 0, storedContent: full, arriving: pocketStub, replaced: false },
    { name: 'feed preview over a full clip', storedPreview: 0, storedContent: full, arriving: preview, arrivingPreview: 1, replaced: false },
    { name: 'full text (clip of a preview) over a feed preview', storedPreview: 1, storedContent: preview, arriving: full, replaced: true },
    { name: 'feed full post over a feed preview', storedPreview: 1, storedContent: preview, arriving: full, replaced: true },
    { name: 'Pocket stub over a feed preview', storedPreview: 1, storedContent: preview, arriving: pocketStub, replaced: false },
    { name: 'shorter re-clip over a longer clip', storedPreview: 0, storedContent: full, arriving: { html: `<p>${words(100)}</p>`, text: words(100) }, replaced: false },
    { name: 'newer, longer re-clip over an older clip', storedPreview: 0, storedContent: full, arriving: { html: full.html + '<p>Update: more</p>', text: full.text + '\nUpdate: more' }, replaced: true },
    { name: 'restore of a richer backup over a Pocket stub', storedPreview: 0, storedContent: pocketStub, arriving: full, replaced: true },
    { name: 'restore of an older, poorer backup over a full clip', storedPreview: 0, storedContent: full, arriving: pocketStub, replaced: false },
    { name: 'full capture into an article whose text is empty', storedPreview: 0, storedContent: { html: '', text: '' }, arriving: preview, arrivingPreview: 1, replaced: true },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.replaced ? 'replaced' : 'kept'}`, () => {
      const r = mergeArticle(stored({ isPreview: c.storedPreview }), c.storedContent, incoming(c.arriving, { isPreview: c.arrivingPreview ?? 0 }));
      expect(r.contentReplaced).toBe(c.replaced);
      expect(r.content).toEqual(c.replaced ? c.arriving : undefined);
      if (c.replaced) {
        expect(r.updated).toContain('content');
        expect(r.article.isPreview).toBe(c.arrivingPreview ?? 0);
        expect(r.article.offline).toBe('pending');
      } else {
        expect(r.keptBecause).toBeTruthy();
        expect(r.article.isPreview).toBe(c.storedPreview);
        expect(r.article.offline).toBe('ready');
      }
    });
  }

  it('the same text again changes nothing', () => {
    const r = mergeArticle(stored(), full, incoming(full));
    expect(r).toMatchObject({ contentReplaced: false, keptBecause: undefined, updated: [] });
  });

  it('a known author, date, image or tag is never replaced by an unknown one', () => {
    // A Pocket row: no author, no date, no image, the URL as title, saved later.
    const r = mergeArticle(stored(), full, incoming(pocketStub, { title: 'https://blog.example.dev/post', savedAt: Date.UTC(2026, 5, 1) }, { tags: [] }));
    expect(r.article).toMatchObject({ title: 'Scheduling pods', author: 'Rowan Vale', leadImage: 'https://img.example/lead.png', publishedAt: Date.UTC(2026, 1, 1), sortAt: Date.UTC(2026, 1, 1), savedAt: Date.UTC(2026, 1, 2), tags: ['k8s'] });
    expect(r.updated).toEqual([]);
  });

  it('fills in what the stored copy does not know, even when its text stays', () => {
    const r = mergeArticle(stored({ author: undefined, publishedAt: undefined, leadImage: undefined }), full, incoming(preview, { isPreview: 1, author: 'Rowan Vale', publishedAt: 5000, leadImage: 'https://img.example/b.png' }, { tags: ['sre'] }));
    expect(r.contentReplaced).toBe(false);
    expect(r.article).toMatchObject({ author: 'Rowan Vale', publishedAt: 5000, sortAt: 5000, leadImage: 'https://img.example/b.png', tags: ['k8s', 'sre'] });
    expect(r.updated).toEqual(expect.arrayContaining(['author', 'publishedAt', 'leadImage', 'tags']));
  });

  it('a richer copy brings its own known metadata (an edited title)', () => {
    const r = mergeArticle(stored({ isPreview: 1 }), preview, incoming(full, { title: 'Scheduling pods, revised', author: 'R. Vale' }));
    expect(r.article).toMatchObject({ title: 'Scheduling pods, revised', author: 'R. Vale', isPreview: 0 });
  });

  it('reader state only moves forward', () => {
    const read = stored({ isRead: 1, starred: 1, progress: 0.8, box: 'archive' });
    const back = mergeArticle(read, full, incoming(full, {}, { isRead: 0, starred: 0, progress: 0.1, archived: false }));
    expect(back.article).toMatchObject({ isRead: 1, starred: 1, progress: 0.8, box: 'archive' });
    const forward = mergeArticle(stored(), full, incoming(pocketStub, {}, { isRead: 1, starred: 1, progress: 0.9, archived: true, tags: ['later'] }));
    expect(forward.article).toMatchObject({ isRead: 1, starred: 1, progress: 0.9, box: 'archive', tags: ['k8s', 'later'] });
    expect(forward.contentReplaced).toBe(false);
    // A trashed article is not pulled out of Trash by an archived copy.
    expect(mergeArticle(stored({ box: 'trash' }), full, incoming(full, {}, { archived: true })).article.box).toBe('trash');
  });

  it('the earliest save and the latest edit date win', () => {
    const r = mergeArticle(stored({ updatedAt: 10 }), full, incoming(full, { savedAt: Date.UTC(2025, 0, 1), updatedAt: 20 }));
    expect(r.article).toMatchObject({ savedAt: Date.UTC(2025, 0, 1), updatedAt: 20 });
  });
});
