import { describe, expect, it } from 'vitest';
import { mediumFeedFor, mediumPostId, targetFromInput } from '../../../lib/feeds/medium';
import { discoverFeeds, looksLikeMediumPage } from '../../../lib/feeds/discover';
import { needsHostPermission, offersFor, originPattern } from '../../../lib/feeds/offers';

describe('Medium URL → feed', () => {
  it.each([
    ['https://medium.com/@rowanvale', 'https://medium.com/feed/@rowanvale', 'medium-user'],
    ['https://medium.com/@rowanvale/some-post-0a1b2c3d4e5f?source=rss', 'https://medium.com/feed/@rowanvale', 'medium-user'],
    ['https://rowanvale.medium.com/some-post-0a1b2c3d4e5f', 'https://medium.com/feed/@rowanvale', 'medium-user'],
    ['https://medium.com/devops-dev', 'https://medium.com/feed/devops-dev', 'medium-publication'],
    ['https://medium.com/devops-dev/some-post-0a1b2c3d4e5f', 'https://medium.com/feed/devops-dev', 'medium-publication'],
    ['https://medium.com/tag/Kubernetes', 'https://medium.com/feed/tag/kubernetes', 'medium-tag'],
    ['https://medium.com/tag/kubernetes/recommended', 'https://medium.com/feed/tag/kubernetes', 'medium-tag'],
    ['https://medium.com/feed/@rowanvale', 'https://medium.com/feed/@rowanvale', 'medium-user'],
    ['https://www.medium.com/@rowanvale', 'https://medium.com/feed/@rowanvale', 'medium-user'],
  ])('%s → %s', (page, feed, kind) => {
    expect(mediumFeedFor(page)).toMatchObject({ url: feed, kind });
  });

  it.each(['https://medium.com/', 'https://medium.com/about', 'https://medium.com/me/lists', 'https://help.medium.com/hc', 'https://cdn-images-1.medium.com/x.png', 'https://example.com/@x', 'not a url'])(
    'offers nothing for %s',
    (page) => {
      expect(mediumFeedFor(page)).toBeUndefined();
    },
  );

  it('reads what a reader types', () => {
    expect(targetFromInput('@rowanvale')).toMatchObject({ url: 'https://medium.com/feed/@rowanvale', kind: 'medium-user' });
    expect(targetFromInput('  medium.com/@rowanvale ')).toMatchObject({ url: 'https://medium.com/feed/@rowanvale' });
    expect(targetFromInput('blog.example.com/feed.xml')).toEqual({ url: 'https://blog.example.com/feed.xml', kind: 'web', name: 'blog.example.com' });
    expect(targetFromInput('http://ops.example.org/rss')).toMatchObject({ url: 'http://ops.example.org/rss', kind: 'web' });
    expect(targetFromInput('hello world')).toBeUndefined();
    expect(targetFromInput('javascript:alert(1)')).toBeUndefined();
    expect(targetFromInput('ftp://x.example/feed')).toBeUndefined();
  });

  it('finds Medium post ids in guids and slugs', () => {
    expect(mediumPostId('https://medium.com/p/ff73bba0f626')).toBe('ff73bba0f626');
    expect(mediumPostId('init-containers-explained-ff73bba0f626')).toBe('ff73bba0f626');
    expect(mediumPostId('https://example.com/post')).toBeUndefined();
  });
});

describe('autodiscovery', () => {
  const html = `<html><head>
    <link rel="stylesheet" href="/s.css">
    <link rel="alternate" type="application/rss+xml" title="Posts &amp; notes" href="/feed.xml">
    <link href='https://cdn.example.net/atom' rel='alternate' type='application/atom+xml'>
    <link rel="alternate" type="application/feed+json" href="/feed.json" title="JSON">
    <link rel="alternate" hreflang="de" href="/de/">
    <link rel="alternate" type="application/rss+xml" href="/feed.xml">
  </head></html>`;

  it('finds RSS, Atom and JSON feeds from the HTML, deduplicated and absolute', () => {
    expect(discoverFeeds(html, 'https://blog.example.com/post/1')).toEqual([
      { url: 'https://blog.example.com/feed.xml', title: 'Posts & notes', type: 'application/rss+xml' },
      { url: 'https://cdn.example.net/atom', title: undefined, type: 'application/atom+xml' },
      { url: 'https://blog.example.com/feed.json', title: 'JSON', type: 'application/feed+json' },
    ]);
  });

  it('recognises a Medium page on its own domain', () => {
    expect(looksLikeMediumPage('<meta property="al:android:app_name" content="Medium">')).toBe(true);
    expect(looksLikeMediumPage('<meta name="generator" content="Hugo">')).toBe(false);
  });

  it('offers the right feed for each kind of page, named after the page', () => {
    expect(offersFor({ url: 'https://medium.com/@rowanvale', ogTitle: 'Rowan Vale – Medium' })).toEqual([{ url: 'https://medium.com/feed/@rowanvale', kind: 'medium-user', name: 'Rowan Vale' }]);
    expect(offersFor({ url: 'https://medium.com/@rowanvale/a-post-0a1b2c3d4e5f', author: 'Rowan Vale', ogTitle: 'A post' })[0]!.name).toBe('Rowan Vale');
    expect(offersFor({ url: 'https://medium.com/@rowanvale/a-post-0a1b2c3d4e5f' })[0]!.name).toBe('@rowanvale');
    expect(offersFor({ url: 'https://medium.com/tag/devops' })[0]).toMatchObject({ url: 'https://medium.com/feed/tag/devops', name: '#devops' });
    expect(offersFor({ url: 'https://blog.devops.dev/a-post-0a1b2c3d4e5f', appName: 'Medium', siteName: 'DevOps.dev' })).toEqual([
      { url: 'https://blog.devops.dev/feed', kind: 'medium-custom-domain', name: 'DevOps.dev' },
    ]);
    expect(
      offersFor({ url: 'https://blog.example.com/', title: 'Example blog', feeds: [{ href: 'https://blog.example.com/rss', type: 'application/rss+xml' }, { href: '/de/', type: 'text/html' }] }),
    ).toEqual([{ url: 'https://blog.example.com/rss', kind: 'web', name: 'Example blog' }]);
    expect(offersFor({ url: 'https://news.example.com/' })).toEqual([]);
  });

  it('asks for host permission only outside Medium', () => {
    expect(needsHostPermission('https://medium.com/feed/@x')).toBe(false);
    expect(needsHostPermission('https://x.medium.com/feed')).toBe(false);
    expect(needsHostPermission('https://blog.devops.dev/feed')).toBe(true);
    expect(originPattern('https://blog.devops.dev:8443/feed?x=1')).toBe('https://blog.devops.dev/*');
  });
});
