import { describe, expect, it } from 'vitest';
import {
  addTag,
  archive,
  listByTag,
  listTags,
  moveToTrash,
  neighbors,
  normalizeTag,
  purgeArticles,
  purgeExpiredTrash,
  removeTag,
  restoreFromTrash,
  saveProgress,
  setRead,
  setStarred,
  trashFeedArticles,
  unarchive,
  TRASH_KEEP_MS,
} from '../../../lib/library/actions';
import { countViews, listBox } from '../../../lib/library/queries';
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
    ],
    fixedDeps(),
  );
  return db;
}

function image(url: string, articleIds: string[]) {
  return { url, blob: new Blob(['x']), type: 'image/png', bytes: 1, articleIds, fetchedAt: 1 };
}

describe('library actions', () => {
  it('marks a selection read and unread; unread resets progress', async () => {
    const db = await library();
    await db.articles.update('id-1', { progress: 0.5 });
    await setRead(db, ['id-1', 'id-2'], 1);
    expect((await db.articles.toArray()).map((a) => a.isRead)).toEqual([1, 1, 0]);
    await setRead(db, ['id-1'], 0);
    expect(await db.articles.get('id-1')).toMatchObject({ isRead: 0, progress: 0 });
  });

  it('stars, archives and unarchives back to the source box', async () => {
    const db = await library();
    await setStarred(db, ['id-3'], 1);
    await archive(db, ['id-1', 'id-3']);
    expect(await countViews(db)).toEqual({ inbox: 1, saved: 0, archive: 2, trash: 0, starred: 1 });
    await unarchive(db, ['id-1', 'id-3']);
    expect((await db.articles.get('id-1'))!.box).toBe('inbox');
    expect((await db.articles.get('id-3'))!.box).toBe('saved');
  });

  it('adds, normalizes, lists, filters by and removes tags', async () => {
    const db = await library();
    expect(normalizeTag('  #Site Reliability ')).toBe('site-reliability');
    await addTag(db, ['id-1', 'id-3'], 'K8s');
    await addTag(db, ['id-1'], 'k8s');
    await addTag(db, ['id-2'], 'terraform');
    expect((await db.articles.get('id-1'))!.tags).toEqual(['k8s']);
    expect(await listTags(db)).toEqual(['k8s', 'terraform']);
    expect((await listByTag(db, 'k8s', 'all')).map((a) => a.id)).toEqual(['id-3', 'id-1']);
    expect((await listByTag(db, 'k8s', 'inbox')).map((a) => a.id)).toEqual(['id-1']);
    await removeTag(db, ['id-1', 'id-3'], 'k8s');
    expect(await listTags(db)).toEqual(['terraform']);
    await expect(addTag(db, ['id-1'], '  # ')).rejects.toThrow(/tag/);
  });

  it('deletes to Trash and undoes back into the same box', async () => {
    const db = await library();
    await setStarred(db, ['id-3'], 1);
    await moveToTrash(db, ['id-3'], 5000);
    expect((await countViews(db)).starred).toBe(0);
    await restoreFromTrash(db, ['id-3']);
    expect(await countViews(db)).toMatchObject({ saved: 1, starred: 1 });
    await setStarred(db, ['id-3'], 0);
    await archive(db, ['id-1']);
    await moveToTrash(db, ['id-1', 'id-2'], 5000);
    expect(await countViews(db)).toEqual({ inbox: 0, saved: 1, archive: 0, trash: 2, starred: 0 });
    expect(await listBox(db, 'inbox', 0, 10)).toEqual([]);
    await restoreFromTrash(db, ['id-1', 'id-2']);
    expect(await db.articles.get('id-1')).toMatchObject({ box: 'archive' });
    expect((await db.articles.get('id-1'))!.deletedAt).toBeUndefined();
    expect((await db.articles.get('id-2'))!.box).toBe('inbox');
  });

  it('purges only expired Trash, with content and images no one else uses', async () => {
    const db = await library();
    await db.images.bulkPut([image('https://img.test/only1.png', ['id-1']), image('https://img.test/shared.png', ['id-1', 'id-2'])]);
    await moveToTrash(db, ['id-1'], 1000);
    await moveToTrash(db, ['id-2'], 1000 + TRASH_KEEP_MS);
    expect(await db.searchDocs.get('id-1')).toBeDefined();
    const n = await purgeExpiredTrash(db, 1000 + TRASH_KEEP_MS);
    expect(n).toBe(1);
    // The index is always kept in step: the purged article's search record is gone, the other stays.
    expect(await db.searchDocs.get('id-1')).toBeUndefined();
    expect(await db.searchDocs.get('id-2')).toBeDefined();
    expect(await db.articles.get('id-1')).toBeUndefined();
    expect(await db.contents.get('id-1')).toBeUndefined();
    expect(await db.articles.get('id-2')).toMatchObject({ box: 'trash' });
    expect(await db.images.get('https://img.test/only1.png')).toBeUndefined();
    expect((await db.images.get('https://img.test/shared.png'))!.articleIds).toEqual(['id-2']);
    await purgeArticles(db, ['id-2']);
    expect(await db.images.count()).toBe(0);
  });

  it('trashes a feed’s articles on unfollow but never the starred ones', async () => {
    const db = await library();
    await setStarred(db, ['id-2'], 1);
    expect(await trashFeedArticles(db, 'f1', 10)).toEqual(['id-1']);
    expect((await db.articles.get('id-2'))!.box).toBe('inbox');
    expect((await db.articles.get('id-3'))!.box).toBe('saved');
  });

  it('saves progress and marks read at the end', async () => {
    const db = await library();
    await saveProgress(db, 'id-1', 0.4);
    expect(await db.articles.get('id-1')).toMatchObject({ progress: 0.4, isRead: 0 });
    await saveProgress(db, 'id-1', 1.2);
    expect(await db.articles.get('id-1')).toMatchObject({ progress: 1, isRead: 1 });
  });

  it('finds the previous (newer) and next (older) article in the list', async () => {
    const db = await library();
    const mid = (await db.articles.get('id-2'))!;
    await storeArticles(db, [newArticle({ url: 'https://a.test/4', source: 'feed', publishedAt: 300 })], { now: () => 1, newId: () => 'id-4' });
    const { prev, next } = await neighbors(db, mid);
    expect(prev?.id).toBe('id-4');
    expect(next?.id).toBe('id-1');
  });
});
