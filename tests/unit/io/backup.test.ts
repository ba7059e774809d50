import { describe, expect, it } from 'vitest';
import { createBackup, restoreBackup, serializeBackup, validateBackup, type Backup } from '../../../lib/io/backup';
import { storeArticles } from '../../../lib/library/store';
import { readDocBlocks } from '../../../lib/search/indexer';
import { blockIds } from '../../../lib/search/records';
import type { OffprintDB } from '../../../lib/db/schema';
import { fixedDeps, freshDb, newArticle } from '../helpers/db';
import { jsdomPrepare } from '../helpers/sanitize';

const prepare = jsdomPrepare();

const settings = { pollMinutes: 60, theme: 'sepia' };

/** A library with every kind of state a backup must carry. */
async function fill(db: OffprintDB) {
  await db.feeds.add({ id: 'feed-1', url: 'https://medium.com/feed/@ana', title: 'Ana', kind: 'medium-user', folder: 'Ops', addedAt: 5, nextCheckAt: 9, failures: 0, etag: 'W/"1"' });
  const deps = fixedDeps();
  const [a, b, c] = await storeArticles(
    db,
    [
      newArticle({ url: 'https://medium.com/@ana/one', guid: 'https://medium.com/p/1', feedId: 'feed-1', source: 'feed', title: 'One', author: 'Ana', publishedAt: 100, tags: ['k8s'], html: '<p>One <b>body</b></p>', text: 'One body' }),
      newArticle({ url: 'https://clip.example/two', title: 'Two', html: '<pre>a\nb</pre>', text: 'a\nb' }),
      newArticle({ url: 'https://clip.example/three', title: 'Three', source: 'import' }),
    ],
    deps,
  );
  await db.articles.update(a!.id, { isRead: 1, starred: 1, progress: 0.75, tags: ['k8s', 'later'] });
  await db.articles.update(b!.id, { box: 'archive', offline: 'ready' });
  await db.articles.update(c!.id, { box: 'trash', deletedAt: 1234 });
  await db.images.add({ url: 'https://img.example/x.png', blob: new Blob([new Uint8Array([137, 80, 78, 71, 0, 255])], { type: 'image/png' }), type: 'image/png', bytes: 6, articleIds: [b!.id], fetchedAt: 77 });
  return { a: a!.id, b: b!.id, c: c!.id };
}

async function wipe(db: OffprintDB) {
  await Promise.all(db.tables.map((t) => t.clear()));
}

const withoutTime = (b: Backup) => ({ ...b, exportedAt: 0 });

