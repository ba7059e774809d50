// Query side of the search index: loads the small vocabulary and document
// table once per page, then answers each query with one read of the
// matching terms' postings, one read of the result rows and their texts.
import Dexie from 'dexie';
import type { OffprintDB } from '../db/schema';
import type { Article, ArticleSource } from '../db/types';
import { containsPhrase, queryPhrases, queryWords } from './normalize';
import { blockIds, DELTA_PREFIX, DOC_BLOCK_PREFIX, POSTING_BLOCK, prefixEnd, type DocBlockRecord, type IndexStateRecord, type VocabularyDeltaRecord, type VocabularyRecord } from './records';
import { sumDeltas } from './indexer';
import { WEIGHT_OF_BITS } from './terms';
import { highlight, snippet, type Segment } from './snippet';
import { LruCache } from './lru';
import { Lexicon, Vocabulary, type TermMatch } from './vocabulary';
import { FIELD } from './records';
import { notesOf } from '../library/highlights';

export interface SearchFilters {
  unread?: boolean;
  starred?: boolean;
  source?: ArticleSource;
  feedId?: string;
  tag?: string;
  /** Inclusive range on the article's date (published, else saved), in ms. */
  from?: number;
  to?: number;
}

export interface SearchHit {
  article: Article;
  score: number;
  title: Segment[];
  snippet: Segment[];
  /** Set when one of the article's notes (issue 13) holds a query word: the note's matching words in context. */
  note?: Segment[];
}

export interface SearchResult {
  hits: SearchHit[];
  /** More articles match than were returned. */
  more: boolean;
  /** 'building' while the index is being built (first run, or after an update changed its format). */
  index: 'ready' | 'building';
  /** The terms the query matched (typos and prefixes included), to mark them in an opened article. */
  terms?: string[];
  /** No article has every word: these match `matched` of the `of` words. */
  partial?: { matched: number; of: number };
  /** While building: articles indexed so far, of how many. */
  progress?: { done: number; total: number };
}

export interface SearchOptions {
  limit?: number;
  /** Internal: this is the retry after the index changed under the search (retry once only). */
  retried?: boolean;
}

type Postings = { docs: Uint32Array; fields: Uint8Array }[];

interface Loaded {
  vocab: Lexicon;
  /** Article id of each document number. */
  ids: DocIds;
  sortAt: Float64Array;
  /** 1 for numbers to skip (stale postings). */
  skip: Uint8Array;
  /** Postings of articles not yet flushed into the blocks, by term. */
  pending: Map<string, { docs: Uint32Array; fields: Uint8Array }>;
  revision: number;
  /** Postings read by earlier keystrokes: consecutive queries share most of their terms. */
  postings: LruCache<string, Postings>;
  /** Article texts shown by earlier keystrokes, for snippets. */
  texts: LruCache<string, string>;
  /** The ranking's arrays, reused by every keystroke. */
  scratch?: RankScratch;
}

/** Candidates whose text is read to check a "quoted phrase". */
const MAX_PHRASE_SCAN = 1000;

/** Memory kept between keystrokes, per loaded index revision (dropped with it). */
const TEXTS_CACHE_BYTES = 2 * 2 ** 20;

/**
 * Postings kept between keystrokes. A term's postings grow with the library
 * (5 bytes per article it is in), so a fixed budget that holds a search
 * session's terms at 20,000 articles thrashes at 50,000 (an LRU cycled through
 * more than it holds answers nothing from memory): the budget grows with the
 * library, from 4 MB.
 */
export function postingsCacheBytes(articles: number): number {
  return Math.max(4 * 2 ** 20, articles * POSTINGS_CACHE_BYTES_PER_ARTICLE);
}
const POSTINGS_CACHE_BYTES_PER_ARTICLE = 256;

function sizeOfPostings(blocks: Postings): number {
  return blocks.reduce((n, b) => n + b.docs.byteLength + b.fields.byteLength + 64, 64);
}

export function hasFilters(f: SearchFilters): boolean {
  return Boolean(f.unread || f.starred || f.source || f.feedId || f.tag || f.from !== undefined || f.to !== undefined);
}

