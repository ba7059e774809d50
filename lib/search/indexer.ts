// Keeps the search index in step with the library: incremental updates
// from storeArticles and removeFromIndex, a chunked, resumable build when the
// index is missing or of another version, and a repair when it is stale
// (ensureSearchIndex, at background startup). Format: lib/search/README.md.
import Dexie, { type Table } from 'dexie';
import type { OffprintDB } from '../db/schema';
import type { Article } from '../db/types';
import {
  DELTA_PREFIX,
  deltaKey,
  blockIds,
  DOC_BLOCK_PREFIX,
  docBlockKey,
  storedBlockIds,
  POSTING_BLOCK,
  prefixEnd,
  type BuildProgress,
  type DocBlockRecord,
  type IndexStateRecord,
  type SearchDoc,
  type SearchMetaRecord,
  type SearchPosting,
  staleKey,
  type StaleDocRecord,
  type VocabularyDeltaRecord,
  type VocabularyRecord,
} from './records';
import { annotationTexts } from '../library/highlights';
import { articleTerms, type IndexInput } from './terms';
import { vocabularyTables } from './vocabulary';

/** Bump when tokenizing or the record shapes change: every index is then rebuilt. */
export const INDEX_VERSION = 2;

/** The index's own tables: the only ones a build clears. */
function indexTables(db: OffprintDB): Table[] {
  return [db.searchPostings, db.searchDocs, db.searchMeta];
}

/**
 * The tables a transaction must include to update the index: its own, and
 * the highlight tables (issue 13), read for the `notes` field.
 */
export function searchTables(db: OffprintDB): Table[] {
  return [...indexTables(db), db.highlights, db.articleNotes];
}

/**
 * Whether the index can be updated in the current transaction: always at
 * top level; inside a caller's transaction only if it includes the search
 * tables (Dexie refuses to widen a transaction's scope).
 */
export function canIndexInTransaction(db: OffprintDB): boolean {
  const parent = Dexie.currentTransaction;
  return !parent || searchTables(db).every((t) => parent.storeNames.includes(t.name));
}

/**
 * Indexes articles once the caller's transaction has committed: for callers
 * whose transaction does not include the search tables. Should the worker
 * stop in between, ensureSearchIndex finds the index stale at next start.
 */
export function indexAfterCommit(db: OffprintDB, ids: string[]): void {
  const tx = Dexie.currentTransaction?.idbtrans;
  const run = () => void reindexArticles(db, ids).catch((err: unknown) => console.error('Offprint: search indexing failed', err));
  if (tx) tx.addEventListener('complete', run);
  else run();
}

/** An article's terms as its SearchDoc holds them (a build keeps these, smaller than the Map, for a whole step). */
type DocTerms = Pick<SearchDoc, 'terms' | 'fields'>;
type Change = { id: string; input?: IndexInput; doc?: DocTerms };

function docTerms(terms: Map<string, number>): DocTerms {
  return { terms: [...terms.keys()], fields: Uint8Array.from(terms.values()) };
}

/**
 * Runs `work` over the search tables: in the caller's read-write transaction
 * when it covers them (no sub-transaction, so nothing the index does can
 * escape it or let it commit early: a restore's cancel must undo all of it),
 * else in a transaction of its own.
 */
function inSearchTransaction(db: OffprintDB, work: () => Promise<void>): Promise<void> {
  const parent = Dexie.currentTransaction;
  if (parent && parent.mode === 'readwrite' && canIndexInTransaction(db)) return Dexie.Promise.resolve(work());
  return db.transaction('rw', searchTables(db), work);
}

// These return Dexie's own promises (not an async function's), so a caller may return them from a transaction callback.

/** Indexes new or changed articles. Call inside the transaction that stores them. */
export function indexArticles(db: OffprintDB, inputs: IndexInput[]): Promise<void> {
  return applyChanges(db, inputs.map((input) => ({ id: input.article.id, input })));
}

/** Removes deleted or purged articles from the index. */
export function removeFromIndex(db: OffprintDB, ids: string[]): Promise<void> {
  return applyChanges(db, ids.map((id) => ({ id })));
}

