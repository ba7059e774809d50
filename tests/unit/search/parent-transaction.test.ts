import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { mergeArticles } from '../../../lib/library/store';
import { fixedDeps, freshDb, newArticle } from '../helpers/db';

// A backup restore merges chunk after chunk in ONE transaction and relies on
// a throw (cancel) rolling all of it back: indexing a big chunk (which flushes
// the pending documents) must stay inside that transaction.
describe('indexing inside a caller transaction', () => {
  it('keeps every chunk of a big merge in the caller transaction, so a cancel stores nothing', async () => {
    const db = freshDb();
    const deps = fixedDeps();
    const chunk = (start: number) =>
      Array.from({ length: 250 }, (_, i) => newArticle({ url: `https://example.com/p${start + i}`, title: `Post ${start + i} kubernetes terraform`, text: `words ${start + i} alpha beta gamma delta` }));
    const seen: unknown[] = [];
    await expect(
      db.transaction('rw', db.tables, async () => {
        const parent = Dexie.currentTransaction;
        for (let start = 0; start < 750; start += 250) {
          await mergeArticles(db, chunk(start), deps, 'restore');
          seen.push(Dexie.currentTransaction);
          expect(Dexie.currentTransaction).toBe(parent);
        }
        throw new Error('cancelled');
      }),
    ).rejects.toThrow('cancelled');
    expect(seen).toHaveLength(3);
    expect(await db.articles.count()).toBe(0);
    expect(await db.searchDocs.count()).toBe(0);
    db.close();
  });
});