function passes(a: Article, f: SearchFilters): boolean {
  return (
    a.box !== 'trash' &&
    (!f.unread || a.isRead === 0) &&
    (!f.starred || a.starred === 1) &&
    (!f.source || a.source === f.source) &&
    (!f.feedId || a.feedId === f.feedId) &&
    (!f.tag || a.tags.includes(f.tag)) &&
    (f.from === undefined || a.sortAt >= f.from) &&
    (f.to === undefined || a.sortAt <= f.to)
  );
}

/**
 * Article ids by document number, from the document-table blocks as read: a
 * block's ids are split out of its stored string only when one of its
 * numbers is shown (most keystrokes show one page of results).
 */
export class DocIds {
  private readonly split: (string[] | undefined)[] = [];

  constructor(private readonly blocks: (string | string[] | undefined)[]) {}

  of(no: number): string {
    const b = Math.floor(no / POSTING_BLOCK);
    let ids = this.split[b];
    if (!ids) this.split[b] = ids = blockIds(this.blocks[b]);
    return ids[no - b * POSTING_BLOCK] ?? '';
  }
}

/** One per page: keeps the vocabulary between keystrokes, reloads it when the index changes. */
export class LibrarySearch {
  private loaded?: Promise<Loaded | undefined>;
  /** The loaded index once the rehearsal queries have run on it (see warm). */
  private rehearsed?: Promise<Loaded | undefined>;
  /** A real search has been asked for: rehearsing stops. */
  private asked = false;
  /** Progress of the build under way when the index was last looked at. */
  private building?: { done: number; total: number };

  /** `cacheBytes`: the postings cache's budget, instead of postingsCacheBytes (for the bench). */
  constructor(
    private readonly db: OffprintDB,
    private readonly cacheBytes?: number,
  ) {}

  /** What the keystrokes' caches hold and how often they answered (for the bench), once loaded. */
  async cacheStats(): Promise<Record<'postings' | 'texts', { hits: number; misses: number; bytes: number; maxBytes: number; entries: number }> | undefined> {
    const loaded = await this.loaded;
    if (!loaded) return undefined;
    const of = (c: LruCache<string, unknown>) => ({ hits: c.hits, misses: c.misses, bytes: c.heldBytes, maxBytes: c.maxBytes, entries: c.size });
    return { postings: of(loaded.postings), texts: of(loaded.texts) };
  }

  /**
   * Loads the vocabulary and document table, then answers a few made-up
   * queries on the real index (call when the search box appears, after first
   * paint): a freshly opened page runs cold code (measured in Chromium at
   * 5,000 articles: the first query took 2-3 times as long as the next few),
   * and the reader's first keystroke should not pay for that. Resolves when
   * both are done; a search made meanwhile waits only for the load, and the
   * rehearsal stops at its next query.
   */
  warm(): Promise<Loaded | undefined> {
    this.rehearsed ??= this.index().then(async (loaded) => {
      if (loaded) await this.rehearse(loaded).catch(() => undefined);
      return loaded;
    });
    return this.rehearsed;
  }

  private index(): Promise<Loaded | undefined> {
    this.loaded ??= this.load();
    return this.loaded;
  }

  /**
   * Queries for words of the library through the whole path a keystroke
   * takes: typo scan, postings, ranking, rows, texts and snippets. What
   * they read is dropped afterwards (unless the reader searched meanwhile).
   */
  private async rehearse(loaded: Loaded): Promise<void> {
    // Choosing the queries scans a sample of the vocabulary: not while the reader waits.
    if (this.asked) return;
    for (const query of rehearsalQueries(loaded.vocab.base)) {
      // The reader is typing: their query goes first.
      if (this.asked) return;
      await this.answer(loaded, query, queryWords(query), {}, 20, true);
    }
    // What the made-up queries read is not worth the memory it holds after open.
    if (!this.asked) {
      loaded.postings = new LruCache<string, Postings>(loaded.postings.maxBytes);
      loaded.texts = new LruCache<string, string>(TEXTS_CACHE_BYTES);
    }
  }

