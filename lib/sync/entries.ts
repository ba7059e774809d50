import type { Stamp } from './hlc';

/**
 * The sync log: one entry per synced record (`<table>:<id>`), kept in the
 * `syncLog` table next to the library. It holds, per field, the stamp of the
 * last write (and, for small tables, the value written), a tombstone stamp
 * when the record was deleted for good, and which fields this device changed
 * since its last upload.
 */
export type SyncedTable = 'articles' | 'contents' | 'feeds' | 'highlights' | 'articleNotes';

/** A last-writer-wins register: the stamp of the write and (for small tables) its value. */
export interface Reg {
  c: Stamp;
  v?: unknown;
  /** 1: written while the article was in Trash here (so it does not undo that delete elsewhere). */
  t?: 1;
}

/** Reader-state fields: one of these changed after a move to Trash, elsewhere, brings the article back. */
export const READER_STATE = ['isRead', 'progress', 'starred', 'tags', 'notes', 'highlights'];

/** A segment (device, number) and what that device had applied of the others when it wrote it. */
export type TombstoneOrigin = [string, number, Record<string, number>?];

export interface SyncEntry {
  key: string;
  t: SyncedTable;
  id: string;
  regs: Record<string, Reg>;
  /** Deleted for good (purged) at this stamp: final, later edits of this id are ignored. */
  del?: Stamp;
  /** Where the tombstone first went out: it is dropped once every device's snapshot has that and all the deleter had seen. */
  df?: TombstoneOrigin;
  /** 1 while `pending` is not empty (indexed, so an upload finds its work quickly). */
  dirty: 0 | 1;
  /** Fields changed on this device since its last upload; '_del' for a tombstone. */
  pending: string[];
  /** Set when this record turned out to be the same post as others: the id the article lives under. */
  alias?: string;
  /** Match keys ('u:<url>', 'g:<guid>'), indexed: the same post saved on two devices is found by them. */
  m?: string[];
  /** On the id an article lives under: the newest stamp of its whole group, so a later local write is stamped after it. */
  hi?: Stamp;
  /** On the id an article lives under: the group's last purge, when it has one (content written before it is gone with it). */
  gd?: Stamp;
}

/** The keys by which two records are the same post (articles) or the same follow (feeds). */
export function matchKeys(table: SyncedTable, regs: Record<string, Reg>): string[] {
  if (table === 'contents') return [];
  const out: string[] = [];
  if (table === 'highlights' || table === 'articleNotes') {
    // 'a:<article id>': the annotations of an article are found by it (they follow the article when it merges or comes back).
    const article = regs.articleId?.v;
    return typeof article === 'string' && article ? [`a:${article}`] : [];
  }
  const url = regs.url?.v;
  if (typeof url === 'string' && url) out.push(`${table === 'feeds' ? 'f' : 'u'}:${url}`);
  const guid = regs.guid?.v;
  if (table === 'articles' && typeof guid === 'string' && guid) out.push(`g:${guid}`);
  return out;
}

export const SYNC_LOG = 'syncLog';
export const DELETED = '_del';

export interface TableRule {
  /** Fields that stay on this device (caches, polling state). */
  localFields: readonly string[];
  /** Whether the log keeps the values too (false for big content, read from the table instead). */
  keepValues: boolean;
}

/**
 * What syncs. Every other field of these tables syncs, so fields added later
 * (notes, highlights on articles) sync without a change here.
 */
export const SYNC_RULES: Record<SyncedTable, TableRule> = {
  articles: { localFields: ['id', 'offline'], keepValues: true },
  contents: { localFields: ['id'], keepValues: false },
  feeds: {
    localFields: ['id', 'lastCheckedAt', 'nextCheckAt', 'etag', 'lastModified', 'failures', 'lastError', 'lastErrorAt', 'mayHaveMissed'],
    keepValues: true,
  },
  // Issue 13's annotations: whether a highlight was placed in this device's text is this device's.
  highlights: { localFields: ['id', 'placed'], keepValues: true },
  // One note per article, keyed by its article id (kept as a field too, so the note finds its article).
  articleNotes: { localFields: [], keepValues: true },
};

export function isSyncedTable(name: string): name is SyncedTable {
  return Object.hasOwn(SYNC_RULES, name);
}

export function entryKey(table: SyncedTable, id: string): string {
  return `${table}:${id}`;
}

/** The newest stamp an entry carries. */
export function latestStamp(entry: Pick<SyncEntry, 'regs' | 'del' | 'hi'> | undefined): Stamp | undefined {
  if (!entry) return undefined;
  let max = entry.hi && (!entry.del || entry.hi > entry.del) ? entry.hi : entry.del;
  for (const reg of Object.values(entry.regs)) if (!max || reg.c > max) max = reg.c;
  return max;
}

/** The synced fields of a record. */
export function syncedFields(table: SyncedTable, record: object | undefined): string[] {
  if (!record) return [];
  const local = SYNC_RULES[table].localFields;
  return Object.keys(record).filter((k) => !local.includes(k));
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Fields whose value differs between two versions of a record (a removed field counts). */
export function changedFields(table: SyncedTable, before: object | undefined, after: object): string[] {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  const names = new Set([...syncedFields(table, before), ...syncedFields(table, after)]);
  return [...names].filter((k) => !same(b[k], a[k]));
}
