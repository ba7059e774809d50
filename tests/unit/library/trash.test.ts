import { describe, expect, it } from 'vitest';
import { moveToTrash, purgeArticles, restoreFromTrash } from '../../../lib/library/actions';
import { countViews, listTrash } from '../../../lib/library/queries';
import { storeArticles } from '../../../lib/library/store';
import { fixedDeps, freshDb, newArticle } from '../helpers/db';

async function library() {
  const db = freshDb();
  await storeArticles(
    db,
    [
      newArticle({ url: 'https://a.test/1', source: 'feed', feedId: 'f1', publishedAt: 100 }),
      newArticle({ url: 'https://a.test/2', source: 'feed', feedId: 'f1', publishedAt: 200 }),
      newArticle({ url: 'https://a.test/3', source: 'clip', savedAt: 300 }),
      newArticle({ url: 'https://a.test/4', source: 'clip', savedAt: 400 }),
    ],
    fixedDeps(),
  );
  return db;
}

describe('Trash view queries', () => {
  it('lists trashed articles most recently deleted first, and counts them', async () => {
    const db = await library();
    expect(await listTrash(db, 0, 10)).toEqual([]);
    await moveToTrash(db, ['id-3'], 1000);
    await moveToTrash(db, ['id-1'], 3000);
    await moveToTrash(db, ['id-4'], 2000);
    expect((await listTrash(db, 0, 10)).map((a) => a.id)).toEqual(['id-1', 'id-4', 'id-3']);
    expect((await listTrash(db, 1, 1)).map((a) => a.id)).toEqual(['id-4']);
    expect(await countViews(db)).toEqual({ inbox: 1, saved: 0, archive: 0, trash: 3, starred: 0 });
  });

  it('drops restored and purged articles from Trash', async () => {
    const db = await library();
    await moveToTrash(db, ['id-1', 'id-2', 'id-3'], 1000);
    await restoreFromTrash(db, ['id-2']);
    await purgeArticles(db, ['id-3']);
    expect((await listTrash(db, 0, 10)).map((a) => a.id)).toEqual(['id-1']);
    expect(await db.searchDocs.get('id-3')).toBeUndefined();
    expect(await countViews(db)).toMatchObject({ inbox: 1, saved: 1, trash: 1 });
    expect(await db.contents.get('id-3')).toBeUndefined();
  });
});
