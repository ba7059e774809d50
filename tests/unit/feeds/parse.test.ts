import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeFeedBytes } from '../../../lib/feeds/charset';
import { FeedError, parseFeed } from '../../../lib/feeds/parse';
import { AUTHOR, mediumAuthorFeed, samplePosts } from '../../fixtures/feeds/medium';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/feeds/${name}`, import.meta.url), 'utf8');
const MEDIUM_URL = `https://medium.com/feed/@${AUTHOR.handle}`;

describe('parseFeed: Medium RSS 2.0', () => {
  const posts = samplePosts(3);
  posts[1] = { ...posts[1]!, host: 'blog.devops.dev' };
  posts.push({ id: 'c0ffee000001', title: 'Thanks, good point!', body: ['Thanks, good point!'], tags: [], reply: true });
  posts.push({ id: 'c0ffee000002', title: 'Members only: cluster upgrades', body: ['Upgrading clusters one minor version at a time'], tags: ['kubernetes'], preview: true });
  const feed = parseFeed(mediumAuthorFeed(posts), { url: MEDIUM_URL });

  it('reads the channel', () => {
    expect(feed.title).toBe(`Stories by ${AUTHOR.name} on Medium`);
    expect(feed.siteUrl).toBe(`https://medium.com/@${AUTHOR.handle}`);
    expect(feed.iconUrl).toBe(`https://cdn-images-1.medium.com/fit/c/150/150/1*avatar-${AUTHOR.handle}.jpeg`);
    expect(feed.items).toHaveLength(5);
  });

  it('reads an item with guid, clean link, author, dates, tags and lead image', () => {
    const first = feed.items[0]!;
    expect(first).toMatchObject({
      guid: `https://medium.com/p/${posts[0]!.id}`,
      url: `https://medium.com/@${AUTHOR.handle}/kubernetes-probes-part-1-${posts[0]!.id}`,
      title: 'Kubernetes probes, part 1',
      author: AUTHOR.name,
      publishedAt: Date.UTC(2026, 4, 23),
      tags: ['devops', 'kubernetes'],
      leadImage: `https://cdn-images-1.medium.com/max/1024/1*${posts[0]!.id}.png`,
    });
    expect(first.isPreview).toBeUndefined();
    expect(first.isReply).toBeUndefined();
    expect(first.html).toContain('<pre>apiVersion: v1<br>kind: Pod<br>');
    expect(first.html).toContain('measure first, then change one thing at a time &amp; write it down');
  });

  it('strips ?source= from links on a custom domain', () => {
    expect(feed.items[1]!.url).toBe(`https://blog.devops.dev/kubernetes-probes-part-2-${posts[1]!.id}`.replace('kubernetes-probes-part-2', 'terraform-state-part-2'));
  });

  it('marks items without categories as author replies', () => {
    expect(feed.items[3]).toMatchObject({ title: 'Thanks, good point!', isReply: true, tags: [] });
  });

  it('marks member-only snippets as previews and takes their image', () => {
    expect(feed.items[4]).toMatchObject({ isPreview: true, leadImage: 'https://cdn-images-1.medium.com/max/600/1*c0ffee000002.png' });
  });

  it('does not take an untagged full post for a reply', () => {
    const untagged = samplePosts(1).map((p) => ({ ...p, tags: [] }));
    expect(parseFeed(mediumAuthorFeed(untagged), { url: MEDIUM_URL }).items[0]!.isReply).toBeUndefined();
  });

  it('does not mark replies in a feed that is not Medium', () => {
    const other = mediumAuthorFeed(samplePosts(1).map((p) => ({ ...p, tags: [] }))).replace('<generator>Medium</generator>', '');
    expect(parseFeed(other, { url: 'https://blog.example.com/rss' }).items[0]!.isReply).toBeUndefined();
  });
});

