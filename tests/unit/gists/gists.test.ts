// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { captureDocument } from '../../../lib/capture/capture';
import { createLocalPrepare } from '../../../lib/dom/prepare';
import { gistUrl, markGistEmbeds, mediumMediaUrl } from '../../../lib/gists/embeds';
import { fillGists } from '../../../lib/gists/fill';
import { hasPendingCode, pendingGists } from '../../../lib/gists/gists';
import { createSanitizer } from '../../../lib/html/sanitize';
import { storeArticles } from '../../../lib/library/store';
import { DEPLOY_GIST, PROBE_GIST, MEDIA_HASH_1, MEDIA_HASH_2, feedIframe, gistApiJson, mediumMediaPage, mediumPostPage, type FixtureGist } from '../../fixtures/gists/gists';
import { fixedDeps, freshDb, newArticle } from '../helpers/db';

const gistPage = (g: FixtureGist) => `https://gist.github.com/${g.user}/${g.id}`;

/** GitHub and Medium as a fake fetch; `failing` answers 503 for the gists API. */
function fakeNet(opts: { failing?: boolean; log?: string[] } = {}) {
  return async (input: RequestInfo | URL): Promise<Response> => {
    const url = String(input);
    opts.log?.push(url);
    const gists = [DEPLOY_GIST, PROBE_GIST];
    if (url === `https://medium.com/media/${MEDIA_HASH_1}/href`) return Object.defineProperty(new Response('<html>gist page</html>'), 'url', { value: gistPage(DEPLOY_GIST) });
    if (url === `https://medium.com/media/${MEDIA_HASH_2}/href`) return new Response(mediumMediaPage(PROBE_GIST), { headers: { 'content-type': 'text/html' } });
    const api = /^https:\/\/api\.github\.com\/gists\/(\w+)$/.exec(url);
    if (api) {
      if (opts.failing) return new Response('down', { status: 503 });
      const g = gists.find((x) => x.id === api[1]);
      return g ? new Response(gistApiJson(g, 'rollout.sh'), { headers: { 'content-type': 'application/json' } }) : new Response('{}', { status: 404 });
    }
    const raw = /raw\/\w+\/(.+)$/.exec(url);
    if (raw) return new Response(DEPLOY_GIST.files.find((f) => f.filename === raw[1])!.content);
    return new Response('nope', { status: 404 });
  };
}