  private async load(): Promise<Loaded | undefined> {
    const { db } = this;
    // One transaction, four reads: the state, the compacted vocabulary, its deltas and the document-table blocks.
    const [state, vocab, deltas, blocks, pendingDocs] = await db.transaction('r', db.searchMeta, db.searchDocs, async () =>
      Promise.all([
        db.searchMeta.get('state') as Promise<IndexStateRecord | undefined>,
        db.searchMeta.get('vocab') as Promise<VocabularyRecord | undefined>,
        db.searchMeta.where('key').between(DELTA_PREFIX, prefixEnd(DELTA_PREFIX)).toArray() as Promise<VocabularyDeltaRecord[]>,
        db.searchMeta.where('key').between(DOC_BLOCK_PREFIX, prefixEnd(DOC_BLOCK_PREFIX)).toArray() as Promise<DocBlockRecord[]>,
        // The articles indexed since the last flush: their postings are read from their SearchDocs.
        db.searchMeta.get('state').then((st) => db.searchDocs.bulkGet((st as IndexStateRecord | undefined)?.pending ?? [])),
      ]),
    );
    if (!state) return undefined;
    if (state.build) {
      this.building = { done: state.build.done, total: state.build.total };
      return undefined;
    }
    this.building = undefined;
    const n = state.nextNo;
    const sortAt = new Float64Array(n);
    const idBlocks: (string | string[] | undefined)[] = [];
    for (const b of blocks) {
      const base = b.block * POSTING_BLOCK;
      const end = Math.min(POSTING_BLOCK, n - base);
      idBlocks[b.block] = b.ids;
      sortAt.set(end < POSTING_BLOCK ? b.sortAt.subarray(0, Math.max(0, end)) : b.sortAt, base);
    }
    const ids = new DocIds(idBlocks);
    // Numbers whose postings in the blocks are out of date never match.
    const skip = new Uint8Array(n);
    for (const no of state.stale) if (no < n) skip[no] = 1;
    const collected = new Map<string, { docs: number[]; fields: number[] }>();
    // In number order, so every postings list is sorted (hitsMatchingNotes bisects them).
    const sortedPending = pendingDocs.filter((d) => d !== undefined).sort((a, b) => a.no - b.no);
    for (const doc of sortedPending) {
      doc.terms.forEach((t, i) => {
        let p = collected.get(t);
        if (!p) collected.set(t, (p = { docs: [], fields: [] }));
        p.docs.push(doc.no);
        p.fields.push(doc.fields[i]!);
      });
    }
    const pending = new Map([...collected].map(([t, p]) => [t, { docs: Uint32Array.from(p.docs), fields: Uint8Array.from(p.fields) }]));
    // Used as read: the terms stay one string (no split into a string per term at open).
    const baseVocab = vocab?.words ? new Vocabulary({ joined: vocab.words, starts: vocab.starts, masks: vocab.masks }, vocab.dfs) : new Vocabulary([], []);
    const loaded = {
      vocab: new Lexicon(baseVocab, sumDeltas(deltas)),
      ids,
      sortAt,
      skip,
      pending,
      revision: state.revision,
      postings: new LruCache<string, Postings>(this.cacheBytes ?? postingsCacheBytes(state.count)),
      texts: new LruCache<string, string>(TEXTS_CACHE_BYTES),
    };
    return loaded;
  }

  async search(query: string, filters: SearchFilters = {}, { limit = 20, retried = false }: SearchOptions = {}): Promise<SearchResult> {
    const words = queryWords(query);
    if (words.length === 0) return this.filterOnly(filters, limit);
    this.asked = true;
    const loaded = await this.index();
    if (!loaded) {
      // Look again next time: the index may be built by then.
      this.loaded = undefined;
      this.rehearsed = undefined;
      return { hits: [], more: false, index: 'building', ...(this.building ? { progress: this.building } : {}) };
    }
    return this.answer(loaded, query, words, filters, limit, retried);
  }

