import { describe, expect, it } from 'vitest';
import { deleteView, listSavedViews, saveView } from '../../../lib/library/saved-views';
import { noteUserTag, orderTags, userTags } from '../../../lib/library/user-tags';
import { fixedDeps, freshDb } from '../helpers/db';

describe('saved views', () => {
  it('saves a search with its filters under a name, replaces one of the same name, and deletes', async () => {
    const db = freshDb();
    const deps = fixedDeps();
    const v = await saveView(db, { name: '  Kubernetes  reading ', query: 'kubernetes', filters: { unread: true, starred: false, tag: undefined } }, deps);
    expect(v).toMatchObject({ name: 'Kubernetes reading', query: 'kubernetes', filters: { unread: true } });
    expect(Object.keys(v.filters)).toEqual(['unread']);
    const again = await saveView(db, { name: 'kubernetes READING', query: 'k8s', filters: {} }, deps);
    expect(again.id).toBe(v.id);
    expect(await listSavedViews(db)).toHaveLength(1);
    await saveView(db, { name: 'Aardvark', query: '', filters: { feedId: 'f1' } }, deps);
    expect((await listSavedViews(db)).map((x) => x.name)).toEqual(['Aardvark', 'kubernetes READING']);
    await deleteView(db, v.id);
    expect((await listSavedViews(db)).map((x) => x.name)).toEqual(['Aardvark']);
  });

  it('refuses a view with no name or nothing to search for', async () => {
    const db = freshDb();
    await expect(saveView(db, { name: ' ', query: 'x', filters: {} }, fixedDeps())).rejects.toThrow('needs a name');
    await expect(saveView(db, { name: 'Empty', query: '  ', filters: {} }, fixedDeps())).rejects.toThrow('search or choose a filter');
  });

  it('ignores a damaged record instead of failing', async () => {
    const db = freshDb();
    await db.kv.put({ key: 'library:savedViews', value: [{ id: 1 }, 'x', null, { id: 'a', name: 'A', query: 'q', filters: {}, createdAt: 1 }] });
    expect((await listSavedViews(db)).map((v) => v.id)).toEqual(['a']);
  });
});

describe("the reader's own tags", () => {
  it('are remembered once and shown before feed categories', async () => {
    const db = freshDb();
    await noteUserTag(db, 'later');
    await noteUserTag(db, 'later');
    await noteUserTag(db, 'talk');
    expect([...(await userTags(db))]).toEqual(['later', 'talk']);
    expect(orderTags(['devops', 'talk', 'kubernetes', 'later'], await userTags(db))).toEqual(['talk', 'later', 'devops', 'kubernetes']);
  });
});
