import { describe, expect, it } from 'vitest';
import { addTag, moveToTrash, setRead } from '../../../lib/library/actions';
import { comparator, countByTag, listPlace, placeArticles, unreadByFeed } from '../../../lib/library/places';
import { noteOpened, recentlyRead, RECENT_CAP } from '../../../lib/library/recent';
import { storeArticles } from '../../../lib/library/store';
import { fixedDeps, freshDb, newArticle } from '../helpers/db';

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

async function library() {
  const db = freshDb();
  const out = await storeArticles(
    db,
    [
      newArticle({ url: 'https://a.test/1', source: 'feed', feedId: 'f1', publishedAt: 100, title: 'one', text: words(300) }),
      newArticle({ url: 'https://a.test/2', source: 'feed', feedId: 'f1', publishedAt: 200, title: 'two', text: words(50) }),
      newArticle({ url: 'https://a.test/3', source: 'feed', feedId: 'f2', publishedAt: 300, title: 'three', text: words(900) }),
      newArticle({ url: 'https://a.test/4', source: 'clip', publishedAt: 400, title: 'four', text: words(10) }),
    ],
    fixedDeps(),
  );
  return { db, ids: out.map((o) => o.id) };
}

const titles = (rows: { title: string }[]) => rows.map((r) => r.title);

describe('listing a place', () => {
  it('pages a box through its index in both date orders, with the whole count', async () => {
    const { db } = await library();
    const newest = await listPlace(db, { kind: 'box', box: 'inbox' }, 'newest', 0, 2);
    expect(titles(newest.rows)).toEqual(['three', 'two']);
    expect(newest.total).toBe(3);
    expect(titles((await listPlace(db, { kind: 'box', box: 'inbox' }, 'oldest', 1, 5)).rows)).toEqual(['two', 'three']);
  });

  it('sorts by length and by when the article was last opened', async () => {
    const { db, ids } = await library();
    expect(titles((await listPlace(db, { kind: 'box', box: 'inbox' }, 'longest', 0, 10)).rows)).toEqual(['three', 'one', 'two']);
    expect(titles((await listPlace(db, { kind: 'box', box: 'inbox' }, 'shortest', 0, 10)).rows)).toEqual(['two', 'one', 'three']);
    await noteOpened(db, ids[0]!, 1000);
    await noteOpened(db, ids[2]!, 2000);
    const recent = await recentlyRead(db);
    // Opened ones first (latest on top), then the rest newest first.
    expect(titles((await listPlace(db, { kind: 'box', box: 'inbox' }, 'recent', 0, 10, { recentlyRead: recent })).rows)).toEqual(['three', 'one', 'two']);
  });

  it('lists a feed, a folder of feeds and a tag across boxes, never Trash', async () => {
    const { db, ids } = await library();
    await addTag(db, [ids[1]!, ids[3]!], 'later');
    expect(titles((await listPlace(db, { kind: 'feed', feedId: 'f1' }, 'newest', 0, 10)).rows)).toEqual(['two', 'one']);
    const folder = await listPlace(db, { kind: 'folder', folder: 'Ops' }, 'newest', 0, 10, { feedsInFolder: (f) => (f === 'Ops' ? ['f1', 'f2'] : []) });
    expect(titles(folder.rows)).toEqual(['three', 'two', 'one']);
    expect(titles((await listPlace(db, { kind: 'tag', tag: 'later' }, 'newest', 0, 10)).rows)).toEqual(['four', 'two']);
    await moveToTrash(db, [ids[1]!], 5);
    expect(titles(await placeArticles(db, { kind: 'tag', tag: 'later' }))).toEqual(['four']);
    expect(titles(await placeArticles(db, { kind: 'feed', feedId: 'f1' }))).toEqual(['one']);
    expect((await countByTag(db, ['later'])).get('later')).toBe(1);
  });

  it('counts unread articles per feed, leaving out read and trashed ones', async () => {
    const { db, ids } = await library();
    await setRead(db, [ids[0]!], 1);
    await moveToTrash(db, [ids[2]!], 5);
    const unread = await unreadByFeed(db, ['f1', 'f2', 'none']);
    expect([...unread.entries()]).toEqual([
      ['f1', 1],
      ['f2', 0],
      ['none', 0],
    ]);
  });

  it('keeps ties in a stable order', () => {
    const a = { id: 'a', sortAt: 1, wordCount: 5 } as never;
    const b = { id: 'b', sortAt: 1, wordCount: 5 } as never;
    expect([b, a].sort(comparator('longest'))).toEqual([a, b]);
  });

  it('remembers at most the cap of recently opened articles, latest kept', async () => {
    const db = freshDb();
    const entries = Array.from({ length: RECENT_CAP + 5 }, (_, i) => [`id${i}`, i]);
    await db.kv.put({ key: 'library:recentlyRead', value: entries });
    await noteOpened(db, 'new', 1e9);
    const map = await recentlyRead(db);
    expect(map.size).toBe(RECENT_CAP);
    expect(map.get('new')).toBe(1e9);
    expect(map.has('id0')).toBe(false);
  });
});
