import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { OffprintDB } from '../../../lib/db/schema';
import { fillPlaceholders } from '../../../lib/library/content';
import { storeArticles } from '../../../lib/library/store';
import { gistFilesHtml, replaceMarkers } from '../../../lib/gists/gists';
import { newArticle } from '../helpers/db';
import { syncDevices } from './devices';

/**
 * A later write never replaces richer content with poorer, across devices too:
 * sync compares content by completeness first and by stamp only within a class.
 */

const folder = syncDevices('quality');

const URL = 'https://medium.com/@ops/rollouts';
/** n words of made-up prose. */
const prose = (n: number, word = 'rollout') => Array.from({ length: n }, (_, i) => `${word}${i}`).join(' ');
const tick = () => new Promise((r) => setTimeout(r, 5));

async function content(db: OffprintDB) {
  const [article] = await db.articles.toArray();
  expect(article).toBeDefined();
  return (await db.contents.get(article!.id))!;
}

describe('content synced between devices is never made poorer', () => {
  it('full text fetched on B at t1 survives a paywalled copy stored on A at t2', async () => {
    const f = folder();
    const a = f.device('a');
    const b = f.device('b');
    const preview = prose(60, 'teaser');
    await storeArticles(a.db, [newArticle({ url: URL, source: 'feed', isPreview: 1, html: `<p>${preview}</p>`, text: preview })]);
    await a.sync();
    await b.sync();
    // B fetches the full text (t1)…
    const full = `${preview} ${prose(800)}`;
    await storeArticles(b.db, [newArticle({ url: URL, source: 'feed', isPreview: 0, html: `<p>${full}</p>`, text: full })]);
    expect((await content(b.db)).text).toBe(full);
    await tick();
    // …A, offline, clips the page behind a paywall (t2 > t1): locally it beats A's preview.
    const walled = `${preview} ${prose(40, 'subscribe')}`;
    await storeArticles(a.db, [newArticle({ url: URL, source: 'clip', isPreview: 0, html: `<p>${walled}</p>`, text: walled })]);
    expect((await content(a.db)).text).toBe(walled);
    await b.sync();
    await a.sync();
    await b.sync();
    expect((await content(a.db)).text).toBe(full);
    expect((await content(b.db)).text).toBe(full);
  });

  it('a stub written later does not replace a preview elsewhere, and a later full text replaces both', async () => {
    const f = folder();
    const a = f.device('a');
    const b = f.device('b');
    const preview = prose(120, 'teaser');
    await storeArticles(a.db, [newArticle({ url: URL, source: 'feed', isPreview: 1, html: `<p>${preview}</p>`, text: preview })]);
    await a.sync();
    await tick();
    await storeArticles(b.db, [newArticle({ url: URL, source: 'clip', html: `<p><a href="${URL}">Rollouts</a></p>`, text: 'Rollouts' })]);
    await b.sync();
    await a.sync();
    await b.sync();
    expect((await content(a.db)).text).toBe(preview);
    expect((await content(b.db)).text).toBe(preview);
    await tick();
    const full = `${preview} ${prose(500)}`;
    await storeArticles(b.db, [newArticle({ url: URL, source: 'clip', html: `<p>${full}</p>`, text: full })]);
    await b.sync();
    await a.sync();
    expect((await content(a.db)).text).toBe(full);
  });

  it('a copy still holding gist placeholders gets the code filled elsewhere, on both devices', async () => {
    const f = folder();
    const a = f.device('a');
    const b = f.device('b');
    const GIST = 'https://gist.github.com/ops/0123456789abcdef';
    const marker = `<pre data-offprint-gist="${GIST}"><code>Embedded code: ${GIST}</code></pre>`;
    const intro = prose(200, 'canary');
    const html = `<p>${intro}</p>${marker}<p>Then watch.</p>`;
    const text = `${intro}\n\nEmbedded code: ${GIST}\n\nThen watch.`;
    await storeArticles(a.db, [newArticle({ url: URL, html, text })]);
    await a.sync();
    await b.sync();
    // B fills the placeholder (t1).
    const filledHtml = replaceMarkers(html, new Map([[GIST, gistFilesHtml([{ filename: 'rollout.sh', language: 'Shell', content: 'kubectl rollout restart deploy/api\n' }], GIST)]]));
    const id = (await b.db.articles.toArray())[0]!.id;
    expect(await fillPlaceholders(b.db, id, html, filledHtml, `${intro}\n\nrollout.sh\nkubectl rollout restart deploy/api\n\nThen watch.`)).toBe('filled');
    await tick();
    // A, offline, stores an edited copy, still with the placeholder (t2 > t1).
    const html2 = html.replace('Then watch.', 'Then watch the rollout.');
    const text2 = text.replace('Then watch.', 'Then watch the rollout.');
    await storeArticles(a.db, [newArticle({ url: URL, html: html2, text: text2 })]);
    expect((await content(a.db)).html).toBe(html2);
    await b.sync();
    await a.sync();
    await b.sync();
    for (const db of [a.db, b.db]) {
      const c = await content(db);
      // A's edit, with B's code in place of the placeholder.
      expect(c.html).toContain('Then watch the rollout.');
      expect(c.html).toContain('kubectl rollout restart deploy/api');
      expect(c.html).not.toContain('<pre data-offprint-gist=');
      expect(c.text).toContain('kubectl rollout restart deploy/api');
    }
    expect((await content(a.db)).html).toBe((await content(b.db)).html);
  });
});
