import type { Page } from '@playwright/test';
import type { FixtureServer } from './harness/server';
import { DEPLOY_GIST, MEDIA_HASH_1, MEDIA_HASH_2, PROBE_GIST, gistApiJson, mediumMediaPage, type FixtureGist } from '../fixtures/gists/gists';

// Gist fixtures for the Chromium and Firefox specs: GitHub's API and Medium's media embeds at their real hostnames.

/** GitHub's gists API and gist pages; `state.down` makes the API answer 503. */
export function serveGists(server: FixtureServer, state = { down: false }) {
  for (const g of [DEPLOY_GIST, PROBE_GIST]) {
    server.route(`https://api.github.com/gists/${g.id}`, () => (state.down ? { status: 503, body: 'unavailable' } : { headers: { 'content-type': 'application/json; charset=utf-8' }, body: gistApiJson(g, 'rollout.sh') }));
    server.page(`https://gist.github.com/${g.user}/${g.id}`, `<!doctype html><title>${g.files[0]!.filename}</title><p>gist</p>`);
    for (const f of g.files) server.route(`https://gist.githubusercontent.com/${g.user}/${g.id}/raw/0123abcd/${f.filename}`, { headers: { 'content-type': 'text/plain; charset=utf-8' }, body: f.content });
  }
  // Medium media embeds: one redirects (/href) to its gist, one is a page running the gist's script.
  server.route(`https://medium.com/media/${MEDIA_HASH_1}/href`, { status: 302, headers: { location: `https://gist.github.com/${DEPLOY_GIST.user}/${DEPLOY_GIST.id}` } });
  server.page(`https://medium.com/media/${MEDIA_HASH_2}/href`, mediumMediaPage(PROBE_GIST));
  server.page(`https://medium.com/media/${MEDIA_HASH_2}`, mediumMediaPage(PROBE_GIST));
  return state;
}

/** The code blocks an article body shows: caption, language class and exact text. */
export async function codeBlocks(page: Page) {
  // page.evaluate, not locator.evaluateAll: the Firefox adapter implements the former.
  return page.evaluate(() =>
    [...document.querySelectorAll('.article-body figure')]
      .filter((f) => f.querySelector('pre'))
      .map((f) => ({ caption: f.querySelector('figcaption')?.textContent ?? '', lang: f.querySelector('code')?.className ?? '', code: f.querySelector('code')?.textContent ?? '' })),
  );
}

export const expected = (g: FixtureGist) => g.files.map((f) => ({ caption: f.filename, lang: `language-${f.language!.toLowerCase()}`, code: f.content }));