/** Re-reads articles from the library and indexes them (after tag or title edits). */
export function reindexArticles(db: OffprintDB, ids: string[]): Promise<void> {
  return db.transaction('rw', [db.articles, db.contents, ...searchTables(db)], async () => {
    const [articles, contents] = await Promise.all([db.articles.bulkGet(ids), db.contents.bulkGet(ids)]);
    const changes = ids.map((id, i): Change => {
      const article = articles[i];
      return article ? { id, input: { article, text: contents[i]?.text ?? '', html: contents[i]?.html } } : { id };
    });
    await applyChanges(db, changes);
  });
}

export function emptyState(revision = 0): IndexStateRecord {
  return { key: 'state', version: INDEX_VERSION, count: 0, revision, nextNo: 0, freeBlocks: [], pending: [], stale: [], seq: 0, pendingDeltas: 0, pendingTerms: 0, vocabSize: 0 };
}

export async function readState(db: OffprintDB): Promise<IndexStateRecord | undefined> {
  return (await db.searchMeta.get('state')) as IndexStateRecord | undefined;
}

/** Compaction is due when the deltas would make a search's load noticeably bigger. */
const MIN_PENDING_TERMS = 20_000;
const MAX_PENDING_DELTAS = 256;
export function compactionDue(state: IndexStateRecord, minTerms = MIN_PENDING_TERMS): boolean {
  return state.pendingDeltas > 0 && (state.pendingTerms > Math.max(minTerms, state.vocabSize / 4) || state.pendingDeltas > MAX_PENDING_DELTAS);
}

/** A document-table block being changed: its ids as a list. */
type OpenDocBlock = DocBlockRecord & { ids: string[] };

function emptyBlock(block: number): OpenDocBlock {
  return { key: docBlockKey(block), block, ids: new Array<string>(POSTING_BLOCK).fill(''), sortAt: new Float64Array(POSTING_BLOCK) };
}

/** The document-table blocks one transaction touches, and number allocation. */
class DocTable {
  readonly blocks = new Map<number, OpenDocBlock>();
  private readonly stale: Set<number>;

  constructor(
    private readonly db: OffprintDB,
    private readonly state: IndexStateRecord,
  ) {
    this.stale = new Set(state.stale);
  }

  // Dexie's own promises, never a bare async function's: with nothing to read, an awaited native promise would lose the transaction zone.
  load(nums: Iterable<number>): Promise<void> {
    const need = [...new Set(nums)].filter((b) => !this.blocks.has(b));
    if (!need.length) return Dexie.Promise.resolve();
    return this.db.searchMeta.bulkGet(need.map(docBlockKey)).then((recs) => {
      need.forEach((b, i) => {
        const rec = recs[i] as DocBlockRecord | undefined;
        this.blocks.set(b, rec ? { ...rec, ids: [...blockIds(rec.ids)], sortAt: rec.sortAt.slice() } : emptyBlock(b));
      });
    });
  }

  private isFree(no: number): boolean {
    return no < this.state.nextNo && this.blocks.get(Math.floor(no / POSTING_BLOCK))!.ids[no % POSTING_BLOCK] === '' && !this.stale.has(no);
  }

  /** Numbers for new articles: free numbers of the lowest blocks first, then never-used ones. */
  async allocate(needed: number): Promise<number[]> {
    const out: number[] = [];
    for (const b of [...this.state.freeBlocks].sort((x, y) => x - y)) {
      if (out.length >= needed) break;
      await this.load([b]);
      for (let no = b * POSTING_BLOCK; no < (b + 1) * POSTING_BLOCK && out.length < needed; no++) if (this.isFree(no)) out.push(no);
    }
    while (out.length < needed) out.push(this.state.nextNo++);
    await this.load(out.map((no) => Math.floor(no / POSTING_BLOCK)));
    return out;
  }

  set(no: number, id: string, sortAt: number): void {
    const rec = this.blocks.get(Math.floor(no / POSTING_BLOCK))!;
    rec.ids[no % POSTING_BLOCK] = id;
    rec.sortAt[no % POSTING_BLOCK] = sortAt;
  }