  private async answer(loaded: Loaded, query: string, words: string[], filters: SearchFilters, limit: number, retried: boolean): Promise<SearchResult> {
    const expansions = words.map((w, i) => loaded.vocab.expand(w, i === words.length - 1 || w.length >= 3));
    if (expansions.some((e) => e.length === 0)) {
      // A word the vocabulary does not know: the index may have changed since it was loaded.
      const state = (await this.db.searchMeta.get('state')) as IndexStateRecord | undefined;
      if (state?.revision !== loaded.revision && !retried) return this.reload(query, filters, limit);
      if (expansions.every((e) => e.length === 0)) return { hits: [], more: false, index: 'ready' };
    }
    const terms = [...new Set(expansions.flat().map((m) => m.term))];
    const phrases = queryPhrases(query);
    const first = await this.readRanked(loaded, expansions, terms, hasFilters(filters) || phrases.length ? undefined : limit);
    // The index changed meanwhile: load it again, once (while articles keep arriving, answer from what was read).
    if (!first.current && !retried) return this.reload(query, filters, limit);
    const { byTerm } = first;
    let { ranked } = first;
    const highlightTerms = new Set(terms);
    const allIds = () => {
      if (ranked.top.length < ranked.count) ranked = rank(loaded, expansions, byTerm);
      return ranked.top.map((r) => loaded.ids.of(r.no));
    };
    const fetched =
      first.page ??
      (phrases.length && ranked.matchedWords === words.length
        ? await this.fetchPhrases(allIds(), phrases, filters, limit, loaded)
        : await this.fetchHits(ranked.top.map((r) => loaded.ids.of(r.no)), ranked.count, allIds, filters, limit, loaded));
    if (!fetched.current && !retried) return this.reload(query, filters, limit);
    const { articles, texts, more } = fetched;
    const top = ranked.top;
    const scoreOf = new Map(top.map((r) => [loaded.ids.of(r.no), r.score]));
    const noOf = new Map(top.map((r) => [loaded.ids.of(r.no), r.no]));
    const hits = articles.map((article, i) => ({
      article,
      score: scoreOf.get(article.id) ?? 0,
      title: highlight(article.title, highlightTerms),
      snippet: snippet(texts[i] || article.excerpt || '', highlightTerms),
    }));
    // Only hits whose notes field holds a query term read their notes (issue 13: "Matched your note").
    const inNotes = hitsMatchingNotes(hits.map((h) => noOf.get(h.article.id)), terms, byTerm);
    await markNoteMatches(this.db, hits.filter((_, i) => inNotes[i]), highlightTerms);
    const partial = ranked.matchedWords < words.length && hits.length ? { partial: { matched: ranked.matchedWords, of: words.length } } : {};
    return { hits, more, index: 'ready', terms: [...highlightTerms], ...partial };
  }

  /**
   * One transaction per keystroke: the terms' postings not in memory with
   * the index state (`current`: the index has not changed since the
   * vocabulary was loaded), the ranking and, given a `limit` (no filters, no
   * phrase), the rows and texts of the best `limit` articles. Every read in
   * it is a Dexie promise awaited directly, so none leaves the transaction.
   */
  private readRanked(loaded: Loaded, expansions: TermMatch[][], terms: string[], limit: number | undefined) {
    const { db } = this;
    // Looked up once, before the reads: what later keystrokes' reads evict meanwhile stays usable here.
    const inMemory = new Map<string, Postings>();
    const missing: string[] = [];
    for (const t of terms) {
      const p = loaded.postings.get(t);
      if (p) inMemory.set(t, p);
      else missing.push(t);
    }
    return db.transaction('r', [db.searchPostings, db.searchMeta, db.articles, db.contents], async () => {
      // With every posting in memory (the next keystrokes), the state is read with the rows: one round trip.
      const stateRead = db.searchMeta.get('state') as Promise<IndexStateRecord | undefined>;
      let current = true;
      let blocks: Postings[] = [];
      if (missing.length) {
        const [read, state] = await Promise.all([
          Promise.all(missing.map((t) => db.searchPostings.where('[term+block]').between([t, Dexie.minKey], [t, Dexie.maxKey]).toArray())),
          stateRead,
        ]);
        blocks = read;
        current = state?.revision === loaded.revision;
      }
      const byTerm = new Map<string, Postings>();
      terms.forEach((t) => {
        const i = missing.indexOf(t);
        const stored = i < 0 ? inMemory.get(t)! : blocks[i]!;
        // Memory holds only postings of the loaded revision.
        if (i >= 0 && current) loaded.postings.set(t, stored, sizeOfPostings(stored));
        byTerm.set(t, loaded.pending.has(t) ? [...stored, loaded.pending.get(t)!] : stored);
      });
      // Without filters only the shown page is needed: select it instead of sorting every match.
      const ranked = rank(loaded, expansions, byTerm, limit ?? Infinity);
      if (limit === undefined || !current) {
        if (!missing.length) current = (await stateRead)?.revision === loaded.revision;
        return { byTerm, ranked, current };
      }
      const ids = ranked.top.map((r) => loaded.ids.of(r.no));
      const known = new Map<string, string>();
      const needTexts = ids.filter((id) => {
        const text = loaded.texts.get(id);
        if (text !== undefined) known.set(id, text);
        return text === undefined;
      });
      const [rows, contents, state] = await Promise.all([db.articles.bulkGet(ids), db.contents.bulkGet(needTexts), stateRead]);
      current = state?.revision === loaded.revision;
      if (!current) return { byTerm, ranked, current };
      const shown = rows.filter((a): a is Article => Boolean(a && passes(a, {})));
      // Some of the best matches are in the trash (or gone): the caller goes down the full ranking.
      if (shown.length < ids.length && ids.length < ranked.count) return { byTerm, ranked, current };
      const read = new Map(needTexts.map((id, i) => [id, contents[i]?.text ?? '']));
      read.forEach((text, id) => loaded.texts.set(id, text, text.length * 2 + 64));
      const page = { articles: shown, texts: shown.map((a) => read.get(a.id) ?? known.get(a.id)), more: ranked.count > ids.length, current };
      return { byTerm, ranked, current, page: page as typeof page | undefined };
    });
  }

