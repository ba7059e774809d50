// Records of the search tables (schema version 2).

/** Where in an article a term occurs; a term can be in several fields. */
export const FIELD = { title: 1, author: 2, feed: 4, tags: 8, excerpt: 16, body: 32, note: 64 } as const;

/** Document numbers per posting block: adding an article rewrites small blocks, not whole lists. */
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

/** Sorted vocabulary with document frequencies: all a search needs in memory. */
export interface VocabularyRecord {
  key: 'vocab';
  /** Terms joined by "\n", sorted by code unit. */
  words: string;
  dfs: Uint32Array;
  /** Letters each term contains (letterMask), to skip hopeless typo candidates. */
  masks: Uint32Array;
  /** Term indices ordered by term length; terms of length L are byLength[lengthStarts[L]..lengthStarts[L+1]]. */
  byLength: Uint32Array;
  lengthStarts: Uint32Array;
}

/** Document number → article id and list date (for "recent first" among equals). */
export interface DocTableRecord {
  key: 'docs';
  /** '' marks a free number. */
  ids: string[];
  sortAt: Float64Array;
}

export interface IndexStateRecord {
  key: 'state';
  version: number;
  /** Articles indexed; compared with the articles table to spot a stale index. */
  count: number;
  /** Bumped on every change, so open searchers know to reload. */
  revision: number;
}

export type SearchMetaRecord = VocabularyRecord | DocTableRecord | IndexStateRecord;