  markStale(no: number): void {
    this.stale.add(no);
  }

  unstale(no: number): void {
    this.stale.delete(no);
  }

  /** Updates the state's free-block and stale lists; returns the records to write. */
  finish(): DocBlockRecord[] {
    const free = new Set(this.state.freeBlocks);
    this.blocks.forEach((rec, b) => {
      let has = false;
      for (let no = b * POSTING_BLOCK; no < (b + 1) * POSTING_BLOCK && !has; no++) has = this.isFree(no);
      if (has) free.add(b);
      else free.delete(b);
    });
    this.state.freeBlocks = [...free].sort((x, y) => x - y);
    this.state.stale = [...this.stale].sort((x, y) => x - y);
    return [...this.blocks.values()].map((rec) => ({ ...rec, ids: storedBlockIds(rec.ids) }));
  }
}

/** Counts document-frequency changes, for one vocabulary delta per change. */
class DfDeltas {
  readonly map = new Map<string, number>();
  add(term: string, d: number): void {
    this.map.set(term, (this.map.get(term) ?? 0) + d);
  }
  /** The delta record (if any term's frequency changed), advancing the state's counters. */
  record(state: IndexStateRecord): VocabularyDeltaRecord | undefined {
    const terms = [...this.map].filter(([, d]) => d !== 0);
    if (!terms.length) return undefined;
    const rec = { key: deltaKey(state.seq), terms: terms.map(([t]) => t).join('\n'), deltas: Int32Array.from(terms, ([, d]) => d) };
    state.seq += 1;
    state.pendingDeltas += 1;
    state.pendingTerms += terms.length;
    return rec;
  }
}

interface ApplyOptions {
  /** Build progress to store with this chunk. */
  build?: BuildProgress;
}

/** Pending articles and stale numbers that make the flush due (searches read at most this many SearchDocs at open). */
export const FLUSH_AT = 48;

function flushDue(state: IndexStateRecord): boolean {
  return state.pending.length + state.stale.length >= FLUSH_AT;
}

/**
 * Applies changes in one transaction over the search tables. What it writes
 * is bounded by the changed articles, never by the library: their
 * SearchDocs, their document-table blocks, one vocabulary delta and the
 * small state record. Postings are not rewritten here: a new article is
 * pending (searches read its SearchDoc) and an old number whose postings
 * are out of date is stale (searches skip it), until a flush in the
 * background merges both into the posting blocks.
 */
