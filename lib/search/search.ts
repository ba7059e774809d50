// Query side of the search index: loads the small vocabulary and document
// table once per page, then answers each query with one read of the
// matching terms' postings, one read of the result rows and their texts.
import Dexie from 'dexie';
import type { OffprintDB } from '../db/schema';
import type { Article, ArticleSource } from '../db/types';
import { queryWords } from './normalize';
import { FIELD, type DocTableRecord, type IndexStateRecord, type VocabularyRecord } from './records';
import { highlight, snippet, type Segment } from './snippet';
import { LruCache } from './lru';
import { Vocabulary, type TermMatch } from './vocabulary';
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
  /** 'building' while the index does not exist yet (first run after an update). */
  index: 'ready' | 'building';
}

export interface SearchOptions {
  limit?: number;
  /** Internal: this is the retry after the index changed under the search (retry once only). */
  retried?: boolean;
}

/** How much a match counts by where it is: title and author above body. */
const WEIGHT: Record<keyof typeof FIELD, number> = { title: 10, author: 8, tags: 5, feed: 4, excerpt: 2, body: 1, note: 3 };
/** Best weight for each combination of FIELD bits. */
const WEIGHT_OF_BITS = Float32Array.from({ length: 2 ** Object.keys(FIELD).length }, (_, bits) =>
  Math.max(0, ...Object.entries(FIELD).map(([name, bit]) => (bits & bit ? WEIGHT[name as keyof typeof FIELD] : 0))),
);

type Postings = { docs: Uint32Array; fields: Uint8Array }[];

interface Loaded {
  vocab: Vocabulary;
  ids: string[];
  sortAt: Float64Array;
  revision: number;
  /** Postings read by earlier keystrokes: consecutive queries share most of their terms. */
  postings: LruCache<string, Postings>;
  /** Article texts shown by earlier keystrokes, for snippets. */
  texts: LruCache<string, string>;
}

/** Memory kept between keystrokes, per loaded index revision (dropped with it). */
const POSTINGS_CACHE_BYTES = 4 * 2 ** 20;
const TEXTS_CACHE_BYTES = 2 * 2 ** 20;

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

/** One per page: keeps the vocabulary between keystrokes, reloads it when the index changes. */
export class LibrarySearch {
  private loaded?: Promise<Loaded | undefined>;

  constructor(private readonly db: OffprintDB) {}

  /** Starts loading the vocabulary (call when the search box appears). */
  warm(): Promise<Loaded | undefined> {
    this.loaded ??= this.load();
    return this.loaded;
  }

  private async load(): Promise<Loaded | undefined> {
    const [vocab, docs, state] = (await this.db.searchMeta.bulkGet(['vocab', 'docs', 'state'])) as [
      VocabularyRecord | undefined,
      DocTableRecord | undefined,
      IndexStateRecord | undefined,
    ];
    if (!state) return undefined;
    const loaded = {
      vocab: vocab?.words ? new Vocabulary(vocab.words.split('\n'), vocab.dfs, vocab) : new Vocabulary([], []),
      ids: docs?.ids ?? [],
      sortAt: docs?.sortAt ?? new Float64Array(0),
      revision: state.revision,
      postings: new LruCache<string, Postings>(POSTINGS_CACHE_BYTES),
      texts: new LruCache<string, string>(TEXTS_CACHE_BYTES),
    };
    rehearse(loaded);
    await this.touchStores();
    return loaded;
  }

  /**
   * One cheap read from each store a query reads, in the transaction shapes
   * a query uses, so the first keystroke does not pay for opening them.
   */
  private async touchStores(): Promise<void> {
    const { db } = this;
    await db.transaction('r', db.searchPostings, db.searchMeta, () =>
      db.searchPostings.where('[term+block]').between(['', Dexie.minKey], ['', Dexie.maxKey]).toArray(),
    );
    await db.transaction('r', db.articles, db.contents, db.searchMeta, () => Promise.all([db.articles.bulkGet(['']), db.contents.bulkGet([''])]));
  }

  async search(query: string, filters: SearchFilters = {}, { limit = 20, retried = false }: SearchOptions = {}): Promise<SearchResult> {
    const words = queryWords(query);
    if (words.length === 0) return this.filterOnly(filters, limit);
    const loaded = await this.warm();
    if (!loaded) {
      this.loaded = undefined; // look again next time: the index may be built by then
      return { hits: [], more: false, index: 'building' };
    }

    const expansions = words.map((w, i) => loaded.vocab.expand(w, i === words.length - 1 || w.length >= 3));
    if (expansions.some((e) => e.length === 0)) {
      const state = (await this.db.searchMeta.get('state')) as IndexStateRecord | undefined;
      return state?.revision === loaded.revision || retried ? { hits: [], more: false, index: 'ready' } : this.reload(query, filters, limit);
    }
    const terms = [...new Set(expansions.flat().map((m) => m.term))];
    const { byTerm, current } = await this.postingsOf(terms, loaded);
    // The index changed meanwhile: load it again, once (while articles keep arriving, answer from what was read).
    if (!current && !retried) return this.reload(query, filters, limit);

    // Without filters only the shown page is needed: select it instead of sorting every match.
    const filtered = hasFilters(filters);
    let ranked = rank(loaded, expansions, byTerm, filtered ? Infinity : limit);
    const highlightTerms = new Set(terms);
    const allIds = () => {
      if (ranked.top.length < ranked.count) ranked = rank(loaded, expansions, byTerm);
      return ranked.top.map((r) => loaded.ids[r.no]!);
    };
    const fetched = await this.fetchHits(ranked.top.map((r) => loaded.ids[r.no]!), ranked.count, allIds, filters, limit, loaded);
    if (!fetched.current && !retried) return this.reload(query, filters, limit);
    const { articles, texts, more } = fetched;
    const top = ranked.top;
    const scoreOf = new Map(top.map((r) => [loaded.ids[r.no]!, r.score]));
    const hits = articles.map((article, i) => ({
      article,
      score: scoreOf.get(article.id) ?? 0,
      title: highlight(article.title, highlightTerms),
      snippet: snippet(texts[i] || article.excerpt || '', highlightTerms),
    }));
    await markNoteMatches(this.db, hits, highlightTerms);
    return { hits, more, index: 'ready' };
  }