describe('parseFeed: other formats', () => {
  it('reads RSS 1.0 (RDF)', () => {
    const feed = parseFeed(fixture('rss1.rdf'), { url: 'https://ops.example.org/index.rdf' });
    expect(feed.title).toBe('Ops Notebook');
    expect(feed.siteUrl).toBe('https://ops.example.org/');
    expect(feed.iconUrl).toBe('https://ops.example.org/logo.png');
    expect(feed.items).toHaveLength(2);
    expect(feed.items[0]).toMatchObject({
      guid: 'https://ops.example.org/notes/dns-ttl',
      url: 'https://ops.example.org/notes/dns-ttl',
      title: 'Lower your DNS TTL before a migration',
      author: 'Ines Moreau',
      publishedAt: Date.UTC(2026, 2, 2, 8, 30),
      tags: ['dns'],
      html: '<p>Drop the TTL a day ahead &amp; raise it afterwards.</p>',
    });
    expect(feed.items[1]!.html).toBe('chronyc tracking tells you.');
  });

  it('reads Atom and resolves xml:base on feed, entry and content', () => {
    const feed = parseFeed(fixture('atom.xml'), { url: 'https://sre.example.net/blog/feed.atom' });
    expect(feed.title).toBe('SRE <Field> Notes');
    expect(feed.siteUrl).toBe('https://sre.example.net/blog/');
    expect(feed.iconUrl).toBe('https://sre.example.net/favicon.png');
    const [budgets, oncall] = feed.items;
    expect(budgets).toMatchObject({
      guid: 'tag:sre.example.net,2026:error-budgets',
      url: 'https://sre.example.net/blog/posts/error-budgets.html',
      author: 'Kai Brandt',
      publishedAt: Date.UTC(2026, 2, 30, 8),
      updatedAt: Date.UTC(2026, 3, 1, 12),
      tags: ['SRE', 'slo'],
      leadImage: 'https://sre.example.net/blog/posts/img/budget.png',
    });
    expect(budgets!.html).toContain('href="https://sre.example.net/blog/slo.html"');
    expect(budgets!.html).toContain('src="https://sre.example.net/blog/posts/img/budget.png"');
    // &amp;amp;&amp;amp; in the XML is the HTML text "&amp;&amp;": decoded once, not twice.
    expect(budgets!.html).toContain('Use &amp;&amp; between commands.');
    expect(oncall).toMatchObject({ title: 'On-call without burnout', author: 'Mina Oduya', url: 'https://sre.example.net/blog/on-call' });
    expect(oncall!.html).toBe('<p>Rotations of one week.</p><pre>pager: weekly\nhandover: written</pre>');
  });

  it('reads JSON Feed 1.1', () => {
    const feed = parseFeed(fixture('jsonfeed.json'), { url: 'https://pipelines.example.com/feed.json' });
    expect(feed).toMatchObject({ title: 'Pipeline Weekly', siteUrl: 'https://pipelines.example.com/', iconUrl: 'https://pipelines.example.com/icon.png' });
    expect(feed.items[0]).toMatchObject({
      guid: '2026-05-cache',
      url: 'https://pipelines.example.com/2026/05/cache',
      title: 'Caching dependencies in CI',
      author: 'Lee Park',
      publishedAt: Date.UTC(2026, 4, 4, 10),
      updatedAt: Date.UTC(2026, 4, 5, 10),
      tags: ['ci', 'cache'],
      leadImage: 'https://pipelines.example.com/img/cache.png',
    });
    expect(feed.items[1]).toMatchObject({ title: 'Quarantine flaky tests. Then fix them within a week.', author: 'Team Pipeline', html: '<p>Quarantine flaky tests.</p><p>Then fix them within a week.</p>' });
  });

  it('reads the {posts:[…]} JSON page with Medium guids so it dedupes against the RSS feed', () => {
    const feed = parseFeed(fixture('posts-page.json'), { url: 'https://mirror.example.com/api/posts' });
    expect(feed.title).toBe('Posts by @rowanvale');
    expect(feed.siteUrl).toBe('https://medium.com/@rowanvale');
    expect(feed.items).toHaveLength(2);
    expect(feed.items[0]).toMatchObject({
      guid: 'https://medium.com/p/0a1b2c3d4e5f',
      url: 'https://blog.devops.dev/rolling-restarts-without-downtime-0a1b2c3d4e5f',
      title: 'Rolling restarts without downtime',
      author: '@rowanvale',
      publishedAt: Date.UTC(2026, 3, 12, 12, 16, 1),
      leadImage: 'https://cdn-images-1.medium.com/max/1024/0*rolling.png',
      tags: ['kubernetes'],
    });
    expect(feed.items[1]!.leadImage).toBeUndefined();
  });
});

describe('parseFeed: charsets and entities', () => {
  const latin1Feed = (decl: string) =>
    `<?xml version="1.0"${decl}?><rss version="2.0"><channel><title>Caf\u00e9 des Op\u00e9rations</title><item><title>D\u00e9ploiement \u00e0 chaud</title><link>https://ops.example.fr/a</link><description>&lt;p&gt;Cr\u00e8me br\u00fbl\u00e9e&lt;/p&gt;</description></item></channel></rss>`;

  it('decodes ISO-8859-1 named in the XML declaration without mojibake', () => {
    const bytes = new Uint8Array(Buffer.from(latin1Feed(' encoding="ISO-8859-1"'), 'latin1'));
    const feed = parseFeed(decodeFeedBytes(bytes), { url: 'https://ops.example.fr/rss' });
    expect(feed.title).toBe('Café des Opérations');
    expect(feed.items[0]!.title).toBe('Déploiement à chaud');
    expect(feed.items[0]!.html).toBe('<p>Crème brûlée</p>');
  });

  it('lets the HTTP header charset win over a missing declaration', () => {
    const bytes = new Uint8Array(Buffer.from(latin1Feed(''), 'latin1'));
    expect(parseFeed(decodeFeedBytes(bytes, 'application/rss+xml; charset=iso-8859-1'), { url: 'https://ops.example.fr/rss' }).title).toBe('Café des Opérations');
    // Without either, the bytes are read as UTF-8 and the invalid ones show as replacement characters.
    expect(decodeFeedBytes(bytes)).toContain('Caf\ufffd');
  });

  it('reads UTF-8 with a byte-order mark', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(latin1Feed(''), 'utf8')]);
    expect(parseFeed(decodeFeedBytes(bytes), { url: 'https://ops.example.fr/rss' }).title).toBe('Café des Opérations');
  });

  it('decodes entities exactly once, numeric and named', () => {
    const xml = `<rss version="2.0"><channel><title>A &amp;amp; B &#8212; &#x2603; &nbsp;&unknown;</title><item><title>Tom &amp; Jerry &lt;3</title><link>https://x.example/a?x=1&amp;y=2</link><description>&amp;lt;script&amp;gt;</description></item></channel></rss>`;
    const feed = parseFeed(xml, { url: 'https://x.example/rss' });
    expect(feed.title).toBe('A &amp; B — ☃ &unknown;');
    expect(feed.items[0]!.title).toBe('Tom & Jerry <3');
    expect(feed.items[0]!.url).toBe('https://x.example/a?x=1&y=2');
    // The description is HTML whose text is "&lt;script&gt;": never a tag.
    expect(feed.items[0]!.html).toBe('&lt;script&gt;');
  });
});