function applyChanges(db: OffprintDB, changes: Change[]): Promise<void> {
  if (changes.length === 0) return Dexie.Promise.resolve();
  // The same article twice in one batch: the later entry wins.
  const byId = new Map<string, Change>();
  for (const c of changes) {
    byId.delete(c.id);
    byId.set(c.id, c);
  }
  const list = [...byId.values()];
  return inSearchTransaction(db, async () => {
    const stateRec = await readState(db);
    // An index of another version is rebuilt at startup; patching it would mix formats.
    if (stateRec && stateRec.version !== INDEX_VERSION) return;
    const state = copyState(stateRec ?? emptyState());
    const pending = new Set(state.pending);
    const olds = await db.searchDocs.bulkGet(list.map((c) => c.id));
    const table = new DocTable(db, state);
    await table.load(olds.flatMap((o) => (o ? [Math.floor(o.no / POSTING_BLOCK)] : [])));
    // A re-indexed article whose postings are in the blocks gets a new number: the old one goes stale.
    const needed = list.filter((c, i) => c.input && !(olds[i] && pending.has(c.id))).length;
    const fresh = (await table.allocate(needed)).reverse();

    const dfs = new DfDeltas();
    // Highlight quotes and notes (issue 13) are read here, in the same transaction, unless the caller gave them.
    const noteIds = list.flatMap((c) => (c.input && c.input.notes === undefined ? [c.id] : []));
    // Only awaited when it reads something: a bare async function's promise would lose the caller's transaction.
    const notes = noteIds.length ? await annotationTexts(db, noteIds) : new Map<string, string>();
    const putDocs: SearchDoc[] = [];
    const deleteDocs: string[] = [];
    const staleRecs: StaleDocRecord[] = [];
    list.forEach((change, i) => {
      const old = olds[i];
      const wasPending = Boolean(old && pending.has(change.id));
      if (old) {
        old.terms.forEach((t) => dfs.add(t, -1));
        table.set(old.no, '', 0);
        if (wasPending) pending.delete(change.id);
        else {
          table.markStale(old.no);
          staleRecs.push({ key: staleKey(old.no), no: old.no, terms: old.terms });
        }
      }
      if (!change.input) {
        if (old) {
          deleteDocs.push(change.id);
          state.count -= 1;
        }
        return;
      }
      const no = wasPending ? old!.no : fresh.pop()!;
      const terms = articleTerms({ ...change.input, notes: change.input.notes ?? notes.get(change.id) });
      terms.forEach((_, t) => dfs.add(t, 1));
      table.set(no, change.id, change.input.article.sortAt);
      pending.add(change.id);
      putDocs.push({ id: change.id, no, terms: [...terms.keys()], fields: Uint8Array.from(terms.values()) });
      if (!old) state.count += 1;
    });
    state.pending = [...pending];
    const meta: SearchMetaRecord[] = [...table.finish(), ...staleRecs];
    const delta = dfs.record(state);
    if (delta) meta.push(delta);
    const changed = putDocs.length + deleteDocs.length > 0;
    meta.push({ ...state, revision: state.revision + (changed ? 1 : 0) });
    await Promise.all([
      putDocs.length ? db.searchDocs.bulkPut(putDocs) : undefined,
      deleteDocs.length ? db.searchDocs.bulkDelete(deleteDocs) : undefined,
      db.searchMeta.bulkPut(meta),
    ]);
    // A big batch (an import) is flushed at once, so searches never read more than a few dozen SearchDocs at open.
    if (state.pending.length + state.stale.length >= 2 * FLUSH_AT) await flushPending(db);
    else if (!state.build && (flushDue(state) || compactionDue(state))) maintainAfterCommit(db);
  });
}

function copyState(s: IndexStateRecord): IndexStateRecord {
  return { ...s, freeBlocks: [...s.freeBlocks], pending: [...(s.pending ?? [])], stale: [...(s.stale ?? [])] };
}

/**
 * Writes new articles' postings straight into the posting blocks (a build's
 * chunk: many articles at once, so each block is rewritten once per chunk).
 */
async function indexDirect(db: OffprintDB, changes: Change[], opts: ApplyOptions): Promise<void> {
  await db.transaction('rw', searchTables(db), async () => {
    const stateRec = await readState(db);
    if (!stateRec || stateRec.version !== INDEX_VERSION) return;
    const state = copyState(stateRec);
    if (opts.build) state.build = opts.build;
    // Postings only hold numbers below nextNo: a block starting at or above it holds none yet, so it is not read.
    const freshFrom = Math.ceil(state.nextNo / POSTING_BLOCK);
    const table = new DocTable(db, state);
    const nos = (await table.allocate(changes.length)).reverse();
    const edits = new PostingEdits();
    const putDocs: SearchDoc[] = [];
    for (const change of changes) {
      const no = nos.pop()!;
      const doc = change.doc ?? docTerms(articleTerms(change.input!));
      doc.terms.forEach((t, i) => edits.set(t, no, doc.fields[i]!));
      table.set(no, change.id, change.input!.article.sortAt);
      putDocs.push({ id: change.id, no, ...doc });
      state.count += 1;
    }
    const dfs = await edits.write(db, freshFrom);
    const meta: SearchMetaRecord[] = [...table.finish()];
    const delta = dfs.record(state);
    if (delta) meta.push(delta);
    meta.push({ ...state, revision: state.revision + (putDocs.length ? 1 : 0) });
    await Promise.all([putDocs.length ? db.searchDocs.bulkPut(putDocs) : undefined, db.searchMeta.bulkPut(meta)]);
  });
}

