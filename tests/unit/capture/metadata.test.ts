// @vitest-environment jsdom
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { canonicalUrl, extractMetadata } from '../../../lib/capture/metadata';

const doc = (head: string, url = 'https://blog.test/posts/one?utm_source=x', htmlAttrs = '') =>
  new JSDOM(`<!doctype html><html ${htmlAttrs}><head>${head}</head><body><p>x</p></body></html>`, { url }).window.document;

describe('extractMetadata', () => {
  it('reads JSON-LD first, inside @graph, with author arrays and image objects', () => {
    const m = extractMetadata(
      doc(`<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Site"},{"@type":["BlogPosting"],"headline":"From LD","author":[{"name":"A One"},{"name":"B Two"}],"datePublished":"2026-04-01T10:00:00Z","dateModified":"2026-04-02T10:00:00Z","image":{"url":"/lead.png"},"publisher":{"name":"Pub"},"description":"LD desc"}]}</script>
        <meta property="og:title" content="From OG">`),
    );
    expect(m).toMatchObject({
      title: 'From LD',
      author: 'A One, B Two',
      publishedAt: Date.UTC(2026, 3, 1, 10),
      updatedAt: Date.UTC(2026, 3, 2, 10),
      leadImage: 'https://blog.test/lead.png',
      siteName: 'Pub',
      excerpt: 'LD desc',
      url: 'https://blog.test/posts/one',
      socialPost: false,
    });
  });

  it('falls back to meta tags and survives broken JSON-LD', () => {
    const m = extractMetadata(
      doc(
        `<script type="application/ld+json">{broken</script><meta property="og:title" content="OG title"><meta name="author" content="By Jo Doe"><meta property="article:author" content="https://facebook.com/jo">
         <meta property="og:site_name" content="Jo's blog"><meta property="article:published_time" content="2026-01-02"><meta property="og:image" content="https://cdn.test/og.png"><meta name="description" content="Desc">`,
        undefined,
        'lang="de-DE"',
      ),
    );
    expect(m).toMatchObject({ title: 'OG title', author: 'Jo Doe', siteName: "Jo's blog", publishedAt: Date.UTC(2026, 0, 2), leadImage: 'https://cdn.test/og.png', excerpt: 'Desc', lang: 'de-DE' });
  });

  it("derives Medium's post guid so a clip meets its feed copy", () => {
    expect(extractMetadata(doc('<meta property="al:android:url" content="medium://p/3f2a9c1b7d4e">')).guid).toBe('https://medium.com/p/3f2a9c1b7d4e');
    expect(extractMetadata(doc('')).guid).toBeUndefined();
  });

  it('recognises social posts and their text', () => {
    const m = extractMetadata(doc('<script type="application/ld+json">{"@type":"SocialMediaPosting","articleBody":"Hello there","author":{"name":"P"}}</script>'));
    expect(m).toMatchObject({ socialPost: true, postBody: 'Hello there', author: 'P' });
  });
});

describe('canonicalUrl', () => {
  it('uses the canonical link without tracking parameters', () => {
    const d = doc('<link rel="canonical" href="/posts/one-canonical?utm_medium=rss&amp;fbclid=1&amp;page=2#top">');
    expect(canonicalUrl(d, d.URL)).toBe('https://blog.test/posts/one-canonical?page=2');
  });
  it('ignores a canonical that points at the home page, and non-web canonicals', () => {
    const d = doc('<link rel="canonical" href="https://blog.test/">');
    expect(canonicalUrl(d, d.URL)).toBe('https://blog.test/posts/one');
    const j = doc('<link rel="canonical" href="javascript:alert(1)">');
    expect(canonicalUrl(j, j.URL)).toBe('https://blog.test/posts/one');
  });
});