describe('parseFeed: hostile and broken input', () => {
  it('refuses entity declarations ("billion laughs") quickly', () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]><rss version="2.0"><channel><title>&lol9;</title></channel></rss>`;
    const t0 = performance.now();
    expect(() => parseFeed(lol, { url: 'https://evil.example/rss' })).toThrow(/declares its own XML entities/);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('refuses external entities too', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>&xxe;</title></channel></rss>`;
    expect(() => parseFeed(xxe, { url: 'https://evil.example/rss' })).toThrow(FeedError);
  });

  it('accepts a plain DOCTYPE without declarations', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel><title>Old</title></channel></rss>`;
    expect(parseFeed(xml, { url: 'https://old.example/rss' }).title).toBe('Old');
  });

  it('refuses oversized input before parsing', () => {
    const huge = `<rss version="2.0"><channel><title>${'x'.repeat(6 * 1024 * 1024)}</title></channel></rss>`;
    expect(() => parseFeed(huge, { url: 'https://big.example/rss' })).toThrow(/larger than 5 MB/);
  });

  it('refuses absurd nesting', () => {
    const deep = `<rss version="2.0"><channel>${'<a>'.repeat(1000)}${'</a>'.repeat(1000)}</channel></rss>`;
    expect(() => parseFeed(deep, { url: 'https://deep.example/rss' })).toThrow(/nested too deeply/);
  });

  it.each([
    ['mismatched tags', '<rss version="2.0"><channel><title>x</channel></rss>', /not valid XML: <title> is closed by <\/channel> \(line 1\)/],
    ['unclosed root', '<rss version="2.0"><channel><title>x</title>\n', /not valid XML: <channel> is never closed \(line 2\)/],
    ['unquoted attribute', '<rss version=2.0><channel/></rss>', /not valid XML: an unquoted attribute value in <rss>/],
    ['two roots', '<rss version="2.0"><channel/></rss><rss/>', /content after the root element/],
    ['unclosed CDATA', '<rss version="2.0"><channel><title><![CDATA[x</title></channel></rss>', /unclosed CDATA/],
  ])('explains malformed XML: %s', (_name, xml, message) => {
    expect(() => parseFeed(xml, { url: 'https://bad.example/rss' })).toThrow(message);
  });

  it.each([
    ['an empty body', '   ', /The feed is empty/],
    ['a web page', '<!DOCTYPE html><html><head><title>Hi</title></head><body></body></html>', /web page, not a feed/],
    ['other XML', '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', /root element is <svg>/],
    ['broken JSON', '{"posts": [', /not valid JSON/],
    ['unrelated JSON', '{"hello": "world"}', /neither a JSON Feed nor a list of posts/],
    ['RSS without channel', '<rss version="2.0"/>', /no <channel>/],
  ])('explains %s', (_name, body, message) => {
    expect(() => parseFeed(body, { url: 'https://bad.example/rss' })).toThrow(message);
  });

  it('passes hostile HTML through unsanitized for the sanitizer, but never runs or mangles it', () => {
    const xml = `<rss version="2.0"><channel><title>t</title><item><title>&lt;img src=x onerror=alert(1)&gt;</title><link>javascript:alert(1)</link></item><item><title>ok</title><link>https://x.example/ok</link><description><![CDATA[<script>alert(1)</script><p onclick="x()">hi</p>]]></description></item></channel></rss>`;
    const feed = parseFeed(xml, { url: 'https://x.example/rss' });
    // The title is plain text; the UI renders it as text.
    expect(feed.items[0]!.title).toBe('<img src=x onerror=alert(1)>');
    expect(feed.items[1]!.html).toBe('<script>alert(1)</script><p onclick="x()">hi</p>');
  });
});
