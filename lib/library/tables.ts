import type { Table } from 'dexie';
import type { OffprintDB } from '../db/schema';

/**
 * Every table of the database, declared once with how it relates to the
 * library. Purge, backup, restore, export and duplicate merge read this
 * list (tests/unit/library/tables.test.ts fails when a table of the schema
 * is missing here). Adding a table is one line:
 *   highlights: { kind: 'per-article-rows', articleKey: 'articleId' },
 *
 * - `article`: the article rows themselves.
 * - `per-article`: one row per article, keyed by the article id (contents).
 * - `per-article-rows`: many rows per article, with an indexed `articleKey`
 *   field (highlights, notes, queue entries). Purged with their article,
 *   backed up and restored with it, moved to the kept one by a duplicate merge.
 * - `shared`: rows several articles use, listing them in `articleIds` (images).
 * - `index`: derived from the library (search); kept in step by every write,
 *   never backed up (rebuilt instead).
 * - `follows`: the followed feeds (backed up, not article data).
 * - `local`: this browser's own records (settings, counters, jobs); neither
 *   backed up nor touched by article writes.
 */
export type TableKind = 'article' | 'per-article' | 'per-article-rows' | 'shared' | 'index' | 'follows' | 'local';

export interface TableSpec {
  kind: TableKind;
  /** per-article-rows: the indexed field holding the article id. */
  articleKey?: string;
  /** Kept out of backups even though it is article data (for example a queue). */
  noBackup?: boolean;
}

export const TABLES: Record<string, TableSpec> = {
  articles: { kind: 'article' },
  contents: { kind: 'per-article' },
  images: { kind: 'shared' },
  searchPostings: { kind: 'index' },
  searchDocs: { kind: 'index' },
  searchMeta: { kind: 'index' },
  feeds: { kind: 'follows' },
  kv: { kind: 'local' },
  // Issue 13: highlights (many per article) and one note per article.
  highlights: { kind: 'per-article-rows', articleKey: 'articleId' },
  // One note per article, keyed by articleId (its primary key), so it is handled like rows.
  articleNotes: { kind: 'per-article-rows', articleKey: 'articleId' },
  // Issue 16: this browser's record of field stamps and what it has sent (not article data).
  syncLog: { kind: 'local' },
  // Issue 15: the persisted "Fetch full text" queue, one job per article (keyed by articleId). Purged
  // with its article, moved by a duplicate merge; a queue is this browser's work, so not backed up.
  fulltextJobs: { kind: 'per-article-rows', articleKey: 'articleId', noBackup: true },
};

/** The operations that must cover every table (the tables test checks each). */
export const OPERATIONS = ['purge', 'backup', 'restore', 'export', 'duplicateMerge'] as const;
export type Operation = (typeof OPERATIONS)[number];

/**
 * What each operation does with each kind of table: `write` (it changes
 * rows there), `read` (it reads them), or a reason it leaves them alone.
 */
export const COVERAGE: Record<Operation, Record<TableKind, 'write' | 'read' | `skip: ${string}`>> = {
  purge: { article: 'write', 'per-article': 'write', 'per-article-rows': 'write', shared: 'write', index: 'write', follows: 'skip: follows are not articles', local: 'skip: not article data' },
  backup: { article: 'read', 'per-article': 'read', 'per-article-rows': 'read', shared: 'read', index: 'skip: derived, rebuilt after restore', follows: 'read', local: 'skip: this browser only' },
  restore: { article: 'write', 'per-article': 'write', 'per-article-rows': 'write', shared: 'write', index: 'write', follows: 'write', local: 'skip: this browser only' },
  export: { article: 'read', 'per-article': 'read', 'per-article-rows': 'skip: in the backup; Markdown/HTML show them only if their feature renders them', shared: 'read', index: 'skip: derived', follows: 'skip: exported as OPML', local: 'skip: this browser only' },
  duplicateMerge: { article: 'write', 'per-article': 'write', 'per-article-rows': 'write', shared: 'skip: images follow the content', index: 'write', follows: 'skip: follows are not articles', local: 'write' },
};

function spec(name: string): TableSpec {
  const s = TABLES[name];
  if (!s) throw new Error(`Table “${name}” is not declared in lib/library/tables.ts.`);
  return s;
}

/** The tables of `db` of the given kinds, in schema order. */
export function tablesOfKind(db: OffprintDB, ...kinds: TableKind[]): Table[] {
  return db.tables.filter((t) => kinds.includes(spec(t.name).kind));
}

/** The tables an operation writes or reads, for its transaction scope. */
export function tablesFor(db: OffprintDB, op: Operation): Table[] {
  return db.tables.filter((t) => !COVERAGE[op][spec(t.name).kind].startsWith('skip'));
}

/** per-article-rows tables with their article-id field. */
export function articleRowTables(db: OffprintDB): { table: Table; key: string }[] {
  return db.tables.flatMap((t) => {
    const s = spec(t.name);
    return s.kind === 'per-article-rows' ? [{ table: t, key: s.articleKey ?? 'articleId' }] : [];
  });
}

/** Library tables whose rows go into a backup beside articles and contents: per-article tables other than contents, and per-article-rows. */
export function extraBackupTables(db: OffprintDB): Table[] {
  return db.tables.filter((t) => {
    const s = spec(t.name);
    return !s.noBackup && ((s.kind === 'per-article' && t.name !== 'contents') || s.kind === 'per-article-rows');
  });
}
