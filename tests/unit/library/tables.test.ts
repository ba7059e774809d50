import { describe, expect, it } from 'vitest';
import type { Table } from 'dexie';
import type { OffprintDB } from '../../../lib/db/schema';
import { createBackup } from '../../../lib/io/backup';
import { purgeArticles } from '../../../lib/library/actions';
import { mergeDuplicateArticles } from '../../../lib/library/duplicates';
import { restoreBackup } from '../../../lib/library/restore';
import { storeArticles } from '../../../lib/library/store';
import { COVERAGE, OPERATIONS, TABLES, tablesFor } from '../../../lib/library/tables';
import { fixedDeps, freshDb, newArticle } from '../helpers/db';
import { jsdomPrepare } from '../helpers/sanitize';

/** A row for any table holding rows per article, built from its declaration alone. */
function rowFor(table: Table, articleId: string, n: number): Record<string, unknown> {
  const spec = TABLES[table.name]!;
  const keyPath = table.schema.primKey.keyPath;
  const row: Record<string, unknown> = { note: `row ${n}` };
  if (typeof keyPath === 'string' && !table.schema.primKey.auto) row[keyPath] = spec.kind === 'per-article' ? articleId : `${table.name}-${articleId}-${n}`;
  if (spec.kind === 'per-article-rows') row[spec.articleKey ?? 'articleId'] = articleId;
  if (table.name === 'contents') Object.assign(row, { html: `<p>body ${n}</p>`, text: `body ${n}` });
  return row;
}

function perArticleTables(db: OffprintDB) {
  return db.tables.filter((t) => ['per-article', 'per-article-rows'].includes(TABLES[t.name]?.kind ?? ''));
}

async function rowsOf(table: Table, articleId: string): Promise<unknown[]> {
  const spec = TABLES[table.name]!;
  if (spec.kind === 'per-article') return (await table.get(articleId)) ? [articleId] : [];
  return table.where(spec.articleKey ?? 'articleId').equals(articleId).toArray();
}

/** Two articles with a row in every per-article table and a shared image. */
async function library() {
  const db = freshDb();
  await storeArticles(db, [newArticle({ url: 'https://a.example/1', title: 'One' }), newArticle({ url: 'https://a.example/2', title: 'Two' })], fixedDeps());
  for (const table of perArticleTables(db)) {
    if (table.name === 'contents') continue;
    await table.bulkPut([rowFor(table, 'id-1', 1), rowFor(table, 'id-2', 2)]);
  }
  await db.images.put({ url: 'https://img.example/x.png', blob: new Blob([new Uint8Array([1])]), type: 'image/png', bytes: 1, articleIds: ['id-1'], fetchedAt: 1 });
  return db;
}

describe('the library table list', () => {
  it('declares every table of the schema', () => {
    const db = freshDb();
    const missing = db.tables.map((t) => t.name).filter((name) => !TABLES[name]);
    expect(missing, 'declare these in lib/library/tables.ts').toEqual([]);
  });

  it('says what purge, backup, restore, export and duplicate merge do with every kind', () => {
    const db = freshDb();
    for (const op of OPERATIONS) {
      for (const t of db.tables) expect(COVERAGE[op][TABLES[t.name]!.kind], `${op} × ${t.name}`).toBeTruthy();
    }
    // Every table holding article data is written by purge and restore.
    for (const t of db.tables.filter((t) => ['article', 'per-article', 'per-article-rows', 'shared', 'index'].includes(TABLES[t.name]!.kind))) {
      expect(tablesFor(db, 'purge').map((x) => x.name)).toContain(t.name);
      expect(tablesFor(db, 'restore').map((x) => x.name)).toContain(t.name);
    }
  });

  it('purge removes an article from every table that holds rows for it, and only that article', async () => {
    const db = await library();
    await purgeArticles(db, ['id-1']);
    for (const table of perArticleTables(db)) {
      expect(await rowsOf(table, 'id-1'), table.name).toEqual([]);
      expect((await rowsOf(table, 'id-2')).length, table.name).toBeGreaterThan(0);
    }
    expect(await db.articles.get('id-1')).toBeUndefined();
    expect(await db.images.count()).toBe(0);
    expect(await db.searchDocs.get('id-1')).toBeUndefined();
    expect(await db.searchDocs.get('id-2')).toBeDefined();
  });

  it('backup and restore carry the rows of every per-article table', async () => {
    const db = await library();
    const backup = JSON.parse(JSON.stringify(await createBackup(db, { includeImages: true })));
    const target = freshDb();
    await restoreBackup(target, backup, { prepare: jsdomPrepare() });
    for (const table of perArticleTables(target)) {
      // A table declared noBackup (the full-text queue) is this browser's work: not carried.
      const carried = !TABLES[table.name]!.noBackup;
      for (const id of ['id-1', 'id-2']) expect((await rowsOf(table, id)).length > 0, `${table.name} of ${id}`).toBe(carried);
    }
    expect(await target.images.count()).toBe(1);
    expect(await target.searchDocs.count()).toBe(2);
  });

  it('a duplicate merge moves the rows of the trashed copy to the kept one', async () => {
    const db = await library();
    await mergeDuplicateArticles(db, 'id-2', ['id-1'], 99);
    for (const table of perArticleTables(db).filter((t) => TABLES[t.name]!.kind === 'per-article-rows')) {
      expect(await rowsOf(table, 'id-1'), table.name).toEqual([]);
    }
    expect(await db.articles.get('id-1')).toMatchObject({ box: 'trash', trashedFrom: 'saved', deletedAt: 99 });
  });

  it('a duplicate merge moves a row keyed by the article id only when the kept one has none', async () => {
    const db = await library();
    await db.fulltextJobs.delete('id-2');
    await mergeDuplicateArticles(db, 'id-2', ['id-1'], 99);
    expect(await db.fulltextJobs.get('id-1')).toBeUndefined();
    expect(await db.fulltextJobs.get('id-2')).toMatchObject({ articleId: 'id-2', note: 'row 1' });
  });
});