  /** The index changed since the vocabulary was loaded (articles stored meanwhile): load it again. */
  private reload(query: string, filters: SearchFilters, limit: number): Promise<SearchResult> {
    this.loaded = this.load();
    return this.search(query, filters, { limit, retried: true });
  }

  /**
   * Rows and texts of the best ranked articles that pass the filters, with
   * the index state in the same transaction (`current` as in postingsOf).
   * Rows are always read fresh (read, starred and trash change
   * without reindexing); texts only change with the index revision, so
   * texts shown by earlier keystrokes come from memory.
   */
  private async fetchHits(ids: string[], count: number, allIds: () => string[], filters: SearchFilters, limit: number, loaded: Loaded) {
    const { db } = this;
    return db.transaction('r', db.articles, db.contents, db.searchMeta, async () => {
      const filtered = hasFilters(filters);
      const top = ids.slice(0, limit);
      const [rows, state, texts] = await Promise.all([
        filtered ? undefined : db.articles.bulkGet(top),
        db.searchMeta.get('state') as Promise<IndexStateRecord | undefined>,
        filtered ? undefined : this.readTexts(top, loaded),
      ]);
      const current = state?.revision === loaded.revision;
      const keep = rows?.filter((a): a is Article => Boolean(a && passes(a, filters)));
      if (keep && texts && (keep.length === top.length || top.length === count)) {
        return { articles: keep, texts: keep.map((a) => texts.get(a.id)), more: count > top.length, current };
      }
      // Some of the best matches are filtered out (or in the trash): go down the full ranking.
      const { articles, more } = await this.fetchFiltered(allIds(), filters, limit);
      const shown = await this.readTexts(articles.map((a) => a.id), loaded);
      return { articles, texts: articles.map((a) => shown.get(a.id)), more, current };
    });
  }

  /**
   * The best ranked articles (all of whose words match) that also have each
   * "quoted phrase" in their title or text, read in rank order. Gives up
   * after MAX_PHRASE_SCAN candidates and says there may be more.
   */
  private async fetchPhrases(ids: string[], phrases: string[][], filters: SearchFilters, limit: number, loaded: Loaded) {
    const { db } = this;
    return db.transaction('r', db.articles, db.contents, db.searchMeta, async () => {
      const articles: Article[] = [];
      const texts: string[] = [];
      let more = false;
      const scan = ids.slice(0, MAX_PHRASE_SCAN);
      for (let start = 0; start < scan.length && !more; start += 50) {
        const chunk = scan.slice(start, start + 50);
        const [rows, shown] = await Promise.all([db.articles.bulkGet(chunk), this.readTexts(chunk, loaded)]);
        for (const a of rows) {
          if (!a || !passes(a, filters)) continue;
          const text = shown.get(a.id) ?? '';
          if (!phrases.every((p) => containsPhrase(a.title, p) || containsPhrase(text, p))) continue;
          if (articles.length === limit) {
            more = true;
            break;
          }
          articles.push(a);
          texts.push(text);
        }
      }
      const state = (await db.searchMeta.get('state')) as IndexStateRecord | undefined;
      return { articles, texts, more: more || ids.length > MAX_PHRASE_SCAN, current: state?.revision === loaded.revision };
    });
  }