describe('full backup', () => {
  it('round-trips losslessly: export, wipe, import, export gives the same data', async () => {
    const db = freshDb();
    await fill(db);
    const first = await createBackup(db, { includeImages: true, settings, now: 1 });
    const text = serializeBackup(first);
    await wipe(db);
    expect(await db.articles.count()).toBe(0);

    const summary = await restoreBackup(db, validateBackup(JSON.parse(text)), { prepare });
    expect(summary).toMatchObject({ added: 3, merged: 0, feedsAdded: 1, images: 1 });
    const second = await createBackup(db, { includeImages: true, settings, now: 2 });
    expect(withoutTime(second)).toEqual(withoutTime(first));
    expect(JSON.stringify(withoutTime(second))).toBe(JSON.stringify(withoutTime(first)));
    const img = await db.images.get('https://img.example/x.png');
    expect([...new Uint8Array(await img!.blob.arrayBuffer())]).toEqual([137, 80, 78, 71, 0, 255]);
  });

  it("indexes a restored article under its exported list date, in the restore's one write", async () => {
    const db = freshDb();
    const { a } = await fill(db);
    await db.articles.update(a, { sortAt: 999 }); // moved in the list since it was published (100)
    const text = serializeBackup(await createBackup(db, { includeImages: false, settings, now: 1 }));
    await wipe(db);
    await restoreBackup(db, validateBackup(JSON.parse(text)), { prepare });
    const blocks = await readDocBlocks(db);
    const sortAtOf = new Map(blocks.flatMap((b) => blockIds(b.ids).map((id, i) => [id, b.sortAt[i]] as const)).filter(([id]) => id));
    const articles = await db.articles.toArray();
    expect(articles.find((x) => x.id === a)?.sortAt).toBe(999);
    for (const article of articles) expect(sortAtOf.get(article.id), article.title).toBe(article.sortAt);
  });

  it('carries every field: content, read state, progress, tags, star, dates, box, feeds, settings', async () => {
    const db = freshDb();
    const ids = await fill(db);
    const backup = await createBackup(db, { includeImages: false, settings, now: 1 });
    expect(backup).toMatchObject({ format: 'offprint-backup', version: 1, settings });
    expect(backup.images).toBeUndefined();
    const one = backup.articles.find((a) => a.id === ids.a)!;
    expect(one).toMatchObject({ html: '<p>One <b>body</b></p>', text: 'One body', isRead: 1, starred: 1, progress: 0.75, tags: ['k8s', 'later'], publishedAt: 100, feedId: 'feed-1', box: 'inbox' });
    expect(backup.articles.find((a) => a.id === ids.c)).toMatchObject({ box: 'trash', deletedAt: 1234 });
    expect(backup.feeds[0]).toMatchObject({ url: 'https://medium.com/feed/@ana', folder: 'Ops', etag: 'W/"1"' });
  });

  it('merges into a library without duplicates and without losing what is already there', async () => {
    const source = freshDb();
    const ids = await fill(source);
    const backup = validateBackup(JSON.parse(serializeBackup(await createBackup(source, { includeImages: false }))));

    const db = freshDb();
    // Already here: the same post (by guid) with newer content and its own tag, unread.
    const [mine] = await storeArticles(db, [newArticle({ url: 'https://medium.com/@ana/one-renamed', guid: 'https://medium.com/p/1', source: 'feed', title: 'One (edited)', html: '<p>newer and longer</p>', text: 'newer and longer', tags: ['mine'] })], fixedDeps(Date.UTC(2027, 0, 1)));
    await db.articles.update(mine!.id, { progress: 0.9 });
    await storeArticles(db, [newArticle({ url: 'https://only-here.example/x', title: 'Only here' })], { now: () => 1, newId: () => 'local-only' });

    const summary = await restoreBackup(db, backup, { prepare });
    expect(summary).toMatchObject({ added: 2, merged: 1 });
    expect(await db.articles.count()).toBe(4);
    const merged = await db.articles.get(mine!.id);
    expect(merged).toMatchObject({ title: 'One (edited)', isRead: 1, starred: 1, progress: 0.9 });
    expect(merged!.tags.sort()).toEqual(['k8s', 'later', 'mine']);
    expect(await db.contents.get(mine!.id)).toMatchObject({ text: 'newer and longer' });
    expect(await db.articles.get('local-only')).toBeDefined();
    expect(await db.articles.get(ids.b)).toMatchObject({ box: 'archive' });

    // Restoring the same backup again changes nothing.
    await restoreBackup(db, backup, { prepare });
    expect(await db.articles.count()).toBe(4);
    expect(await db.feeds.count()).toBe(1);
  });

  it('leaves the library untouched when cancelled part way', async () => {
    const source = freshDb();
    const many = Array.from({ length: 60 }, (_, i) => newArticle({ url: `https://x.example/${i}`, title: `T${i}` }));
    await storeArticles(source, many, fixedDeps());
    const backup = await createBackup(source, { includeImages: false });

    const db = freshDb();
    await storeArticles(db, [newArticle({ url: 'https://keep.example/', title: 'Keep me' })], fixedDeps());
    const controller = new AbortController();
    const progress: number[] = [];
    await expect(
      restoreBackup(db, backup, {
        prepare,
        chunk: 10,
        signal: controller.signal,
        onProgress: (done) => {
          progress.push(done);
          if (done >= 30) controller.abort();
        },
      }),
    ).rejects.toThrow(/cancelled/);
    expect(progress).toEqual([10, 20, 30]);
    expect((await db.articles.toArray()).map((a) => a.title)).toEqual(['Keep me']);
    expect(await db.contents.count()).toBe(1);
  });

  it('refuses damaged or foreign backups with a plain message', () => {
    expect(() => validateBackup({ posts: [] })).toThrow('This JSON file is not an Offprint backup.');
    expect(() => validateBackup({ format: 'offprint-backup', version: 9, articles: [] })).toThrow(/newer Offprint/);
    expect(() => validateBackup({ format: 'offprint-backup', version: 1, articles: [{ id: 'x', url: 'u', title: 't', html: '', text: '' }] })).toThrow(/damaged tags/);
    expect(() => validateBackup({ format: 'offprint-backup', version: 1, articles: [{ id: 'x', title: 't' }] })).toThrow('Article 1 in this backup has no url.');
    expect(() => validateBackup({ format: 'offprint-backup', version: 1, articles: [], images: [{ url: 'x' }] })).toThrow(/Image 1/);
  });
});
