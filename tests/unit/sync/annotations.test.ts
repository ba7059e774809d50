import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { OffprintDB } from '../../../lib/db/schema';
import { purgeArticles } from '../../../lib/library/actions';
import { addHighlight, articleNoteOf, deleteHighlight, highlightsOf, recordPlacement, restoreHighlight, setArticleNote, updateHighlight } from '../../../lib/library/highlights';
import { storeArticles } from '../../../lib/library/store';
import { ensureSearchIndex } from '../../../lib/search/indexer';
import { LibrarySearch } from '../../../lib/search/search';
import { newArticle } from '../helpers/db';
import { syncDevices } from './devices';

const folder = syncDevices('notes');

const tick = () => new Promise((r) => setTimeout(r, 3));
const quote = (exact: string) => ({ type: 'TextQuoteSelector' as const, exact, prefix: '', suffix: '' });
const position = (start: number) => ({ type: 'TextPositionSelector' as const, start, end: start + 5 });

async function mark(db: OffprintDB, articleId: string, exact: string, start = 0) {
  return addHighlight(db, { articleId, quote: quote(exact), position: position(start) });
}

async function quotes(db: OffprintDB, articleId: string) {
  return (await highlightsOf(db, articleId)).map((h) => h.quote.exact).sort();
}

describe('highlights and article notes sync', () => {
  it('a highlight made on A and a note written on B: both devices have both, and search finds them', async () => {
    const f = folder();
    const a = f.device('a');
    const b = f.device('b');
    const { id } = (await storeArticles(a.db, [newArticle({ text: 'the scheduler places pods' })]))[0]!;
    await a.sync();
    await b.sync();
    await ensureSearchIndex(a.db);
    await ensureSearchIndex(b.db);
    await mark(a.db, id, 'scheduler');
    await updateHighlight(a.db, (await a.db.highlights.toArray())[0]!.id, { note: 'Ask about Karpenter' });
    await setArticleNote(b.db, id, 'Read before the review');
    await a.sync();
    await b.sync();
    await a.sync();
    for (const d of [a, b]) {
      expect(await quotes(d.db, id)).toEqual(['scheduler']);
      expect(await articleNoteOf(d.db, id)).toBe('Read before the review');
      expect((await d.db.highlights.toArray())[0]).toMatchObject({ articleId: id, color: 'yellow', placed: 1, note: 'Ask about Karpenter' });
      expect((await new LibrarySearch(d.db).search('karpenter')).hits.map((h) => h.article.id)).toEqual([id]);
      expect((await new LibrarySearch(d.db).search('review')).hits.map((h) => h.article.id)).toEqual([id]);
    }
    expect((await b.sync()).uploaded).toBe(0);
  });

  it('highlights made on both devices are both kept; a note edited on both: the later text wins', async () => {
    const f = folder();
    const a = f.device('a');
    const b = f.device('b');
    const { id } = (await storeArticles(a.db, [newArticle()]))[0]!;
    await a.sync();
    await b.sync();
    await mark(a.db, id, 'from a', 0);
    await mark(b.db, id, 'from b', 10);
    await setArticleNote(a.db, id, 'first');
    await tick();
    await setArticleNote(b.db, id, 'second, later');
    await b.sync();
    await a.sync();
    await b.sync();
    for (const d of [a, b]) {
      expect(await quotes(d.db, id)).toEqual(['from a', 'from b']);
      expect(await articleNoteOf(d.db, id)).toBe('second, later');
    }
  });

  it('a highlight deleted on A stays deleted when the deletion is later than B’s edit, and comes back when B’s edit is later', async () => {
    const f = folder();
    const a = f.device('a');
    const b = f.device('b');
    const { id } = (await storeArticles(a.db, [newArticle()]))[0]!;
    const one = await mark(a.db, id, 'one');
    const two = await mark(a.db, id, 'two', 10);
    await a.sync();
    await b.sync();
    // one: edited on B, then deleted on A (later) → gone. two: deleted on A, then edited on B (later) → back.
    await updateHighlight(b.db, one.id, { note: 'b note' });
    await tick();
    await deleteHighlight(a.db, one.id);
    await deleteHighlight(a.db, two.id);
    await tick();
    await updateHighlight(b.db, two.id, { color: 'green' });
    await a.sync();
    await b.sync();
    await a.sync();
    for (const d of [a, b]) {
      const list = await highlightsOf(d.db, id);
      expect(list.map((h) => [h.quote.exact, h.color])).toEqual([['two', 'green']]);
    }
    // An undo (restore) after the delete brings it back everywhere.
    const gone = (await a.db.syncLog.get(`highlights:${one.id}`))!;
    expect(gone.del).toBeTruthy();
    await restoreHighlight(b.db, { ...one, note: 'restored' });
    await b.sync();
    await a.sync();
    expect(await quotes(a.db, id)).toEqual(['one', 'two']);
  });

  it('a note cleared on one device and edited earlier on the other stays cleared', async () => {
    const f = folder();
    const a = f.device('a');
    const b = f.device('b');
    const { id } = (await storeArticles(a.db, [newArticle()]))[0]!;
    await setArticleNote(a.db, id, 'draft');
    await a.sync();
    await b.sync();
    expect(await articleNoteOf(b.db, id)).toBe('draft');
    await setArticleNote(b.db, id, 'draft, edited');
    await tick();
    await setArticleNote(a.db, id, '');
    await b.sync();
    await a.sync();
    await b.sync();
    for (const d of [a, b]) expect(await articleNoteOf(d.db, id)).toBe('');
  });

  it('the same post saved on both devices: the highlights and notes of both end on the one article', async () => {
    const f = folder();
    const a = f.device('a');
    const b = f.device('b');
    const post = { url: 'https://medium.test/@x/same-post', guid: 'https://medium.test/p/123' };
    const ida = (await storeArticles(a.db, [newArticle(post)]))[0]!.id;
    const idb = (await storeArticles(b.db, [newArticle(post)]))[0]!.id;
    expect(ida).not.toBe(idb);
    await mark(a.db, ida, 'mark on a');
    await mark(b.db, idb, 'mark on b', 10);
    await setArticleNote(a.db, ida, 'note a');
    await tick();
    await setArticleNote(b.db, idb, 'note b');
    await a.sync();
    await b.sync();
    await a.sync();
    const kept = ida < idb ? ida : idb;
    for (const d of [a, b]) {
      expect((await d.db.articles.toArray()).map((x) => x.id)).toEqual([kept]);
      expect(await quotes(d.db, kept)).toEqual(['mark on a', 'mark on b']);
      expect(await d.db.highlights.count()).toBe(2);
      expect(await articleNoteOf(d.db, kept)).toBe('note b');
      expect(await d.db.articleNotes.count()).toBe(1);
    }
    // A note written here after the merge wins over both, everywhere.
    await tick();
    await setArticleNote(a.db, kept, 'merged note');
    await a.sync();
    await b.sync();
    expect(await articleNoteOf(b.db, kept)).toBe('merged note');
  });

  it('an article deleted for good takes its highlights and note with it on every device', async () => {
    const f = folder();
    const a = f.device('a');
    const b = f.device('b');
    const { id } = (await storeArticles(a.db, [newArticle()]))[0]!;
    await mark(a.db, id, 'gone soon');
    await setArticleNote(a.db, id, 'gone too');
    await a.sync();
    await b.sync();
    expect(await b.db.highlights.count()).toBe(1);
    await purgeArticles(a.db, [id]);
    await a.sync();
    await b.sync();
    expect(await b.db.articles.count()).toBe(0);
    expect(await b.db.highlights.count()).toBe(0);
    expect(await b.db.articleNotes.count()).toBe(0);
  });

  it('whether a highlight could be placed stays on the device that tried', async () => {
    const f = folder();
    const a = f.device('a');
    const b = f.device('b');
    const { id } = (await storeArticles(a.db, [newArticle()]))[0]!;
    const h = await mark(a.db, id, 'hello');
    await a.sync();
    await b.sync();
    await recordPlacement(a.db, [{ id: h.id, placed: 0 }]);
    expect((await a.sync()).uploaded).toBe(0);
    await b.sync();
    expect((await b.db.highlights.get(h.id))!.placed).toBe(1);
  });
});
