// Keeps the search index in step with the library: incremental updates
// from storeArticles and removeFromIndex, a chunked, resumable build when the
// index is missing or of another version, and a repair when it is stale
// (ensureSearchIndex, at background startup). Format: lib/search/README.md.
import Dexie, { type Table } from 'dexie';
import type { OffprintDB } from '../db/schema';
import {
  DELTA_PREFIX,
  deltaKey,
  DOC_BLOCK_PREFIX,
  docBlockKey,
  POSTING_BLOCK,
  prefixEnd,
  type BuildProgress,
  type DocBlockRecord,
  type IndexStateRecord,
  type SearchDoc,
  type SearchMetaRecord,
  type SearchPosting,
  type VocabularyDeltaRecord,
  type VocabularyRecord,
} from './records';
import { articleTerms, type IndexInput } from './terms';
import { vocabularyTables } from './vocabulary';

/** Bump when tokenizing or the record shapes change: every index is then rebuilt. */
export const INDEX_VERSION = 2;

/** The tables a transaction must include to update the index. */
export function searchTables(db: OffprintDB): Table[] {
  return [db.searchPostings, db.searchDocs, db.searchMeta];
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

type Change = { id: string; input?: IndexInput; terms?: Map<string, number> };

/** Indexes new or changed articles. Call inside the transaction that stores them. */
export async function indexArticles(db: OffprintDB, inputs: IndexInput[]): Promise<void> {
  await applyChanges(db, inputs.map((input) => ({ id: input.article.id, input })));
}

/** Removes deleted or purged articles from the index. */
export async function removeFromIndex(db: OffprintDB, ids: string[]): Promise<void> {
  await applyChanges(db, ids.map((id) => ({ id })));
}

/** Re-reads articles from the library and indexes them (after tag or title edits). */
export async function reindexArticles(db: OffprintDB, ids: string[]): Promise<void> {
  await db.transaction('rw', [db.articles, db.contents, ...searchTables(db)], async () => {
    const [articles, contents] = await Promise.all([db.articles.bulkGet(ids), db.contents.bulkGet(ids)]);
    const changes = ids.map((id, i): Change => {
      const article = articles[i];
      return article ? { id, input: { article, text: contents[i]?.text ?? '' } } : { id };
    });
    await applyChanges(db, changes);
  });
}

export function emptyState(revision = 0): IndexStateRecord {
  return { key: 'state', version: INDEX_VERSION, count: 0, revision, nextNo: 0, freeBlocks: [], seq: 0, pendingDeltas: 0, pendingTerms: 0, vocabSize: 0 };
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

function emptyBlock(block: number): DocBlockRecord {
  return { key: docBlockKey(block), block, ids: new Array<string>(POSTING_BLOCK).fill(''), sortAt: new Float64Array(POSTING_BLOCK) };
}

interface ApplyOptions {
  /** Build progress to store with this change (the build's chunks). */
  build?: BuildProgress;
  /** Compaction is left to the caller (the build compacts between chunks). */
  noCompaction?: boolean;
}

/**
 * Applies changes in one transaction over the search tables. Everything it
 * writes is bounded by the changed articles, never by the library: their
 * SearchDocs, the posting blocks holding their numbers, their document-table
 * blocks, one vocabulary delta and the small state record. Returns whether
 * compaction is due.
 */
async function applyChanges(db: OffprintDB, changes: Change[], opts: ApplyOptions = {}): Promise<boolean> {
  if (changes.length === 0 && !opts.build) return false;
  // The same article twice in one batch: the later entry wins.
  const byId = new Map<string, Change>();
  for (const c of changes) {
    byId.delete(c.id);
    byId.set(c.id, c);
  }
  const list = [...byId.values()];
  return db.transaction('rw', searchTables(db), async () => {
    const stateRec = await readState(db);
    // An index of another version is rebuilt at startup; patching it would mix formats.
    if (stateRec && stateRec.version !== INDEX_VERSION) return false;
    const state: IndexStateRecord = stateRec ? { ...stateRec, freeBlocks: [...stateRec.freeBlocks] } : emptyState();
    if (opts.build) state.build = opts.build;

    const olds = await db.searchDocs.bulkGet(list.map((c) => c.id));
    const blocks = new Map<number, DocBlockRecord>();
    const loadBlocks = async (nums: Iterable<number>) => {
      const need = [...new Set(nums)].filter((b) => !blocks.has(b));
      if (!need.length) return;
      const recs = (await db.searchMeta.bulkGet(need.map(docBlockKey))) as (DocBlockRecord | undefined)[];
      need.forEach((b, i) => blocks.set(b, recs[i] ? { ...recs[i], ids: [...recs[i].ids], sortAt: recs[i].sortAt.slice() } : emptyBlock(b)));
    };
    await loadBlocks(olds.flatMap((o) => (o ? [Math.floor(o.no / POSTING_BLOCK)] : [])));

    // Numbers for new articles: free numbers of the lowest blocks first, then never-used ones.
    const needed = list.filter((c, i) => c.input && !olds[i]).length;
    const fresh: number[] = [];
    for (const b of [...state.freeBlocks].sort((x, y) => x - y)) {
      if (fresh.length >= needed) break;
      await loadBlocks([b]);
      const rec = blocks.get(b)!;
      for (let s = 0; s < POSTING_BLOCK && fresh.length < needed; s++) {
        const no = b * POSTING_BLOCK + s;
        if (no >= state.nextNo) break;
        if (rec.ids[s] === '') fresh.push(no);
      }
    }
    while (fresh.length < needed) fresh.push(state.nextNo++);
    await loadBlocks(fresh.map((no) => Math.floor(no / POSTING_BLOCK)));
    fresh.reverse();

    /** term → (doc number → new FIELD bits, 0 = remove) */
    const edits = new Map<string, Map<number, number>>();
    const edit = (term: string, no: number, bits: number) => {
      let m = edits.get(term);
      if (!m) edits.set(term, (m = new Map()));
      m.set(no, bits);
    };
    const setDoc = (no: number, id: string, sortAt: number) => {
      const rec = blocks.get(Math.floor(no / POSTING_BLOCK))!;
      rec.ids[no % POSTING_BLOCK] = id;
      rec.sortAt[no % POSTING_BLOCK] = sortAt;
    };
    const putDocs: SearchDoc[] = [];
    const deleteDocs: string[] = [];
    list.forEach((change, i) => {
      const old = olds[i];
      const before = new Map<string, number>();
      old?.terms.forEach((t, j) => before.set(t, old.fields[j]!));
      if (!change.input) {
        if (!old) return;
        before.forEach((_, t) => edit(t, old.no, 0));
        setDoc(old.no, '', 0);
        deleteDocs.push(change.id);
        state.count -= 1;
        return;
      }
      const no = old?.no ?? fresh.pop()!;
      const after = change.terms ?? articleTerms(change.input);
      before.forEach((_, t) => after.has(t) || edit(t, no, 0));
      after.forEach((bits, t) => before.get(t) !== bits && edit(t, no, bits));
      setDoc(no, change.id, change.input.article.sortAt);
      putDocs.push({ id: change.id, no, terms: [...after.keys()], fields: Uint8Array.from(after.values()) });
      if (!old) state.count += 1;
    });

    // Edits grouped by posting block: only the blocks holding these articles are rewritten.
    const byBlock = new Map<string, { term: string; block: number; edits: Map<number, number> }>();
    edits.forEach((docEdits, term) => {
      docEdits.forEach((bits, no) => {
        const block = Math.floor(no / POSTING_BLOCK);
        const key = `${block}\u0000${term}`;
        let group = byBlock.get(key);
        if (!group) byBlock.set(key, (group = { term, block, edits: new Map() }));
        group.edits.set(no, bits);
      });
    });
    const groups = [...byBlock.values()];
    const postings = await db.searchPostings.bulkGet(groups.map((g) => [g.term, g.block] as [string, number]));
    const put: SearchPosting[] = [];
    const drop: [string, number][] = [];
    /** Change of each term's document frequency. */
    const dfs = new Map<string, number>();
    groups.forEach(({ term, block, edits: blockEdits }, i) => {
      const old = postings[i];
      const next = mergePostings(old, blockEdits);
      const delta = next.docs.length - (old?.docs.length ?? 0);
      if (delta) dfs.set(term, (dfs.get(term) ?? 0) + delta);
      if (next.docs.length) put.push({ term, block, ...next });
      else if (old) drop.push([term, block]);
    });

    // Which touched document-table blocks still have a free number.
    const free = new Set(state.freeBlocks);
    blocks.forEach((rec, b) => {
      const has = rec.ids.some((id, s) => id === '' && b * POSTING_BLOCK + s < state.nextNo);
      if (has) free.add(b);
      else free.delete(b);
    });
    state.freeBlocks = [...free].sort((x, y) => x - y);

    const meta: SearchMetaRecord[] = [...blocks.values()];
    const deltaTerms = [...dfs].filter(([, d]) => d !== 0);
    if (deltaTerms.length) {
      meta.push({ key: deltaKey(state.seq), terms: deltaTerms.map(([t]) => t).join('\n'), deltas: Int32Array.from(deltaTerms, ([, d]) => d) });
      state.seq += 1;
      state.pendingDeltas += 1;
      state.pendingTerms += deltaTerms.length;
    }
    const changed = putDocs.length + deleteDocs.length > 0;
    meta.push({ ...state, revision: state.revision + (changed ? 1 : 0) });
    await Promise.all([
      put.length ? db.searchPostings.bulkPut(put) : undefined,
      drop.length ? db.searchPostings.bulkDelete(drop) : undefined,
      putDocs.length ? db.searchDocs.bulkPut(putDocs) : undefined,
      deleteDocs.length ? db.searchDocs.bulkDelete(deleteDocs) : undefined,
      db.searchMeta.bulkPut(meta),
    ]);
    const due = !state.build && compactionDue(state);
    if (due && !opts.noCompaction) compactAfterCommit(db);
    return due;
  });
}

/** Compacts the vocabulary in its own transaction once the current one has committed. */
function compactAfterCommit(db: OffprintDB): void {
  const tx = Dexie.currentTransaction?.idbtrans;
  const run = () => void compactVocabulary(db).catch((err: unknown) => console.error('Offprint: search vocabulary compaction failed', err));
  if (tx) tx.addEventListener('complete', run);
  else run();
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
  /** Articles per chunk (each chunk is one read and one write transaction). */
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
    if (compactionDue(state)) await compactVocabulary(db);
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
    await Promise.all(searchTables(db).map((t) => t.clear()));
    const state: IndexStateRecord = { ...emptyState((old?.revision ?? 0) + 1), build: { after: '', done: 0, total } };
    await db.searchMeta.put(state);
  });
}