  /** Texts of these articles, from memory when an earlier keystroke showed them. */
  private async readTexts(ids: string[], loaded: Loaded): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const missing: string[] = [];
    for (const id of ids) {
      const text = loaded.texts.get(id);
      if (text === undefined) missing.push(id);
      else out.set(id, text);
    }
    if (missing.length === 0) return out;
    const contents = await this.db.contents.bulkGet(missing);
    missing.forEach((id, i) => {
      const text = contents[i]?.text ?? '';
      out.set(id, text);
      loaded.texts.set(id, text, text.length * 2 + 64);
    });
    return out;
  }

  /** Article rows for ranked ids, in rank order, that pass the filters. */
  private async fetchFiltered(ids: string[], filters: SearchFilters, limit: number): Promise<{ articles: Article[]; more: boolean }> {
    const out: Article[] = [];
    let chunk = limit + 10;
    for (let start = 0; start < ids.length; start += chunk, chunk *= 4) {
      const rows = await this.db.articles.bulkGet(ids.slice(start, start + chunk));
      for (const a of rows) {
        if (!a || !passes(a, filters)) continue;
        if (out.length === limit) return { articles: out, more: true };
        out.push(a);
      }
    }
    return { articles: out, more: false };
  }

  /** No words typed: the filtered library, newest first. */
  private async filterOnly(filters: SearchFilters, limit: number): Promise<SearchResult> {
    if (!hasFilters(filters)) return { hits: [], more: false, index: 'ready' };
    const all = await this.db.articles.filter((a) => passes(a, filters)).toArray();
    all.sort((a, b) => b.sortAt - a.sortAt);
    const shown = all.slice(0, limit);
    const contents = await this.db.contents.bulkGet(shown.map((a) => a.id));
    const none = new Set<string>();
    return {
      hits: shown.map((article, i) => ({
        article,
        score: 0,
        title: [{ text: article.title, hit: false }],
        snippet: snippet(article.excerpt || contents[i]?.text || '', none),
      })),
      more: all.length > limit,
      index: 'ready',
    };
  }
}

/**
 * For each hit's document number, whether one of the terms is in its notes
 * field. Every postings list is sorted (blocks, and pending ones as loaded), so
 * each check is a binary search: the cost is bounded by hits × terms × blocks.
 */
export function hitsMatchingNotes(nos: (number | undefined)[], terms: string[], byTerm: Map<string, Postings>): boolean[] {
  return nos.map((no) => {
    if (no === undefined) return false;
    for (const t of terms) {
      for (const p of byTerm.get(t) ?? []) {
        const k = indexOfDoc(p.docs, no);
        if (k >= 0 && p.fields[k]! & FIELD.notes) return true;
      }
    }
    return false;
  });
}