/** Posting edits grouped by block: each touched block of each term is read and written once. */
class PostingEdits {
  /** block → term → (document number → bits). */
  private readonly byBlock = new Map<number, Map<string, Map<number, number>>>();

  /** Document `no` has `term` in the fields `bits` (0: no longer has it). */
  set(term: string, no: number, bits: number): void {
    const block = Math.floor(no / POSTING_BLOCK);
    let terms = this.byBlock.get(block);
    if (!terms) this.byBlock.set(block, (terms = new Map()));
    let edits = terms.get(term);
    if (!edits) terms.set(term, (edits = new Map()));
    edits.set(no, bits);
  }

  /**
   * Writes the edited blocks; returns the change of each term's posting count.
   * Blocks from `freshFrom` on are known to hold no postings yet: not read.
   */
  async write(db: OffprintDB, freshFrom = Infinity): Promise<DfDeltas> {
    const groups: { term: string; block: number; edits: Map<number, number> }[] = [];
    this.byBlock.forEach((terms, block) => terms.forEach((edits, term) => groups.push({ term, block, edits })));
    const old = groups.filter((g) => g.block < freshFrom);
    const read = await db.searchPostings.bulkGet(old.map((g) => [g.term, g.block] as [string, number]));
    const found = new Map<(typeof groups)[number], SearchPosting | undefined>();
    old.forEach((g, i) => found.set(g, read[i]));
    const postings = groups.map((g) => found.get(g));
    const put: SearchPosting[] = [];
    const drop: [string, number][] = [];
    const dfs = new DfDeltas();
    groups.forEach(({ term, block, edits }, i) => {
      const old = postings[i];
      const next = mergePostings(old, edits);
      const delta = next.docs.length - (old?.docs.length ?? 0);
      if (delta) dfs.add(term, delta);
      if (next.docs.length) put.push({ term, block, ...next });
      else if (old) drop.push([term, block]);
    });
    await Promise.all([put.length ? db.searchPostings.bulkPut(put) : undefined, drop.length ? db.searchPostings.bulkDelete(drop) : undefined]);
    return dfs;
  }
}

/**
 * Merges pending articles and stale numbers into the posting blocks and
 * frees the stale numbers. Searches see the same results before and after
 * (so the revision stays), only their open costs less. Runs in the
 * background, in batches of FLUSH_AT changes: a posting block is rewritten
 * once per batch instead of once per change.
 */
export async function flushPending(db: OffprintDB): Promise<void> {
  await inSearchTransaction(db, async () => {
    const stateRec = await readState(db);
    if (!stateRec || stateRec.version !== INDEX_VERSION || (!stateRec.pending.length && !stateRec.stale.length)) return;
    const state = copyState(stateRec);
    const [docs, stale] = await Promise.all([
      db.searchDocs.bulkGet(state.pending),
      db.searchMeta.bulkGet(state.stale.map(staleKey)) as Promise<(StaleDocRecord | undefined)[]>,
    ]);
    const edits = new PostingEdits();
    for (const rec of stale) rec?.terms.forEach((t) => edits.set(t, rec.no, 0));
    for (const doc of docs) doc?.terms.forEach((t, i) => edits.set(t, doc.no, doc.fields[i]!));
    await edits.write(db); // frequencies were counted when the changes were made
    // The stale numbers are free now: their blocks join the free list.
    const next: IndexStateRecord = { ...state, pending: [], stale: [] };
    const table = new DocTable(db, next);
    await table.load(state.stale.map((no) => Math.floor(no / POSTING_BLOCK)));
    table.finish();
    await db.searchMeta.bulkDelete(state.stale.map(staleKey));
    await db.searchMeta.put(next);
  });
}

/** Flushes and compacts once the current transaction has committed. */
function maintainAfterCommit(db: OffprintDB): void {
  const tx = Dexie.currentTransaction?.idbtrans;
  const run = () => void maintainIndex(db).catch((err: unknown) => console.error('Offprint: search index upkeep failed', err));
  if (tx) tx.addEventListener('complete', run);
  else run();
}

