import { describe, expect, it } from 'vitest';
import { storeArticles } from '../../../lib/library/store';
import { countUnreadInbox, countViews, getArticle, listBox } from '../../../lib/library/queries';
import { fixedDeps, freshDb, newArticle } from '../helpers/db';

describe('storeArticles', () => {
  it('adds an article with its content in the right box', async () => {
    const db = freshDb();
    const [outcome] = await storeArticles(db, [newArticle({ source: 'feed', publishedAt: 1000 })], fixedDeps());
    expect(outcome).toEqual({ id: 'id-1', status: 'added' });
    const stored = await getArticle(db, 'id-1');
    expect(stored?.article).toMatchObject({ box: 'inbox', sortAt: 1000, isRead: 0, wordCount: 2, readingMinutes: 1 });
    expect(stored?.content?.html).toBe('<p>Hello world</p>');
  });

  it('stores one article per guid and keeps what the reader did with it', async () => {
    const db = freshDb();
    const deps = fixedDeps();
    const guid = 'https://medium.com/p/abc123';
    await storeArticles(db, [newArticle({ source: 'feed', guid, url: 'https://medium.com/@a/post-abc123', isPreview: 1 })], deps);
    await db.articles.update('id-1', { isRead: 1, starred: 1, tags: ['k8s'], progress: 0.5 });
    const [again] = await storeArticles(
      db,
      [newArticle({ source: 'feed', guid, url: 'https://blog.devops.dev/post-abc123', html: '<p>Full text now</p>', text: 'Full text now', tags: ['devops'] })],
      deps,
    );
    expect(again).toEqual({ id: 'id-1', status: 'updated' });
    expect(await db.articles.count()).toBe(1);
    const { article, content } = (await getArticle(db, 'id-1'))!;
    expect(article).toMatchObject({ isRead: 1, starred: 1, progress: 0.5, isPreview: 0, tags: ['k8s', 'devops'] });
    expect(content?.text).toBe('Full text now');
  });

  it('matches an existing article by canonical URL when there is no guid', async () => {
    const db = freshDb();
    await storeArticles(db, [newArticle()], fixedDeps());
    const [again] = await storeArticles(db, [newArticle({ title: 'Renamed' })], fixedDeps());
    expect(again!.status).toBe('updated');
    expect((await db.articles.toArray()).map((a) => a.title)).toEqual(['Renamed']);
  });

  it('never turns a full article back into a preview', async () => {
    const db = freshDb();
    await storeArticles(db, [newArticle({ isPreview: 0 })], fixedDeps());
    await storeArticles(db, [newArticle({ isPreview: 1 })], fixedDeps());
    expect((await db.articles.get('id-1'))!.isPreview).toBe(0);
  });
});

describe('queries', () => {
  it('lists a box newest first and counts each view', async () => {
    const db = freshDb();
    await storeArticles(
      db,
      [
        newArticle({ url: 'https://a.test/1', source: 'feed', publishedAt: 1 }),
        newArticle({ url: 'https://a.test/2', source: 'feed', publishedAt: 3 }),
        newArticle({ url: 'https://a.test/3', source: 'clip', savedAt: 2 }),
      ],
      fixedDeps(),
    );
    await db.articles.update('id-1', { starred: 1, isRead: 1 });
    const inbox = await listBox(db, 'inbox', 0, 10);
    expect(inbox.map((a) => a.url)).toEqual(['https://a.test/2', 'https://a.test/1']);
    expect(await countViews(db)).toEqual({ inbox: 2, saved: 1, archive: 0, trash: 0, starred: 1 });
    expect(await countUnreadInbox(db)).toBe(1);
  });
});

describe('storeArticles in batches', () => {
  it('stores a post repeated within one batch once, the later copy winning', async () => {
    const db = freshDb();
    const guid = 'https://medium.com/p/dup1';
    const outcomes = await storeArticles(
      db,
      [newArticle({ guid, url: 'https://a.test/x', title: 'First' }), newArticle({ guid, url: 'https://b.test/x', title: 'Second' })],
      fixedDeps(),
    );
    expect(outcomes).toEqual([
      { id: 'id-1', status: 'added' },
      { id: 'id-1', status: 'updated' },
    ]);
    expect((await db.articles.toArray()).map((a) => [a.title, a.url])).toEqual([['Second', 'https://b.test/x']]);
  });

  it('mixes new and known articles in one batch', async () => {
    const db = freshDb();
    const deps = fixedDeps();
    await storeArticles(db, [newArticle({ url: 'https://a.test/1' })], deps);
    await db.articles.update('id-1', { isRead: 1 });
    const outcomes = await storeArticles(db, [newArticle({ url: 'https://a.test/2' }), newArticle({ url: 'https://a.test/1', title: 'New title' })], deps);
    expect(outcomes.map((o) => o.status)).toEqual(['added', 'updated']);
    expect(await db.articles.get('id-1')).toMatchObject({ title: 'New title', isRead: 1 });
    expect(await db.contents.count()).toBe(2);
  });

  it('finds each input of a batch by guid first, then by URL, as a lookup per article would', async () => {
    const db = freshDb();
    const deps = fixedDeps();
    await storeArticles(db, [newArticle({ guid: 'g-1', url: 'https://a.test/by-guid' }), newArticle({ url: 'https://a.test/shared' }), newArticle({ url: 'https://a.test/twice' })], deps);
    // Two stored articles with one URL (possible after a URL change): the first by id is the one met.
    await db.articles.put({ ...(await db.articles.get('id-3'))!, id: 'id-0' });
    const outcomes = await storeArticles(
      db,
      [
        // Its guid is id-1's, its URL id-2's: the guid wins.
        newArticle({ guid: 'g-1', url: 'https://a.test/shared', title: 'By guid' }),
        newArticle({ guid: 'g-unknown', url: 'https://a.test/twice', title: 'By URL' }),
        newArticle({ url: 'https://a.test/new', title: 'New' }),
      ],
      deps,
    );
    expect(outcomes.map((o) => [o.id, o.status])).toEqual([
      ['id-1', 'updated'],
      ['id-0', 'updated'],
      ['id-4', 'added'],
    ]);
    expect((await db.articles.get('id-1'))!.title).toBe('By guid');
    expect((await db.articles.get('id-0'))!.title).toBe('By URL');
    expect((await db.articles.get('id-3'))!.title).not.toBe('By URL');
  });
});