describe('gist embeds', { timeout: 30_000 }, () => {
  it('recognizes gist and Medium media URLs', () => {
    expect(gistUrl('https://gist.github.com/ops-writer/abc123def.js')).toBe('https://gist.github.com/ops-writer/abc123def');
    expect(gistUrl('https://gist.github.com/ops-writer/abc123def.js?file=a.yaml')).toBe('https://gist.github.com/ops-writer/abc123def?file=a.yaml');
    expect(gistUrl('https://github.com/ops-writer/abc123def')).toBeUndefined();
    expect(mediumMediaUrl(`https://medium.com/media/${MEDIA_HASH_1}/href`)).toBe(`https://medium.com/media/${MEDIA_HASH_1}`);
  });

  it('marks feed iframes, script embeds and lone gist links; leaves a gist named in a sentence', () => {
    const root = document.createElement('div');
    root.innerHTML = `<p>Intro</p>${feedIframe(MEDIA_HASH_1)}<script src="${gistPage(PROBE_GIST)}.js"></script><noscript>view</noscript><p><a href="${gistPage(DEPLOY_GIST)}">${gistPage(DEPLOY_GIST)}</a></p><p>See <a href="${gistPage(DEPLOY_GIST)}">my gist</a> for more.</p>`;
    expect(markGistEmbeds(root)).toBe(3);
    expect([...root.querySelectorAll('pre[data-offprint-gist]')].map((p) => p.getAttribute('data-offprint-gist'))).toEqual([`https://medium.com/media/${MEDIA_HASH_1}`, gistPage(PROBE_GIST), gistPage(DEPLOY_GIST)]);
    expect(root.innerHTML).toContain('See <a');
    expect(root.querySelector('noscript')).toBeNull();
  });

  it('a Medium feed item keeps both embeds as placeholders through sanitizing, and fills them with exact code', async () => {
    const prepare = createLocalPrepare(window);
    const [prepared] = await prepare([{ html: `<p>Before</p>${feedIframe(MEDIA_HASH_1)}<p>Between</p>${feedIframe(MEDIA_HASH_2)}<p>After</p>`, baseUrl: 'https://medium.com/@ops-writer/post-1' }]);
    expect(pendingGists(prepared!.html)).toEqual([`https://medium.com/media/${MEDIA_HASH_1}`, `https://medium.com/media/${MEDIA_HASH_2}`]);
    const db = freshDb();
    const [stored] = await storeArticles(db, [newArticle({ url: 'https://medium.com/@ops-writer/post-1', source: 'feed', ...prepared! })], fixedDeps());
    const log: string[] = [];
    const result = await fillGists(stored!.id, { db, prepare, fetch: fakeNet({ log }) as typeof fetch, now: () => Date.now(), allowed: async () => true });
    expect(result).toMatchObject({ filled: 2, pending: 0 });
    const html = (await db.contents.get(stored!.id))!.html;
    expect(hasPendingCode(html)).toBe(false);
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const figures = [...doc.querySelectorAll('figure')].map((f) => ({ caption: f.querySelector('figcaption')?.textContent, lang: f.querySelector('code')?.className, code: f.querySelector('code')?.textContent }));
    expect(figures).toEqual([
      { caption: 'deployment.yaml', lang: 'language-yaml', code: DEPLOY_GIST.files[0]!.content },
      { caption: 'rollout.sh', lang: 'language-shell', code: DEPLOY_GIST.files[1]!.content },
      { caption: 'probe.go', lang: 'language-go', code: PROBE_GIST.files[0]!.content },
    ]);
    // In place: the code sits between the paragraphs it was between.
    expect(doc.body.textContent!.indexOf('Between')).toBeGreaterThan(doc.body.textContent!.indexOf('rollout status'));
    expect((await db.contents.get(stored!.id))!.text).toContain('kubectl rollout status');
  });

  it('a re-polled feed item still holding placeholders keeps the code already filled, and takes the author’s edits', async () => {
    const prepare = createLocalPrepare(window);
    const url = 'https://medium.com/@ops-writer/post-2';
    // One gist of one short file: by the merge rule's measures its placeholder (a code block, an address) is as complete.
    const item = (para: string) => `<p>${para}</p>${feedIframe(MEDIA_HASH_2)}<p>After that, roll it out to every cluster and watch the probes.</p>`;
    const [first] = await prepare([{ html: item('Before'), baseUrl: url }]);
    const db = freshDb();
    const [stored] = await storeArticles(db, [newArticle({ url, guid: 'post-2', source: 'feed', ...first! })], fixedDeps());
    expect(await fillGists(stored!.id, { db, prepare, fetch: fakeNet() as typeof fetch, now: () => Date.now(), allowed: async () => true })).toMatchObject({ filled: 1 });
    const codeOf = async () => {
      const doc = new DOMParser().parseFromString((await db.contents.get(stored!.id))!.html, 'text/html');
      return [...doc.querySelectorAll('figure code')].map((c) => c.textContent);
    };
    const code = await codeOf();
    expect(code).toEqual([PROBE_GIST.files[0]!.content]);
    // The next poll brings the same item: its content:encoded has the empty iframes again.
    const [again] = await prepare([{ html: item('Before'), baseUrl: url }]);
    await storeArticles(db, [newArticle({ url, guid: 'post-2', source: 'feed', ...again! })], fixedDeps());
    expect(hasPendingCode((await db.contents.get(stored!.id))!.html)).toBe(false);
    expect(await codeOf()).toEqual(code);
    // An edited item: the new words land, the code stays.
    const [edited] = await prepare([{ html: item('Before, now with a longer introduction that the author added after publishing'), baseUrl: url }]);
    await storeArticles(db, [newArticle({ url, guid: 'post-2', source: 'feed', ...edited! })], fixedDeps());
    const content = (await db.contents.get(stored!.id))!;
    expect(content.html).toContain('a longer introduction');
    expect(hasPendingCode(content.html)).toBe(false);
    expect(await codeOf()).toEqual(code);
    expect(content.text).toContain('return true // no-op');
    expect(content.text).not.toContain('Embedded code:');
  });

  it('a clipped Medium page keeps its gist iframe through Readability as a placeholder', () => {
    const doc = new DOMParser().parseFromString(mediumPostPage('Readiness probes that tell the truth', MEDIA_HASH_2), 'text/html');
    const page = captureDocument(doc, createSanitizer(window));
    expect(page.kind).toBe('article');
    expect(pendingGists(page.html)).toEqual([`https://medium.com/media/${MEDIA_HASH_2}`]);
    // The embed's own figure goes: its code becomes figures, never nested in another.
    expect(page.html).not.toMatch(/<figure><pre/);
  });

  it('a gist that cannot be fetched stays a placeholder with its reason; without permission nothing is fetched', async () => {
    const prepare = createLocalPrepare(window);
    const [prepared] = await prepare([{ html: `<p>x</p><script src="${gistPage(PROBE_GIST)}.js"></script>`, baseUrl: 'https://blog.example.dev/p' }]);
    const db = freshDb();
    const [stored] = await storeArticles(db, [newArticle({ url: 'https://blog.example.dev/p', ...prepared! })], fixedDeps());
    const log: string[] = [];
    const deps = { db, prepare, fetch: fakeNet({ log, failing: true }) as typeof fetch, now: () => Date.now() };
    expect(await fillGists(stored!.id, { ...deps, allowed: async () => false })).toMatchObject({ needsPermission: true, pending: 1 });
    expect(log).toEqual([]);
    const failed = await fillGists(stored!.id, { ...deps, allowed: async () => true });
    expect(failed.pending).toBe(1);
    expect(Object.values(failed.reasons)[0]).toMatch(/503/);
    expect(hasPendingCode((await db.contents.get(stored!.id))!.html)).toBe(true);
    const ok = await fillGists(stored!.id, { ...deps, fetch: fakeNet() as typeof fetch, allowed: async () => true });
    expect(ok).toMatchObject({ filled: 1, pending: 0 });
  });
});