/** Background upkeep: flushes pending changes and compacts the vocabulary when due. */
export async function maintainIndex(db: OffprintDB, force = false): Promise<void> {
  let state = await readState(db);
  if (!state || state.build) return;
  if (force || flushDue(state)) await flushPending(db);
  state = await readState(db);
  if (state && (force ? state.pendingDeltas > 0 : compactionDue(state))) await compactVocabulary(db);
}

/**
 * Folds every vocabulary delta into the compacted vocabulary. Its cost grows
 * with the vocabulary, so it runs in the background when enough deltas have
 * piled up (never as part of a change). Searches see the same terms before
 * and after, so it does not change the revision.
 */
export async function compactVocabulary(db: OffprintDB, opts: { finishBuild?: boolean } = {}): Promise<void> {
  await db.transaction('rw', db.searchMeta, async () => {
    const state = await readState(db);
    if (!state || state.version !== INDEX_VERSION) return;
    const [base, deltas] = await Promise.all([
      db.searchMeta.get('vocab') as Promise<VocabularyRecord | undefined>,
      db.searchMeta.where('key').between(DELTA_PREFIX, prefixEnd(DELTA_PREFIX)).toArray() as Promise<VocabularyDeltaRecord[]>,
    ]);
    const next = { ...state };
    if (opts.finishBuild) delete next.build;
    if (deltas.length) {
      const rec = updateVocabulary(base, sumDeltas(deltas));
      await db.searchMeta.put(rec);
      await db.searchMeta.where('key').between(DELTA_PREFIX, prefixEnd(DELTA_PREFIX)).delete();
      next.vocabSize = rec.dfs.length;
      next.pendingDeltas = 0;
      next.pendingTerms = 0;
    }
    // The end of a build changes what searches see ("building" → results).
    if (opts.finishBuild) next.revision += 1;
    await db.searchMeta.put(next);
  });
}

/** Net change of each term's document frequency over some delta records. */
export function sumDeltas(deltas: readonly VocabularyDeltaRecord[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of deltas) {
    const terms = d.terms.split('\n');
    terms.forEach((t, i) => out.set(t, (out.get(t) ?? 0) + d.deltas[i]!));
  }
  return out;
}

/** Applies edits (doc number → bits, 0 = remove) to a posting list, keeping it sorted. */
export function mergePostings(old: SearchPosting | undefined, edits: Map<number, number>): { docs: Uint32Array; fields: Uint8Array } {
  const changes = [...edits].sort((a, b) => a[0] - b[0]);
  const oldDocs = old?.docs ?? new Uint32Array(0);
  const oldFields = old?.fields ?? new Uint8Array(0);
  const docs: number[] = [];
  const fields: number[] = [];
  let i = 0;
  let j = 0;
  while (i < oldDocs.length || j < changes.length) {
    const a = i < oldDocs.length ? oldDocs[i]! : Infinity;
    const [b, bits] = j < changes.length ? changes[j]! : [Infinity, 0];
    if (a < b) {
      docs.push(a);
      fields.push(oldFields[i]!);
      i++;
      continue;
    }
    if (bits) {
      docs.push(b);
      fields.push(bits);
    }
    if (a === b) i++;
    j++;
  }
  return { docs: Uint32Array.from(docs), fields: Uint8Array.from(fields) };
}

/** The vocabulary with changed document frequencies (a term at 0 is removed), kept sorted. */
export function updateVocabulary(rec: VocabularyRecord | undefined, deltas: Map<string, number>): VocabularyRecord {
  const words = rec?.words ? rec.words.split('\n') : [];
  const counts = rec ? Array.from(rec.dfs) : [];
  const added: string[] = [];
  deltas.forEach((delta, term) => {
    const at = lowerBound(words, term);
    if (words[at] === term) counts[at] = counts[at]! + delta;
    else if (delta > 0) added.push(term);
  });
  added.sort(compare);
  const outWords: string[] = [];
  const outDfs: number[] = [];
  let a = 0;
  for (let i = 0; i <= words.length; i++) {
    const w = words[i];
    while (a < added.length && (w === undefined || added[a]! < w)) {
      outWords.push(added[a]!);
      outDfs.push(deltas.get(added[a]!)!);
      a++;
    }
    if (w !== undefined && counts[i]! > 0) {
      outWords.push(w);
      outDfs.push(counts[i]!);
    }
  }
  return vocabularyRecord(outWords, Uint32Array.from(outDfs));
}

