import { describe, expect, it } from 'vitest';
import { describeSpan } from '../../../lib/highlights/anchor';
import { moveToTrash, purgeArticles, restoreFromTrash } from '../../../lib/library/actions';
import {
  addHighlight,
  articleNoteOf,
  deleteHighlight,
  highlightsOf,
  listAllHighlights,
  moveHighlights,
  recordPlacement,
  restoreHighlight,
  setArticleNote,
  updateHighlight,
} from '../../../lib/library/highlights';
import { storeArticles } from '../../../lib/library/store';
import { ensureSearchIndex } from '../../../lib/search/indexer';
import { LibrarySearch } from '../../../lib/search/search';
import { fixedDeps, freshDb, newArticle } from '../helpers/db';

const TEXT = 'Rolling updates replace pods one at a time. Set maxSurge to 25 percent for a quick rollout.';

async function setup() {
  const db = freshDb();
  const deps = fixedDeps();
  const [a, b] = await storeArticles(
    db,
    [newArticle({ url: 'https://x.test/a', title: 'Rollouts', text: TEXT, html: `<p>${TEXT}</p>` }), newArticle({ url: 'https://x.test/b', title: 'Other', tags: ['k8s'], text: TEXT, html: `<p>${TEXT}</p>` })],
    deps,
  );
  const sel = (exact: string) => describeSpan(TEXT, { start: TEXT.indexOf(exact), end: TEXT.indexOf(exact) + exact.length });
  return { db, deps, a: a!.id, b: b!.id, sel };
}

describe('highlights in the library', () => {
  it('adds, recolours, notes, deletes and undoes a delete', async () => {
    const { db, deps, a, sel } = await setup();
    const h = await addHighlight(db, { articleId: a, ...sel('maxSurge to 25 percent') }, deps);
    expect(h).toMatchObject({ color: 'yellow', note: '', placed: 1 });
    await updateHighlight(db, h.id, { color: 'green', note: '  check the **PDB** first ' }, deps);
    expect(await db.highlights.get(h.id)).toMatchObject({ color: 'green', note: 'check the **PDB** first' });
    const gone = await deleteHighlight(db, h.id);
    expect(await highlightsOf(db, a)).toEqual([]);
    await restoreHighlight(db, gone!);
    expect((await highlightsOf(db, a)).map((x) => x.note)).toEqual(['check the **PDB** first']);
  });

  it('stays while the article is in Trash, comes back with it, and is purged with it', async () => {
    const { db, deps, a, b, sel } = await setup();
    await addHighlight(db, { articleId: a, ...sel('pods one at a time') }, deps);
    await addHighlight(db, { articleId: b, ...sel('quick rollout'), color: 'pink' }, deps);
    await setArticleNote(db, a, 'Read before the upgrade.', deps);
    await moveToTrash(db, [a], deps.now());
    expect((await listAllHighlights(db)).map((e) => e.article.id)).toEqual([b]);
    await restoreFromTrash(db, [a]);
    expect((await listAllHighlights(db)).map((e) => e.article.id)).toEqual([b, a]);
    expect((await listAllHighlights(db, { color: 'pink' })).length).toBe(1);
    expect((await listAllHighlights(db, { tag: 'k8s' })).map((e) => e.article.id)).toEqual([b]);
    await purgeArticles(db, [a]);
    expect(await db.highlights.where('articleId').equals(a).count()).toBe(0);
    expect(await articleNoteOf(db, a)).toBe('');
    expect(await db.highlights.count()).toBe(1);
  });

  it('moves highlights and notes to the kept article of a duplicate merge, without doubling a quote', async () => {
    const { db, deps, a, b, sel } = await setup();
    await addHighlight(db, { articleId: a, ...sel('pods one at a time') }, deps);
    await addHighlight(db, { articleId: b, ...sel('pods one at a time'), note: 'from b' }, deps);
    await addHighlight(db, { articleId: b, ...sel('quick rollout') }, deps);
    await setArticleNote(db, b, 'Note on b', deps);
    await db.transaction('rw', [db.highlights, db.articleNotes], () => moveHighlights(db, [b], a, deps));
    const kept = await highlightsOf(db, a);
    expect(kept.map((h) => [h.quote.exact, h.note])).toEqual([
      ['pods one at a time', 'from b'],
      ['quick rollout', ''],
    ]);
    expect(await articleNoteOf(db, a)).toBe('Note on b');
    expect(await db.highlights.where('articleId').equals(b).count()).toBe(0);
  });

  it('records placement: moved highlights get fresh selectors, missing ones are kept as not placed', async () => {
    const { db, deps, a, sel } = await setup();
    const h1 = await addHighlight(db, { articleId: a, ...sel('pods one at a time') }, deps);
    const h2 = await addHighlight(db, { articleId: a, ...sel('quick rollout') }, deps);
    const moved = describeSpan('Intro. ' + TEXT, { start: 7 + h1.position.start, end: 7 + h1.position.end });
    await recordPlacement(db, [{ id: h1.id, placed: 1, ...moved }, { id: h2.id, placed: 0 }]);
    expect((await db.highlights.get(h1.id))!.position.start).toBe(h1.position.start + 7);
    expect(await db.highlights.get(h2.id)).toMatchObject({ placed: 0, quote: h2.quote });
  });

  it('makes highlight notes searchable and says a hit matched a note', async () => {
    const { db, deps, a, sel } = await setup();
    await ensureSearchIndex(db);
    const search = new LibrarySearch(db);
    expect((await search.search('poddisruptionbudget')).hits).toEqual([]);
    await addHighlight(db, { articleId: a, ...sel('maxSurge to 25 percent'), note: 'Pair it with a PodDisruptionBudget' }, deps);
    const { hits } = await search.search('poddisruptionbudget');
    expect(hits.map((h) => h.article.id)).toEqual([a]);
    expect(hits[0]!.note!.some((s) => s.hit && /PodDisruptionBudget/.test(s.text))).toBe(true);
    await setArticleNote(db, a, 'Ask the platform team about Karpenter', deps);
    expect((await search.search('karpenter')).hits.map((h) => h.article.id)).toEqual([a]);
    // A rebuild keeps them, and a content update of the article does too.
    await db.searchMeta.clear();
    await ensureSearchIndex(db);
    await storeArticles(db, [newArticle({ url: 'https://x.test/a', title: 'Rollouts', text: TEXT + ' More.', html: `<p>${TEXT} More.</p>` })], deps);
    expect((await new LibrarySearch(db).search('karpenter')).hits.map((h) => h.article.id)).toEqual([a]);
    expect(await db.highlights.count()).toBe(1);
  });
});

describe('highlights in a duplicate merge', () => {
  it('keepOneOfGroup moves the trashed copy’s highlights to the kept article', async () => {
    const { keepOneOfGroup, DUPLICATES_KEY } = await import('../../../lib/io/duplicates');
    const { db, deps, a, b, sel } = await setup();
    await addHighlight(db, { articleId: b, ...sel('quick rollout'), note: 'from the copy' }, deps);
    await db.kv.put({ key: DUPLICATES_KEY, value: { groups: [{ key: `${a}+${b}`, ids: [a, b], similarity: 1 }], dismissed: [], checkedAt: 1 } });
    await keepOneOfGroup(db, `${a}+${b}`, a, 5);
    expect((await highlightsOf(db, a)).map((h) => h.note)).toEqual(['from the copy']);
    expect(await db.highlights.where('articleId').equals(b).count()).toBe(0);
  });
});
