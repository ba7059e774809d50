// Records of the search tables (Dexie schema version 2; index format INDEX_VERSION 2).
// See lib/search/README.md for the on-disk format and its invariants.

/** Where in an article a term occurs; a term can be in several fields (one bit each, 8 at most). */
export const FIELD = { title: 1, author: 2, feed: 4, tags: 8, excerpt: 16, body: 32, notes: 64 } as const;

/** Document numbers per posting block and per document-table block. */
export const POSTING_BLOCK = 1024;

/**
 * One block of a vocabulary term's postings: the document numbers in
 * [block × POSTING_BLOCK, (block + 1) × POSTING_BLOCK) of the articles that
 * contain it (ascending) and, at the same position, the fields it is in.
 */
export interface SearchPosting {
  term: string;
  block: number;
  docs: Uint32Array;
  fields: Uint8Array;
}

/** What the index holds for one article, so it can be updated or removed. */
export interface SearchDoc {
  /** Article id. */
  id: string;
  /** Small number standing for the article in postings. */
  no: number;
  terms: string[];
  /** FIELD bits of each term, aligned with terms. */
  fields: Uint8Array;
}

/**
 * The compacted vocabulary: sorted terms with document frequencies. Written
 * only by compaction (in the background, or at the end of a build); changes
 * since then are in VocabularyDeltaRecords.
 */
export interface VocabularyRecord {
  key: 'vocab';
  /** Terms joined by "\n", sorted by code unit. */
  words: string;
  dfs: Uint32Array;
  /** Letters each term contains (letterMask), to skip hopeless typo candidates. */
  masks: Uint32Array;
  /**
   * Term indices by length (terms of length L: byLength[lengthStarts[L]..lengthStarts[L+1]]): the
   * typo scan's tables until it kept to the word's first letter. Written by
   * compactions before that; read by nothing now.
   */
  byLength?: Uint32Array;
  lengthStarts?: Uint32Array;
  /**
   * Where each term starts in `words` (terms + 1 entries, the last one past
   * the end), so a search uses the terms in place instead of splitting them.
   * Absent in records compacted before it was added: computed at load then.
   */
  starts?: Uint32Array;
}

/** Document-frequency changes made by one index change (key `vd:<seq>`), until compaction folds them into 'vocab'. */
export interface VocabularyDeltaRecord {
  key: string;
  /** Terms joined by "\n" (any order). */
  terms: string;
  /** Change of each term's document frequency, aligned with terms; never 0. */
  deltas: Int32Array;
}

/** Document numbers block × POSTING_BLOCK … +POSTING_BLOCK-1 → article id and list date (key `db:<block>`). */
export interface DocBlockRecord {
  key: string;
  block: number;
  /**
   * POSTING_BLOCK ids joined by "\n" ('' marks a number not in use): a search
   * reads every block at open, and one string is read many times faster than
   * 1,024. An array in blocks written before that (and when an id holds "\n").
   */
  ids: string | string[];
  sortAt: Float64Array;
}

/** A block's ids as a list (either stored form; none for a block never written). */
export function blockIds(ids: string | string[] | undefined): string[] {
  return ids === undefined ? [] : typeof ids === 'string' ? ids.split('\n') : ids;
}

/** The stored form of a block's ids: joined, unless an id holds the separator. */
export function storedBlockIds(ids: string[]): string | string[] {
  return ids.some((id) => id.includes('\n')) ? ids : ids.join('\n');
}

/** Where a chunked build has got to; kept in the state record so a stopped worker resumes. */
export interface BuildProgress {
  /** Articles with ids up to and including this one have been indexed by the build. */
  after: string;
  done: number;
  /** Articles in the library when the build started (for progress only). */
  total: number;
}

export interface IndexStateRecord {
  key: 'state';
  version: number;
  /** Articles indexed; compared with the articles table to spot a stale index. */
  count: number;
  /** Bumped on every change, so open searchers know to reload. */
  revision: number;
  /** Lowest document number never handed out. */
  nextNo: number;
  /** Document-table blocks holding a free number below nextNo (a short list: one entry per 1,024 numbers at most). */
  freeBlocks: number[];
  /** Sequence number of the next vocabulary delta. */
  seq: number;
  /** Delta records and the terms they hold since the last compaction. */
  pendingDeltas: number;
  pendingTerms: number;
  /** Terms of the compacted vocabulary. */
  vocabSize: number;
  /**
   * Articles indexed since the last flush: their SearchDocs are current but
   * their postings are not yet in searchPostings (searches read them from
   * the SearchDocs). At most FLUSH_AT.
   */
  pending: string[];
  /**
   * Document numbers whose postings in searchPostings are out of date (the
   * article was removed, or re-indexed under a new number): searches skip
   * them; the flush removes them (their terms are in StaleDocRecords) and
   * frees the numbers.
   */
  stale: number[];
  /** Present while a build is under way: search says "building" until it is gone. */
  build?: BuildProgress;
}

/** The terms a stale document number still has in searchPostings (key `st:<no>`), for the flush to remove. */
export interface StaleDocRecord {
  key: string;
  no: number;
  terms: string[];
}

export type SearchMetaRecord = VocabularyRecord | VocabularyDeltaRecord | DocBlockRecord | IndexStateRecord | StaleDocRecord;

export const DOC_BLOCK_PREFIX = 'db:';
export const DELTA_PREFIX = 'vd:';
export const STALE_PREFIX = 'st:';
export const staleKey = (no: number) => `${STALE_PREFIX}${String(no).padStart(9, '0')}`;
/** Keys sort as strings, so numbers are padded: a range read returns blocks and deltas in order. */
export const docBlockKey = (block: number) => `${DOC_BLOCK_PREFIX}${String(block).padStart(6, '0')}`;
export const deltaKey = (seq: number) => `${DELTA_PREFIX}${String(seq).padStart(9, '0')}`;
/** Upper bound of a key range with this prefix. */
export const prefixEnd = (prefix: string) => `${prefix}\uffff`;
