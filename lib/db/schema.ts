import Dexie, { type EntityTable, type Table } from 'dexie';
import type { SearchDoc, SearchMetaRecord, SearchPosting } from '../search/records';
import type { FullTextJob } from '../fulltext/jobs';
import { upgradeToV3 } from '../library/migrations';
import type { Article, ArticleContent, ArticleNote, CachedImage, Feed, Highlight, KeyValue } from './types';
import { syncCaptureMiddleware } from '../sync/capture';
import type { SyncEntry } from '../sync/entries';
import { createClock } from '../sync/hlc';

export const DB_NAME = 'offprint';

/**
 * The whole database schema. Every version ever shipped stays declared here,
 * oldest first, so Dexie can upgrade any user's database; each upgrade has a
 * test in tests/unit/db/migrations.test.ts.
 */
export class OffprintDB extends Dexie {
  articles!: EntityTable<Article, 'id'>;
  contents!: EntityTable<ArticleContent, 'id'>;
  feeds!: EntityTable<Feed, 'id'>;
  images!: EntityTable<CachedImage, 'url'>;
  kv!: EntityTable<KeyValue, 'key'>;
  searchPostings!: Table<SearchPosting, [string, number]>;
  searchDocs!: EntityTable<SearchDoc, 'id'>;
  searchMeta!: EntityTable<SearchMetaRecord, 'key'>;
  highlights!: EntityTable<Highlight, 'id'>;
  articleNotes!: EntityTable<ArticleNote, 'articleId'>;
  syncLog!: EntityTable<SyncEntry, 'key'>;
  fulltextJobs!: EntityTable<FullTextJob, 'articleId'>;

  constructor(name = DB_NAME, options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    this.version(1).stores(SCHEMA_V1);
    // Search index (issue 6); built in the background by ensureSearchIndex.
    this.version(2).stores(SCHEMA_V2);
    // Trust (issue 10): code in stored articles gets real newlines instead of <br>.
    this.version(3).stores({}).upgrade(upgradeToV3);
    // Highlights and article notes (issue 13).
    this.version(4).stores(SCHEMA_V4);
    // Persisted "Fetch full text" queue (issue 15).
    this.version(5).stores(SCHEMA_V5);
    // WebDAV library sync (issue 16): per-record field stamps and tombstones.
    this.version(7).stores(SCHEMA_V7);
    // Every write to a synced table is stamped here, whoever makes it (lib/sync/capture.ts).
    this.use(syncCaptureMiddleware(createClock()));
  }
}

/** Version 1 stores; exported so migration tests can create a v1 database. */
export const SCHEMA_V1 = {
  articles:
    'id, url, guid, feedId, box, [box+sortAt], [starred+sortAt], [feedId+isRead], isRead, *tags, savedAt, publishedAt, offline, deletedAt',
  contents: 'id',
  feeds: 'id, &url, nextCheckAt',
  images: 'url, *articleIds',
  kv: 'key',
} as const;

/** Version 2 adds the search index tables. */
export const SCHEMA_V2 = {
  searchPostings: '[term+block]',
  searchDocs: 'id',
  searchMeta: 'key',
} as const;

/** Version 4 (issue 13) adds highlights and article notes; nothing existing changes. */
export const SCHEMA_V4 = {
  highlights: 'id, articleId, createdAt',
  articleNotes: 'articleId',
} as const;

/** Version 5 (issue 15) adds the persisted full-text queue: one job per article, in queue order per state. */
export const SCHEMA_V5 = {
  fulltextJobs: 'articleId, [state+seq]',
} as const;

/** Version 7 (issue 16) adds the sync log. */
export const SCHEMA_V7 = {
  syncLog: 'key, dirty, *m',
} as const;

let shared: OffprintDB | undefined;

/** The extension's one database connection (per JS context). */
export function getDb(): OffprintDB {
  shared ??= new OffprintDB();
  return shared;
}