export function vocabularyRecord(words: string[], dfs: Uint32Array): VocabularyRecord {
  return { key: 'vocab', words: words.join('\n'), dfs, ...vocabularyTables(words) };
}

/** Code-unit order, the same as the `<` used by binary searches. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function lowerBound(words: string[], word: string): number {
  let lo = 0;
  let hi = words.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (words[mid]! < word) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface BuildOptions {
  /** Called every keepAliveMs while building: Chrome stops an idle service worker after 30 s, and IndexedDB work alone does not count. */
  keepAlive?: () => unknown;
  keepAliveMs?: number;
  /** Articles per build step (one write transaction; read in transactions of at most 256). Default: the rest of the current posting block. */
  chunk?: number;
  /** Stop after this many chunks (tests: a worker stopped mid-build). */
  maxChunks?: number;
}

/**
 * Makes the index current: builds it if it is missing or of another
 * version, resumes a build a stopped worker left, repairs it if it does not
 * cover the library's articles, compacts it if deltas piled up. Cheap when
 * fresh. Returns whether it had anything to build or repair.
 */
export async function ensureSearchIndex(db: OffprintDB, opts: BuildOptions = {}): Promise<boolean> {
  const [state, count] = await Promise.all([readState(db), db.articles.count()]);
  if (state && state.version === INDEX_VERSION && !state.build && state.count === count) {
    await maintainIndex(db);
    return false;
  }
  const timer = opts.keepAlive ? setInterval(opts.keepAlive, opts.keepAliveMs ?? 20_000) : undefined;
  try {
    if (!state || state.version !== INDEX_VERSION) await rebuildSearchIndex(db, opts);
    else if (state.build) await continueBuild(db, opts);
    else await repairIndex(db);
  } finally {
    clearInterval(timer);
  }
  return true;
}

/**
 * Indexes the whole library from scratch, a chunk at a time: the old index
 * is dropped, the state says "building" with progress, and each chunk is
 * indexed like any other change, so memory is bounded by the chunk (and the
 * vocabulary, at compaction), not by the library. Resumable: continueBuild
 * picks up after the last chunk written.
 */
export async function rebuildSearchIndex(db: OffprintDB, opts: BuildOptions = {}): Promise<void> {
  await startBuild(db);
  await continueBuild(db, opts);
}

/** Drops the index and marks a build as started. */
export async function startBuild(db: OffprintDB): Promise<void> {
  await db.transaction('rw', [db.articles, ...searchTables(db)], async () => {
    const [old, total] = await Promise.all([readState(db), db.articles.count()]);
    // Only the index's own tables: the highlight tables are in scope to be read, never cleared.
    await Promise.all(indexTables(db).map((t) => t.clear()));
    const state: IndexStateRecord = { ...emptyState((old?.revision ?? 0) + 1), build: { after: '', done: 0, total } };
    await db.searchMeta.put(state);
  });
}

/** Articles per build step (one write transaction): a posting block, so a fresh build writes each term's block once. */
const BUILD_CHUNK = POSTING_BLOCK;
/** Articles per read transaction of a step: their texts are dropped once tokenized, so memory holds this many texts at most. */
const BUILD_READ = 256;
/** During a build the deltas are larger (a chunk's terms each): compact less often. */
const BUILD_PENDING_TERMS = 250_000;

type BuildRead = { article: Article; text: string; html?: string; notes?: string }[];

/** The next `limit` articles after `after`, with their texts. */
async function readBuildChunk(db: OffprintDB, after: string, limit: number): Promise<BuildRead> {
  const { articles, contents, notes } = await db.transaction('r', [db.articles, db.contents, db.highlights, db.articleNotes], async () => {
    const articles = await db.articles.where(':id').above(after).limit(limit).toArray();
    const ids = articles.map((a) => a.id);
    const [contents, notes] = await Promise.all([db.contents.bulkGet(ids), annotationTexts(db, ids)]);
    return { articles, contents, notes };
  });
  return articles.map((article, i) => ({ article, text: contents[i]?.text ?? '', html: contents[i]?.html, notes: notes.get(article.id) }));
}

