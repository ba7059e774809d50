import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { moveToTrash, purgeArticles, setStarred, addTag } from '../../../lib/library/actions';
import { storeArticles } from '../../../lib/library/store';
import { fixedDeps, freshDb, newArticle } from '../helpers/db';

describe('sync change capture', () => {
  it('stamps every synced field of a new article and its content, and nothing local', async () => {
    const db = freshDb();
    const { id } = (await storeArticles(db, [newArticle({ tags: ['k8s'] })], fixedDeps()))[0]!;
    const entry = await db.syncLog.get(`articles:${id}`);
    expect(entry?.dirty).toBe(1);
    expect(entry?.regs.title!.v).toBe('A post');
    expect(entry?.regs.tags!.v).toEqual(['k8s']);
    expect(entry?.regs.offline).toBeUndefined();
    const content = await db.syncLog.get(`contents:${id}`);
    expect(content?.regs.html!.c).toMatch(/^\d{13}/);
    expect(content?.regs.html!.v).toBeUndefined();
  });

  it('stamps only the fields a later write changed, with a greater stamp', async () => {
    const db = freshDb();
    const { id } = (await storeArticles(db, [newArticle()], fixedDeps()))[0]!;
    const first = (await db.syncLog.get(`articles:${id}`))!;
    await setStarred(db, [id], 1);
    await addTag(db, [id], 'SRE');
    await db.articles.update(id, { offline: 'ready' });
    const next = (await db.syncLog.get(`articles:${id}`))!;
    expect(next.regs.title).toEqual(first.regs.title);
    expect(next.regs.starred!.v).toBe(1);
    expect(next.regs.starred!.c > first.regs.title!.c).toBe(true);
    expect(next.regs.tags!.c > next.regs.starred!.c).toBe(true);
    expect(next.regs.tags!.v).toEqual(['sre']);
    expect(next.pending).toEqual(expect.arrayContaining(['title', 'starred', 'tags']));
  });

  it('records a tombstone when an article is purged, and trash as a box change', async () => {
    const db = freshDb();
    const { id } = (await storeArticles(db, [newArticle()], fixedDeps()))[0]!;
    await moveToTrash(db, [id], Date.UTC(2026, 10, 3));
    expect((await db.syncLog.get(`articles:${id}`))!.regs.box!.v).toBe('trash');
    await purgeArticles(db, [id]);
    const gone = (await db.syncLog.get(`articles:${id}`))!;
    expect(gone.del).toMatch(/^\d{13}/);
    expect(gone.pending).toContain('_del');
    expect((await db.syncLog.get(`contents:${id}`))!.del).toBeDefined();
  });

  it('sees writes made with clear() too', async () => {
    const db = freshDb();
    await storeArticles(db, [newArticle(), newArticle({ url: 'https://example.com/2' })], fixedDeps());
    await db.articles.clear();
    const entries = await db.syncLog.where('key').startsWith('articles:').toArray();
    expect(entries.map((e) => !!e.del)).toEqual([true, true]);
  });
});
