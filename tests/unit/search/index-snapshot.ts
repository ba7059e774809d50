// The index in terms of article ids: independent of document numbering,
// posting blocks and whether the vocabulary's deltas have been compacted,
// so an incrementally kept index can be compared with a fresh build.
import type { OffprintDB } from '../../../lib/db/schema';
import { readDocBlocks, readState, sumDeltas } from '../../../lib/search/indexer';
import { blockIds } from '../../../lib/search/records';
import { DELTA_PREFIX, prefixEnd, type VocabularyDeltaRecord, type VocabularyRecord } from '../../../lib/search/records';

/** term → document frequency, the compacted vocabulary plus its deltas. */
export async function effectiveVocabulary(db: OffprintDB): Promise<Map<string, number>> {
  const base = (await db.searchMeta.get('vocab')) as VocabularyRecord | undefined;
  const deltas = (await db.searchMeta.where('key').between(DELTA_PREFIX, prefixEnd(DELTA_PREFIX)).toArray()) as VocabularyDeltaRecord[];
  const out = new Map<string, number>();
  base?.words.split('\n').forEach((w, i) => w && out.set(w, base.dfs[i]!));
  sumDeltas(deltas).forEach((d, t) => out.set(t, (out.get(t) ?? 0) + d));
  for (const [t, df] of out) if (df === 0) out.delete(t);
  return out;
}

/**
 * What the index means, in article ids: posting blocks without stale numbers,
 * plus the pending articles' terms (not yet flushed into the blocks).
 */
export async function indexSnapshot(db: OffprintDB) {
  const [postings, docs, blocks, state] = await db.transaction('r', db.searchPostings, db.searchDocs, db.searchMeta, () =>
    Promise.all([db.searchPostings.toArray(), db.searchDocs.toArray(), readDocBlocks(db), readState(db)]),
  );
  const byNo = new Map(docs.map((d) => [d.no, d.id]));
  const stale = new Set(state?.stale ?? []);
  const pending = new Set(state?.pending ?? []);
  const byTerm = new Map<string, string[]>();
  const add = (term: string, entry: string) => byTerm.set(term, [...(byTerm.get(term) ?? []), entry]);
  // A number in the blocks is either stale or belongs to an indexed article that is not pending.
  let wellFormed = true;
  for (const p of postings) {
    p.docs.forEach((no, i) => {
      if (stale.has(no)) return;
      const id = byNo.get(no);
      if (!id || pending.has(id)) wellFormed = false;
      add(p.term, `${id}:${p.fields[i]}`);
    });
  }
  for (const d of docs) if (pending.has(d.id)) d.terms.forEach((t, i) => add(t, `${d.id}:${d.fields[i]}`));
  byTerm.forEach((list) => list.sort());
  const table = new Map<string, number>();
  for (const b of blocks) blockIds(b.ids).forEach((id, s) => id && table.set(id, b.sortAt[s]!));
  const docTerms = new Map(docs.map((d) => [d.id, d.terms.map((t, i) => `${t}:${d.fields[i]}`).sort()]));
  // Document numbers agree between the SearchDocs and the document table.
  const numbered = docs.every((d) => blockIds(blocks.find((b) => b.block === Math.floor(d.no / 1024))?.ids)[d.no % 1024] === d.id);
  const vocab = await effectiveVocabulary(db);
  // Every vocabulary frequency is the length of the term's postings.
  const consistent = [...vocab].every(([t, df]) => byTerm.get(t)?.length === df) && [...byTerm.keys()].every((t) => vocab.has(t));
  return { byTerm, vocab, table, docTerms, numbered, consistent, wellFormed, count: state?.count, building: Boolean(state?.build) };
}