const BUILD_CHUNK = 400;
/** During a build the deltas are larger (a chunk's terms each): compact less often. */
const BUILD_PENDING_TERMS = 250_000;

/**
 * Indexes the articles after the build's cursor, a chunk per step, until
 * the library is covered; then compacts the vocabulary and ends the build.
 * Articles stored meanwhile are indexed by their own changes: a chunk skips
 * those already indexed and those deleted since it read them.
 */
export async function continueBuild(db: OffprintDB, opts: BuildOptions = {}): Promise<void> {
  const chunk = opts.chunk ?? BUILD_CHUNK;
  for (let n = 0; n < (opts.maxChunks ?? Infinity); n++) {
    const state = await readState(db);
    if (!state?.build || state.version !== INDEX_VERSION) return;
    const progress = state.build;
    const { articles, contents } = await db.transaction('r', db.articles, db.contents, async () => {
      const articles = await db.articles.where(':id').above(progress.after).limit(chunk).toArray();
      const contents = await db.contents.bulkGet(articles.map((a) => a.id));
      return { articles, contents };
    });
    if (articles.length === 0) {
      await compactVocabulary(db, { finishBuild: true });
      return;
    }
    // Terms are found before the write transaction, so it holds the search tables briefly.
    const changes: Change[] = articles.map((article, i) => {
      const input = { article, text: contents[i]?.text ?? '' };
      return { id: article.id, input, terms: articleTerms(input) };
    });
    const next: BuildProgress = { ...progress, after: articles.at(-1)!.id, done: progress.done + articles.length };
    const due = await db.transaction('rw', [db.articles, ...searchTables(db)], async () => {
      const now = await readState(db);
      if (!now?.build || now.build.after !== progress.after) return false; // another run got here first
      const ids = changes.map((c) => c.id);
      const [present, existing] = await Promise.all([db.searchDocs.bulkGet(ids), db.articles.where(':id').anyOf(ids).primaryKeys()]);
      const exists = new Set(existing as string[]);
      const todo = changes.filter((c, i) => !present[i] && exists.has(c.id));
      await applyChanges(db, todo, { build: next, noCompaction: true });
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
