// Keeps the search index in step with the library: incremental updates
// from storeArticles and removeFromIndex, and a full rebuild when the index
// is missing or stale (ensureSearchIndex, at background startup).
import Dexie, { type Table } from 'dexie';
import type { OffprintDB } from '../db/schema';
import type { Article } from '../db/types';
import { POSTING_BLOCK, type DocTableRecord, type IndexStateRecord, type SearchDoc, type SearchMetaRecord, type SearchPosting, type VocabularyRecord } from './records';
import { annotationTexts } from '../library/highlights';
import { articleTerms, type IndexInput } from './terms';
import { vocabularyTables } from './vocabulary';

/** Bump when tokenizing or the record shapes change: every index is then rebuilt. */
export const INDEX_VERSION = 1;

/** The tables a transaction must include to update the index (highlights are indexed with their article). */
export function searchTables(db: OffprintDB): Table[] {
  return [db.searchPostings, db.searchDocs, db.searchMeta, db.highlights, db.articleNotes];
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

type Change = { id: string; input?: IndexInput };

/** Indexes new or changed articles. Call inside the transaction that stores them. */
export function indexArticles(db: OffprintDB, inputs: IndexInput[]): Promise<void> {
  return applyChanges(db, inputs.map((input) => ({ id: input.article.id, input })));
}

/** Removes deleted or purged articles from the index. */
export function removeFromIndex(db: OffprintDB, ids: string[]): Promise<void> {
  return applyChanges(db, ids.map((id) => ({ id })));
}

/** Re-reads articles from the library and indexes them (after tag or title edits). */
export async function reindexArticles(db: OffprintDB, ids: string[]): Promise<void> {
  await db.transaction('rw', [db.articles, db.contents, ...searchTables(db)], async () => {
    const [articles, contents] = await Promise.all([db.articles.bulkGet(ids), db.contents.bulkGet(ids)]);
    const gone = ids.filter((_, i) => !articles[i]);
    const inputs = articles.flatMap((a, i) => (a ? [{ article: a, text: contents[i]?.text ?? '' }] : []));
    await applyChanges(db, [...gone.map((id) => ({ id })), ...inputs.map((input) => ({ id: input.article.id, input }))]);
  });
}

async function applyChanges(db: OffprintDB, changes: Change[]): Promise<void> {
  if (changes.length === 0) return;
  await db.transaction('rw', searchTables(db), async () => {
    const [vocabRec, docsRec, stateRec] = (await db.searchMeta.bulkGet(['vocab', 'docs', 'state'])) as [
      VocabularyRecord | undefined,
      DocTableRecord | undefined,
      IndexStateRecord | undefined,
    ];
    // An index of another version is rebuilt at startup; patching it would mix formats.
    if (stateRec && stateRec.version !== INDEX_VERSION) return;
    const state: IndexStateRecord = stateRec ?? { key: 'state', version: INDEX_VERSION, count: 0, revision: 0 };
    const ids = docsRec ? [...docsRec.ids] : [];
    const sortAt = docsRec ? Array.from(docsRec.sortAt) : [];
    const free: number[] = [];
    ids.forEach((id, no) => id === '' && free.push(no));
    free.reverse();

    const olds = await db.searchDocs.bulkGet(changes.map((c) => c.id));
    const notes = await annotationTexts(db, changes.flatMap((c) => (c.input && c.input.notes === undefined ? [c.id] : [])));
    /** term → (doc number → new FIELD bits, 0 = remove) */
    const edits = new Map<string, Map<number, number>>();
    const edit = (term: string, no: number, bits: number) => {
      let m = edits.get(term);
      if (!m) edits.set(term, (m = new Map()));
      m.set(no, bits);
    };
    const putDocs: SearchDoc[] = [];
    const deleteDocs: string[] = [];
    changes.forEach((change, i) => {
      const old = olds[i];
      const before = new Map<string, number>();
      old?.terms.forEach((t, j) => before.set(t, old.fields[j]!));
      if (!change.input) {
        if (!old) return;
        before.forEach((_, t) => edit(t, old.no, 0));
        ids[old.no] = '';
        deleteDocs.push(change.id);
        state.count -= 1;
        return;
      }
      const no = old?.no ?? free.pop() ?? ids.length;
      const after = articleTerms({ ...change.input, notes: change.input.notes ?? notes.get(change.id) });
      before.forEach((_, t) => after.has(t) || edit(t, no, 0));
      after.forEach((bits, t) => before.get(t) !== bits && edit(t, no, bits));
      ids[no] = change.id;
      sortAt[no] = change.input.article.sortAt;
      putDocs.push({ id: change.id, no, terms: [...after.keys()], fields: Uint8Array.from(after.values()) });
      if (!old) state.count += 1;
      // The same article twice in one batch: the later entry wins.
      olds.forEach((o, k) => k > i && changes[k]!.id === change.id && (olds[k] = putDocs.at(-1)));
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
      dfs.set(term, (dfs.get(term) ?? 0) + next.docs.length - (old?.docs.length ?? 0));
      if (next.docs.length) put.push({ term, block, ...next });
      else if (old) drop.push([term, block]);
    });

    await Promise.all([
      db.searchPostings.bulkPut(put),
      drop.length ? db.searchPostings.bulkDelete(drop) : undefined,
      db.searchDocs.bulkPut(putDocs),
      deleteDocs.length ? db.searchDocs.bulkDelete(deleteDocs) : undefined,
      db.searchMeta.bulkPut([
        updateVocabulary(vocabRec, dfs),
        { key: 'docs', ids: trimFree(ids), sortAt: Float64Array.from(sortAt.slice(0, trimFree(ids).length)) },
        { ...state, revision: state.revision + 1 },
      ] as SearchMetaRecord[]),
    ]);
  });
}

/** Free numbers at the end are dropped, so the table shrinks after deletes. */
function trimFree(ids: string[]): string[] {
  let end = ids.length;
  while (end > 0 && ids[end - 1] === '') end -= 1;
  return end === ids.length ? ids : ids.slice(0, end);
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

/**
 * Rebuilds the index from the library if it is missing, of an older
 * version, or does not cover the same number of articles. Cheap when fresh.
 * `keepAlive` is called every 20 s while rebuilding: Chrome stops an idle
 * service worker after 30 s, and IndexedDB work alone does not count.
 */
export async function ensureSearchIndex(db: OffprintDB, opts: { keepAlive?: () => unknown; keepAliveMs?: number } = {}): Promise<boolean> {
  const [state, count] = await Promise.all([db.searchMeta.get('state') as Promise<IndexStateRecord | undefined>, db.articles.count()]);
  if (state && state.version === INDEX_VERSION && state.count === count) return false;
  const timer = opts.keepAlive ? setInterval(opts.keepAlive, opts.keepAliveMs ?? 20_000) : undefined;
  try {
    await rebuildSearchIndex(db);
  } finally {
    clearInterval(timer);
  }
  return true;
}

const CHUNK = 200;

/**
 * Indexes the whole library from scratch. Articles are read a chunk at a
 * time in short read-only transactions, so lists stay responsive while a
 * big library is indexed; only the final write locks the search tables. If
 * the index changed meanwhile (an article stored during the rebuild), the
 * rebuild starts over so that article is not lost from the index.
 */
export async function rebuildSearchIndex(db: OffprintDB, attempts = 3): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const before = ((await db.searchMeta.get('state')) as IndexStateRecord | undefined)?.revision ?? 0;
    const built = await buildFromLibrary(db);
    const written = await db.transaction('rw', searchTables(db), async () => {
      const now = ((await db.searchMeta.get('state')) as IndexStateRecord | undefined)?.revision ?? 0;
      if (now !== before && attempt < attempts) return false;
      // Only the index's own tables: the highlight tables are in scope to be read, never cleared.
      await Promise.all([db.searchPostings, db.searchDocs, db.searchMeta].map((t) => t.clear()));
      await db.searchDocs.bulkPut(built.docs);
      for (let start = 0; start < built.postings.length; start += 5000) await db.searchPostings.bulkPut(built.postings.slice(start, start + 5000));
      await db.searchMeta.bulkPut([
        vocabularyRecord(built.words, built.dfs),
        { key: 'docs', ids: built.ids, sortAt: built.sortAt },
        { key: 'state', version: INDEX_VERSION, count: built.docs.length, revision: now + 1 },
      ] as SearchMetaRecord[]);
      return true;
    });
    if (written) return;
  }
}

