// Query side of the search index: loads the small vocabulary and document
// table once per page, then answers each query with one read of the
// matching terms' postings, one read of the result rows and their texts.
import Dexie from 'dexie';
import type { OffprintDB } from '../db/schema';
import type { Article, ArticleSource } from '../db/types';
import { queryWords } from './normalize';
import { FIELD, type DocTableRecord, type IndexStateRecord, type VocabularyRecord } from './records';
import { highlight, snippet, type Segment } from './snippet';
import { Vocabulary, type TermMatch } from './vocabulary';

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
const WEIGHT: Record<keyof typeof FIELD, number> = { title: 10, author: 8, tags: 5, feed: 4, excerpt: 2, body: 1 };
/** Best weight for each combination of FIELD bits. */
const WEIGHT_OF_BITS = Float32Array.from({ length: 64 }, (_, bits) =>
  Math.max(0, ...Object.entries(FIELD).map(([name, bit]) => (bits & bit ? WEIGHT[name as keyof typeof FIELD] : 0))),
);

interface Loaded {
  vocab: Vocabulary;
  ids: string[];
  sortAt: Float64Array;
  revision: number;
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
    };
    rehearse(loaded);
    return loaded;
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
    const [blocks, state] = await this.db.transaction('r', this.db.searchPostings, this.db.searchMeta, () =>
      Promise.all([
        Promise.all(terms.map((t) => this.db.searchPostings.where('[term+block]').between([t, Dexie.minKey], [t, Dexie.maxKey]).toArray())),
        this.db.searchMeta.get('state'),
      ]),
    );
    if ((state as IndexStateRecord | undefined)?.revision !== loaded.revision && !retried) return this.reload(query, filters, limit);
    const byTerm = new Map(terms.map((t, i) => [t, blocks[i]!]));

    const ranked = rank(loaded, expansions, byTerm);
    const highlightTerms = new Set(terms);
    const { articles, contents, more } = await this.fetchHits(ranked.map((r) => loaded.ids[r.no]!), filters, limit);
    const scoreOf = new Map(ranked.map((r) => [loaded.ids[r.no]!, r.score]));
    const hits = articles.map((article, i) => ({
      article,
      score: scoreOf.get(article.id) ?? 0,
      title: highlight(article.title, highlightTerms),
      snippet: snippet(contents[i]?.text || article.excerpt || '', highlightTerms),
    }));
    return { hits, more, index: 'ready' };
  }

  /** The index changed since the vocabulary was loaded (articles stored meanwhile): load it again. */
  private reload(query: string, filters: SearchFilters, limit: number): Promise<SearchResult> {
    this.loaded = this.load();
    return this.search(query, filters, { limit, retried: true });
  }

  /**
   * Rows and texts of the best ranked articles that pass the filters. With
   * no filters the top ids are nearly always the answer, so rows and texts
   * are read together, in one round trip.
   */
  private async fetchHits(ids: string[], filters: SearchFilters, limit: number) {
    if (!hasFilters(filters)) {
      const top = ids.slice(0, limit);
      const [rows, texts] = await Promise.all([this.db.articles.bulkGet(top), this.db.contents.bulkGet(top)]);
      const keep = rows.flatMap((a, i) => (a && passes(a, filters) ? [i] : []));
      if (keep.length === top.length || top.length === ids.length) {
        return { articles: keep.map((i) => rows[i]!), contents: keep.map((i) => texts[i]), more: ids.length > top.length };
      }
    }
    const { articles, more } = await this.fetchFiltered(ids, filters, limit);
    return { articles, contents: await this.db.contents.bulkGet(articles.map((a) => a.id)), more };
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
 * Runs the query code once on made-up input while the page is idle, so the
 * reader's first keystroke does not pay for compiling regular expressions
 * and warming up the vocabulary scan (a freshly opened popup runs cold code).
 */
function rehearse(loaded: Loaded): void {
  const words = queryWords('Rehearsal maxUnavailable kube-system Ünïcode');
  const expansions = words.map((w) => loaded.vocab.expand(w, true));
  rank({ ids: [], sortAt: new Float64Array(0) }, expansions, new Map());
  const terms = new Set(words);
  highlight('Rehearsal of kube-system', terms);
  snippet('A rehearsal text that mentions maxUnavailable and kube-system.', terms);
}

/**
 * Scores every document matching all query words: per word, the best
 * (match quality × field weight) over the terms it may mean; summed over
 * words. Ties go to the more recent article.
 */
export function rank(
  loaded: Pick<Loaded, 'ids' | 'sortAt'>,
  expansions: TermMatch[][],
  postings: Map<string, { docs: Uint32Array; fields: Uint8Array }[]>,
): { no: number; score: number }[] {
  const n = loaded.ids.length;
  const total = new Float32Array(n);
  const matched = new Uint8Array(n);
  const best = new Float32Array(n);
  expansions.forEach((matches, w) => {
    const touched: number[] = [];
    for (const { term, quality } of matches) {
      for (const p of postings.get(term) ?? []) {
        for (let k = 0; k < p.docs.length; k++) {
          const no = p.docs[k]!;
          // Only documents that matched every earlier word can still qualify.
          if (matched[no] !== w) continue;
          const s = quality * WEIGHT_OF_BITS[p.fields[k]!]!;
          if (best[no] === 0) touched.push(no);
          if (s > best[no]!) best[no] = s;
        }
      }
    }
    for (const no of touched) {
      matched[no] = w + 1;
      total[no] = total[no]! + best[no]!;
      best[no] = 0;
    }
  });
  const words = expansions.length;
  const out: { no: number; score: number }[] = [];
  for (let no = 0; no < n; no++) if (matched[no] === words) out.push({ no, score: total[no]! });
  const sortAt = loaded.sortAt;
  out.sort((a, b) => b.score - a.score || sortAt[b.no]! - sortAt[a.no]!);
  return out;
}
