import { describe, expect, it } from 'vitest';
import { addFollows, feedKind, feedsToOpml } from '../../../lib/io/follows';
import { parseOpml, serializeOpml } from '../../../lib/io/opml';
import { fixedDeps, freshDb } from '../helpers/db';
import { fixture } from './helpers';

describe('OPML import', () => {
  it('reads Feedly exports: category outlines become folders, entities decoded', () => {
    expect(parseOpml(fixture('feedly.opml'))).toEqual([
      { url: 'https://medium.com/feed/@anaops', title: 'Stories by Ana Ops on Medium', siteUrl: 'https://medium.com/@anaops?source=rss-abc', folder: 'DevOps' },
      { url: 'https://sre.example.org/feed.xml', title: 'Platform & SRE Weekly', siteUrl: 'https://sre.example.org/', folder: 'DevOps' },
      { url: 'https://medium.com/feed/tag/kubernetes', title: 'kubernetes – Medium', siteUrl: 'https://medium.com/tag/kubernetes', folder: 'Kubernetes' },
    ]);
  });

  it('reads Inoreader exports with feeds outside any folder', () => {
    const feeds = parseOpml(fixture('inoreader.xml'));
    expect(feeds.map((f) => [f.url, f.folder])).toEqual([
      ['https://cloudjournal.example.net/rss', 'Cloud'],
      ['https://loose.example.com/atom.xml', undefined],
    ]);
  });

  it('reads NetNewsWire exports with nested folders as a folder path', () => {
    const feeds = parseOpml(fixture('netnewswire.opml'));
    expect(feeds).toEqual([
      { url: 'https://infra-notes.example.dev/feed.rss', title: 'Tiny Infra Notes', siteUrl: 'https://infra-notes.example.dev/', folder: 'Engineering / Infra' },
      { url: 'https://opsdigest.example.io/index.xml', title: 'Ops Digest', siteUrl: 'https://opsdigest.example.io/', folder: undefined },
    ]);
  });

  it('lists a feed only once and ignores outlines without a web feed URL', () => {
    const xml = `<opml version="2.0"><body><outline text="A" xmlUrl="https://a.example/feed"/><outline text="A again" xmlUrl="https://a.example/feed"/><outline text="bad" xmlUrl="javascript:alert(1)"/></body></opml>`;
    expect(parseOpml(xml).map((f) => f.title)).toEqual(['A']);
  });

  it('refuses files that are not OPML', () => {
    expect(() => parseOpml('<rss><channel/></rss>')).toThrow(/not an OPML file/);
  });

  it('round-trips through its own export, folders and odd characters included', () => {
    const feeds = parseOpml(fixture('feedly.opml')).concat(parseOpml(fixture('netnewswire.opml')));
    const again = parseOpml(serializeOpml(feeds, { now: 0 }));
    expect(new Set(again.map((f) => JSON.stringify(f)))).toEqual(new Set(feeds.map((f) => JSON.stringify(f))));
  });
});

describe('adding follows from OPML', () => {
  it('adds new feeds with their kind and folder and never duplicates an existing follow', async () => {
    const db = freshDb();
    const deps = fixedDeps();
    await db.feeds.add({ id: 'old', url: 'http://Sre.example.org/feed.xml/', title: 'Mine', kind: 'web', addedAt: 1, nextCheckAt: 1, failures: 3 });
    const result = await addFollows(db, parseOpml(fixture('feedly.opml')), deps);
    expect(result).toEqual({ added: 2, existing: 1 });
    const feeds = await db.feeds.orderBy('url').toArray();
    expect(feeds.map((f) => [f.url, f.kind, f.folder])).toEqual([
      ['http://Sre.example.org/feed.xml/', 'web', 'DevOps'],
      ['https://medium.com/feed/@anaops', 'medium-user', 'DevOps'],
      ['https://medium.com/feed/tag/kubernetes', 'medium-tag', 'Kubernetes'],
    ]);
    expect(feeds[0]).toMatchObject({ title: 'Mine', failures: 3 });
    expect(await addFollows(db, parseOpml(fixture('feedly.opml')), deps)).toEqual({ added: 0, existing: 3 });
    const opml = serializeOpml(feedsToOpml(await db.feeds.toArray()), { now: 0 });
    expect(parseOpml(opml)).toHaveLength(3);
  });

  it('classifies Medium feed URLs', () => {
    expect(feedKind('https://medium.com/feed/@x')).toBe('medium-user');
    expect(feedKind('https://medium.com/feed/tag/devops')).toBe('medium-tag');
    expect(feedKind('https://medium.com/feed/better-programming')).toBe('medium-publication');
    expect(feedKind('https://someone.medium.com/feed')).toBe('medium-user');
    expect(feedKind('https://blog.example.dev/feed')).toBe('web');
  });
});