/** Position of `no` in a sorted list of document numbers, or -1. */
function indexOfDoc(docs: Uint32Array, no: number): number {
  let lo = 0;
  let hi = docs.length - 1;
  if (hi < 0 || no < docs[0]! || no > docs[hi]!) return -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const d = docs[mid]!;
    if (d === no) return mid;
    if (d < no) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Says which hits matched one of their notes, with that note's words in context. */
async function markNoteMatches(db: OffprintDB, hits: SearchHit[], terms: ReadonlySet<string>): Promise<void> {
  const notes = await notesOf(db, hits.map((h) => h.article.id));
  for (const hit of hits) {
    const text = notes.get(hit.article.id);
    if (!text) continue;
    // Markdown marks (**, _, `) are left out of what is shown.
    const segments = snippet(text.replace(/[*_`~#>]+/g, ''), terms, 100);
    if (segments.some((s) => s.hit)) hit.note = segments;
  }
}

const LETTERS = /^[a-z]+$/;

/**
 * The rehearsal's queries, `count` of them: the most frequent terms of 8 to
 * 12 letters (of a sample of the vocabulary) (misspelt by a swap: the costliest scan of the vocabulary, or
 * cut short: a word still being typed) with terms found in about 40
 * articles (so a page of rows, texts and snippets is read). Letters only,
 * so each query parses back into the same words.
 */
export function rehearsalQueries(vocab: Vocabulary, count = 3): string[] {
  const { dfs } = vocab;
  // The `count` most frequent long terms, and the `count` terms nearest 40 articles, best first.
  const long: number[] = [];
  const some: number[] = [];
  const gap = (i: number) => Math.abs(dfs[i]! - 40);
  const insert = (list: number[], i: number, before: (a: number, b: number) => boolean) => {
    let at = list.length;
    while (at > 0 && before(i, list[at - 1]!)) at--;
    list.splice(at, 0, i);
    if (list.length > count) list.pop();
  };
  // A sample of at most 8,192 terms, spread over the alphabet: cheap at any library size.
  const step = Math.ceil(vocab.size / 8192);
  for (let i = 0; i < vocab.size; i += step) {
    const len = vocab.lengthOf(i);
    if (len < 4) continue;
    const letters = () => LETTERS.test(vocab.word(i));
    if (len >= 8 && len <= 12 && (long.length < count || dfs[i]! > dfs[long[count - 1]!]!) && letters()) insert(long, i, (x, y) => dfs[x]! > dfs[y]!);
    if ((some.length < count || gap(i) < gap(some[count - 1]!)) && letters()) insert(some, i, (x, y) => gap(x) < gap(y));
  }
  const swap = (w: string) => w.slice(0, 3) + w[4] + w[3] + w.slice(5);
  const out: string[] = [];
  for (let q = 0; q < count; q++) {
    const a = long[q] === undefined ? '' : vocab.word(long[q]!);
    const b = some[q] === undefined ? '' : vocab.word(some[q]!);
    // A typo, a finished word; then a word still being typed.
    const words = q % 2 === 0 ? [a && swap(a), b] : [b, a.slice(0, 5)];
    const query = words.filter(Boolean).join(' ');
    if (query) out.push(query);
  }
  return out;
}

/**
 * The ranking's per-document arrays, kept with the loaded index and reused
 * by every keystroke: new ones per query were 13 bytes × library size (650 KB
 * at 50,000) of garbage each time. `best` is left all zero by every ranking;
 * the others are cleared at its start.
 */
export interface RankScratch {
  total: Float32Array;
  matched: Uint8Array;
  best: Float32Array;
  touched: Uint32Array;
}

function scratchFor(loaded: { scratch?: RankScratch }, n: number): RankScratch {
  let s = loaded.scratch;
  if (!s || s.total.length !== n) {
    s = { total: new Float32Array(n), matched: new Uint8Array(n), best: new Float32Array(n), touched: new Uint32Array(n) };
    loaded.scratch = s;
  } else {
    s.total.fill(0);
    s.matched.fill(0);
  }
  return s;
}

/**
 * Scores every document matching all query words: per word, the best
 * (match quality × field weight) over the terms it may mean; summed over
 * words. Ties go to the more recent article. Returns the best `keep` in
 * rank order (a bounded selection, not a sort of every match) and how many
 * matched.
 */
export function rank(
  loaded: Pick<Loaded, 'sortAt'> & { skip?: Uint8Array; scratch?: RankScratch },
  expansions: TermMatch[][],
  postings: Map<string, { docs: Uint32Array; fields: Uint8Array }[]>,
  keep = Infinity,
): { top: { no: number; score: number }[]; count: number; matchedWords: number } {
  const n = loaded.sortAt.length;
  const scratch = scratchFor(loaded, n);
  const { total, matched } = scratch;
  const sortAt = loaded.sortAt;
  const words = expansions.length;
  // Only documents that matched every earlier word are scored: those left after the last word match all.
  markSkipped(loaded.skip, matched, n);
  let candidates = 0;
  for (let w = 0; w < words; w++) candidates = scoreWord(expansions[w]!, postings, w, true, scratch);
  let matchedWords = words;
  // The candidates: the documents the last word scored (left in `touched`), else those with the most words.
  let all: ArrayLike<number> = scratch.touched;
  let count = candidates;
  if (candidates === 0 && words > 1) {
    // No article has every word: those with the most words, best first ("matching 2 of 3 words").
    matched.fill(0);
    total.fill(0);
    markSkipped(loaded.skip, matched, n);
    for (let w = 0; w < words; w++) scoreWord(expansions[w]!, postings, w, false, scratch);
    let most = 0;
    for (let no = 0; no < n; no++) if (matched[no]! > most && matched[no] !== 255) most = matched[no]!;
    matchedWords = most;
    const withMost: number[] = [];
    if (most > 0) for (let no = 0; no < n; no++) if (matched[no] === most) withMost.push(no);
    all = withMost;
    count = withMost.length;
  }
  if (matchedWords === 0) return { top: [], count: 0, matchedWords: 0 };
  const byRank = (a: number, b: number) => total[b]! - total[a]! || sortAt[b]! - sortAt[a]! || a - b;
  // A plain loop: Array.from on a typed array goes through its iterator (an object per element: 1 MB a query at 20,000).
  const page = keep >= count ? copyOf(all, count) : selectBest(all, count, keep, total, sortAt);
  page.sort(byRank);
  return { top: page.map((no) => ({ no, score: total[no]! })), count, matchedWords };
}

function copyOf(xs: ArrayLike<number>, count: number): number[] {
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) out[i] = xs[i]!;
  return out;
}

/** Stale numbers (out-of-date postings) never match. */
function markSkipped(skip: Uint8Array | undefined, matched: Uint8Array, n: number): void {
  if (skip) for (let no = 0; no < n; no++) if (skip[no]) matched[no] = 255;
}

/**
 * Adds one query word's score to every document it matches: the best
 * (quality × field weight) over the terms the word may mean. `all`: only
 * documents that matched every earlier word count (else every document
 * counts the words it matched). Leaves the documents scored in
 * `touched[0..returned)`, and `best` all zero. A plain top-level function
 * with its arrays as arguments: the first query of a freshly opened page runs
 * it unoptimized, and code specialized to one page's arrays is thrown away
 * when they are collected.
 */
function scoreWord(matches: TermMatch[], postings: Map<string, { docs: Uint32Array; fields: Uint8Array }[]>, w: number, all: boolean, scratch: RankScratch): number {
  const { total, matched, best, touched } = scratch;
  let touchedCount = 0;
  for (let m = 0; m < matches.length; m++) {
    const quality = matches[m]!.quality;
    const lists = postings.get(matches[m]!.term);
    if (!lists) continue;
    for (let b = 0; b < lists.length; b++) {
      const docs = lists[b]!.docs;
      const fields = lists[b]!.fields;
      for (let k = 0; k < docs.length; k++) {
        const no = docs[k]!;
        const had = matched[no]!;
        if (all ? had !== w : had === 255) continue;
        const s = quality * WEIGHT_OF_BITS[fields[k]!]!;
        const was = best[no]!;
        if (was === 0) touched[touchedCount++] = no;
        if (s > was) best[no] = s;
      }
    }
  }
  for (let t = 0; t < touchedCount; t++) {
    const no = touched[t]!;
    matched[no] = all ? w + 1 : matched[no]! + 1;
    total[no] = total[no]! + best[no]!;
    best[no] = 0;
  }
  return touchedCount;
}

/** Whether document a ranks before b: higher score, then more recent, then the lower number (as a stable sort of all matches gives). */
function ranksBefore(a: number, b: number, total: Float32Array, sortAt: Float64Array): boolean {
  const ta = total[a]!;
  const tb = total[b]!;
  if (ta !== tb) return ta > tb;
  const da = sortAt[a]!;
  const db = sortAt[b]!;
  return da !== db ? da > db : a < b;
}

/** The best `keep` of the first `count` candidates (unordered): a min-heap whose root is the worst kept so far. */
function selectBest(candidates: ArrayLike<number>, count: number, keep: number, total: Float32Array, sortAt: Float64Array): number[] {
  const heap: number[] = [];
  for (let c = 0; c < count; c++) {
    const no = candidates[c]!;
    if (heap.length < keep) {
      heap.push(no);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!ranksBefore(heap[parent]!, heap[i]!, total, sortAt)) break;
        const t = heap[i]!;
        heap[i] = heap[parent]!;
        heap[parent] = t;
        i = parent;
      }
    } else if (keep > 0 && ranksBefore(no, heap[0]!, total, sortAt)) {
      heap[0] = no;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && ranksBefore(heap[m]!, heap[l]!, total, sortAt)) m = l;
        if (r < heap.length && ranksBefore(heap[m]!, heap[r]!, total, sortAt)) m = r;
        if (m === i) break;
        const t = heap[i]!;
        heap[i] = heap[m]!;
        heap[m] = t;
        i = m;
      }
    }
  }
  return heap;
}