/** Build changes with their terms; the texts are not kept. */
function tokenize(read: BuildRead): Change[] {
  return read.map((input) => ({ id: input.article.id, input: { article: input.article, text: '' }, doc: docTerms(articleTerms(input)) }));
}

/**
 * Indexes the articles after the build's cursor, a chunk per step, until
 * the library is covered; then compacts the vocabulary and ends the build.
 * A step reads its chunk in several smaller read transactions and writes it
 * in one (terms are found before the write transaction, so it holds the
 * search tables briefly). Without an explicit `chunk`, a step fills the rest
 * of the current posting block. Articles stored meanwhile are indexed by
 * their own changes: a step skips those already indexed and those deleted
 * since it read them.
 */
export async function continueBuild(db: OffprintDB, opts: BuildOptions = {}): Promise<void> {
  for (let n = 0; n < (opts.maxChunks ?? Infinity); n++) {
    const state = await readState(db);
    if (!state?.build || state.version !== INDEX_VERSION) return;
    const progress = state.build;
    const size = opts.chunk ?? BUILD_CHUNK - (state.nextNo % BUILD_CHUNK);
    const changes: Change[] = [];
    let cursor = progress.after;
    // The next read runs in the database while this one's articles are tokenized.
    let reading: Promise<BuildRead> | undefined = readBuildChunk(db, cursor, Math.min(BUILD_READ, size));
    while (reading) {
      const part = await reading;
      reading = undefined;
      if (!part.length) break;
      cursor = part.at(-1)!.article.id;
      const wanted = size - changes.length - part.length;
      if (part.length === Math.min(BUILD_READ, size - changes.length) && wanted > 0) reading = readBuildChunk(db, cursor, Math.min(BUILD_READ, wanted));
      changes.push(...tokenize(part));
    }
    if (changes.length === 0) {
      await compactVocabulary(db, { finishBuild: true });
      return;
    }
    const next: BuildProgress = { ...progress, after: cursor, done: progress.done + changes.length };
    const due = await db.transaction('rw', [db.articles, ...searchTables(db)], async () => {
      const now = await readState(db);
      if (!now?.build || now.build.after !== progress.after) return false; // another run got here first
      const ids = changes.map((c) => c.id);
      const [present, existing] = await Promise.all([db.searchDocs.bulkGet(ids), db.articles.where(':id').anyOf(ids).primaryKeys()]);
      const exists = new Set(existing as string[]);
      const todo = changes.filter((c, i) => !present[i] && exists.has(c.id));
      await indexDirect(db, todo, { build: next });
      return compactionDue({ ...(await readState(db))!, build: undefined }, BUILD_PENDING_TERMS);
    });
    if (due) await compactVocabulary(db);
  }
}

/**
 * Brings a stale index (an article stored or deleted while the worker was
 * stopped between commit and indexing) back in line by comparing ids,
 * without a rebuild: search keeps answering meanwhile.
 */
export async function repairIndex(db: OffprintDB): Promise<void> {
  const [articleIds, docIds] = await Promise.all([db.articles.toCollection().primaryKeys(), db.searchDocs.toCollection().primaryKeys()]);
  const indexed = new Set(docIds as string[]);
  const inLibrary = new Set(articleIds as string[]);
  const stale = [...(articleIds as string[]).filter((id) => !indexed.has(id)), ...(docIds as string[]).filter((id) => !inLibrary.has(id))];
  for (let i = 0; i < stale.length; i += 200) await reindexArticles(db, stale.slice(i, i + 200));
}

/** Document-table blocks, in order. */
export async function readDocBlocks(db: OffprintDB): Promise<DocBlockRecord[]> {
  return (await db.searchMeta.where('key').between(DOC_BLOCK_PREFIX, prefixEnd(DOC_BLOCK_PREFIX)).toArray()) as DocBlockRecord[];
}