  /**
   * Postings of the terms: from memory when an earlier keystroke read them,
   * the rest in one transaction with the index state (`current`: the index
   * has not changed since the vocabulary was loaded).
   */
  private async postingsOf(terms: string[], loaded: Loaded): Promise<{ byTerm: Map<string, Postings>; current: boolean }> {
    const missing = terms.filter((t) => !loaded.postings.has(t));
    if (missing.length > 0) {
      const [blocks, state] = await this.db.transaction('r', this.db.searchPostings, this.db.searchMeta, () =>
        Promise.all([
          Promise.all(missing.map((t) => this.db.searchPostings.where('[term+block]').between([t, Dexie.minKey], [t, Dexie.maxKey]).toArray())),
          this.db.searchMeta.get('state'),
        ]),
      );
      const current = (state as IndexStateRecord | undefined)?.revision === loaded.revision;
      const out = new Map(terms.flatMap((t) => (loaded.postings.has(t) ? [[t, loaded.postings.get(t)!] as const] : [])));
      missing.forEach((t, i) => {
        out.set(t, blocks[i]!);
        // Memory holds only postings of the loaded revision.
        if (current) loaded.postings.set(t, blocks[i]!, sizeOfPostings(blocks[i]!));
      });
      return { byTerm: out, current };
    }
    return { byTerm: new Map(terms.map((t) => [t, loaded.postings.get(t)!])), current: true };
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

/**
 * Runs the query code once on made-up input while the page is idle, so the
 * reader's first keystroke does not pay for compiling regular expressions
 * and warming up the vocabulary scan (a freshly opened popup runs cold code).
 */
function rehearse(loaded: Loaded): void {
  const words = queryWords('Rehearsal maxUnavailable kube-system Ünïcode');
  const expansions = words.map((w) => loaded.vocab.expand(w, true));
  rank({ ids: [], sortAt: new Float64Array(0) }, expansions, new Map(), 20);
  const terms = new Set(words);
  highlight('Rehearsal of kube-system', terms);
  snippet('A rehearsal text that mentions maxUnavailable and kube-system.', terms);
}

/**
 * Scores every document matching all query words: per word, the best
 * (match quality × field weight) over the terms it may mean; summed over
 * words. Ties go to the more recent article. Returns the best `keep` in
 * rank order (a bounded selection, not a sort of every match) and how many
 * matched.
 */
export function rank(
  loaded: Pick<Loaded, 'ids' | 'sortAt'>,
  expansions: TermMatch[][],
  postings: Map<string, { docs: Uint32Array; fields: Uint8Array }[]>,
  keep = Infinity,
): { top: { no: number; score: number }[]; count: number } {
  const n = loaded.ids.length;
  const total = new Float32Array(n);
  const matched = new Uint8Array(n);
  const best = new Float32Array(n);
  const touched = new Uint32Array(n);
  expansions.forEach((matches, w) => {
    let touchedCount = 0;
    for (const { term, quality } of matches) {
      for (const p of postings.get(term) ?? []) {
        const docs = p.docs;
        const fields = p.fields;
        for (let k = 0; k < docs.length; k++) {
          const no = docs[k]!;
          // Only documents that matched every earlier word can still qualify.
          if (matched[no] !== w) continue;
          const s = quality * WEIGHT_OF_BITS[fields[k]!]!;
          if (best[no] === 0) touched[touchedCount++] = no;
          if (s > best[no]!) best[no] = s;
        }
      }
    }
    for (let t = 0; t < touchedCount; t++) {
      const no = touched[t]!;
      matched[no] = w + 1;
      total[no] = total[no]! + best[no]!;
      best[no] = 0;
    }
  });
  const words = expansions.length;
  const sortAt = loaded.sortAt;
  // Equal score and date: the lower document number first, as a stable sort of all matches would give.
  const before = (a: number, b: number) =>
    total[a]! > total[b]! || (total[a] === total[b] && (sortAt[a]! > sortAt[b]! || (sortAt[a] === sortAt[b] && a < b)));
  let count = 0;
  if (keep === Infinity) {
    const all: number[] = [];
    for (let no = 0; no < n; no++) if (matched[no] === words) all.push(no);
    all.sort((a, b) => total[b]! - total[a]! || sortAt[b]! - sortAt[a]! || a - b);
    return { top: all.map((no) => ({ no, score: total[no]! })), count: all.length };
  }
  // A min-heap of the best `keep` so far: its root is the worst of them.
  const heap: number[] = [];
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[m]!, heap[l]!)) m = l;
      if (r < heap.length && before(heap[m]!, heap[r]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (let no = 0; no < n; no++) {
    if (matched[no] !== words) continue;
    count++;
    if (heap.length < keep) {
      heap.push(no);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!before(heap[parent]!, heap[i]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    } else if (keep > 0 && before(no, heap[0]!)) {
      heap[0] = no;
      down(0);
    }
  }
  heap.sort((a, b) => total[b]! - total[a]! || sortAt[b]! - sortAt[a]! || a - b);
  return { top: heap.map((no) => ({ no, score: total[no]! })), count };
}