async function buildFromLibrary(db: OffprintDB) {
  const ids = (await db.articles.toCollection().primaryKeys()) as string[];
  const postings = new Map<string, { term: string; docs: number[]; fields: number[] }>();
  const sortAt = new Float64Array(ids.length);
  const docs: SearchDoc[] = [];
  for (let start = 0; start < ids.length; start += CHUNK) {
    const chunk = ids.slice(start, start + CHUNK);
    const [articles, contents, notes] = await db.transaction('r', [db.articles, db.contents, db.highlights, db.articleNotes], () =>
      Promise.all([db.articles.bulkGet(chunk), db.contents.bulkGet(chunk), annotationTexts(db, chunk)]),
    );
    articles.forEach((article: Article | undefined, i) => {
      const no = start + i;
      if (!article) {
        ids[no] = ''; // deleted since the ids were read
        return;
      }
      sortAt[no] = article.sortAt;
      const terms = articleTerms({ article, text: contents[i]?.text ?? '', notes: notes.get(article.id) });
      const shared: string[] = [];
      terms.forEach((bits, term) => {
        let p = postings.get(term);
        if (!p) postings.set(term, (p = { term, docs: [], fields: [] }));
        p.docs.push(no);
        p.fields.push(bits);
        shared.push(p.term); // one string per term for the whole library, not one per article
      });
      docs.push({ id: article.id, no, terms: shared, fields: Uint8Array.from(terms.values()) });
    });
  }
  const words = [...postings.keys()].sort(compare);
  const dfs = Uint32Array.from(words, (w) => postings.get(w)!.docs.length);
  const rows: SearchPosting[] = [];
  for (const term of words) {
    const p = postings.get(term)!;
    // Document numbers were handed out in order, so each list is sorted: cut it into blocks.
    for (let from = 0; from < p.docs.length; ) {
      const block = Math.floor(p.docs[from]! / POSTING_BLOCK);
      let to = from;
      while (to < p.docs.length && Math.floor(p.docs[to]! / POSTING_BLOCK) === block) to++;
      rows.push({ term, block, docs: Uint32Array.from(p.docs.slice(from, to)), fields: Uint8Array.from(p.fields.slice(from, to)) });
      from = to;
    }
  }
  return { ids, sortAt, docs, words, dfs, postings: rows };
}
