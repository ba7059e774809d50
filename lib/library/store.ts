import Dexie from 'dexie';
import type { OffprintDB } from '../db/schema';
import type { Article, ArticleContent, ArticleSource, Box } from '../db/types';
import type { NewArticle } from '../messages';
import { canIndexInTransaction, indexAfterCommit, indexArticles, searchTables } from '../search/indexer';
import { countWords, readingMinutes } from '../text/words';
import { mergeArticle, type IncomingState, type MergeChange, type WriteOrigin } from './merge';
import { plainText } from '../text/plain';
import { carryFilledEmbeds } from '../gists/gists';

export interface StoreDeps {
  now: () => number;
  newId: () => string;
}

export const defaultStoreDeps: StoreDeps = {
  now: () => Date.now(),
  newId: () => crypto.randomUUID(),
};

export type StoreOutcome = { id: string; status: 'added' | 'updated' };

/** A store outcome with what the merge kept and changed, for result messages. */
export interface MergeOutcome extends StoreOutcome {
  /** For an update: the incoming text replaced the stored one. */
  contentReplaced: boolean;
  /** For an update whose stored text stayed: why. */
  keptBecause?: string;
  updated: MergeChange[];
}

/** An article to store, with reader state from where it came from (imports). */
export type IncomingArticle = NewArticle & {
  state?: Omit<IncomingState, 'tags' | 'isRead' | 'starred'>;
  /** The id to give it if it is new (a backup's own id). */
  preferredId?: string;
  /** If it is new: fields it gets as given instead of the store's choice (a backup's exported box, dates and state). */
  asCreated?: Partial<Article>;
};

/** The list an unarchived, undeleted article belongs in. */
export function homeBox(source: ArticleSource): Box {
  return source === 'feed' ? 'inbox' : 'saved';
}

/**
 * Stores articles, one per post: an incoming article whose guid or canonical
 * URL is already stored is merged into it by `mergeArticle` (content only
 * replaced by content at least as complete, metadata per field, reader state
 * only forward).
 */
export async function storeArticles(db: OffprintDB, inputs: NewArticle[], deps: StoreDeps = defaultStoreDeps): Promise<StoreOutcome[]> {
  const outcomes = await mergeArticles(db, inputs, deps);
  return outcomes.map(({ id, status }) => ({ id, status }));
}

/** storeArticles with the merge details; `origin` is for messages only. */
export async function mergeArticles(db: OffprintDB, inputs: IncomingArticle[], deps: StoreDeps = defaultStoreDeps, _origin?: WriteOrigin): Promise<MergeOutcome[]> {
  // The search index is updated in the same transaction, so it never misses an
  // article; a caller's transaction without the search tables gets it right after.
  const indexHere = canIndexInTransaction(db);
  return db.transaction('rw', [db.articles, db.contents, ...(indexHere ? searchTables(db) : [])], async () => {
    const clean = inputs.map(plainFields);
    // Look every input up at once (two index queries per batch, not two per
    // article), then resolve duplicates in memory so one batch may repeat a post too.
    const found = await findExisting(db, clean);
    // Contents only of the articles met (a batch of new ones, such as a restore, reads none).
    const foundIds = found.flatMap((a) => (a ? [a.id] : []));
    const foundById = new Map(foundIds.length ? (await db.contents.bulkGet(foundIds)).map((c, i) => [foundIds[i]!, c]) : []);
    const foundContents = found.map((a) => (a ? foundById.get(a.id) : undefined));
    const known = new Map<string, Article>();
    const contents = new Map<string, Pick<ArticleContent, 'html' | 'text'> | undefined>();
    const remember = (a: Article) => {
      known.set(`u:${a.url}`, a);
      if (a.guid) known.set(`g:${a.guid}`, a);
    };
    found.forEach((a, i) => {
      if (!a) return;
      remember(a);
      contents.set(a.id, foundContents[i]);
    });

    const outcomes: MergeOutcome[] = [];
    const records = new Map<string, Article>();
    const writeContents = new Map<string, ArticleContent>();
    for (const input of clean) {
      const existing = (input.guid ? known.get(`g:${input.guid}`) : undefined) ?? known.get(`u:${input.url}`);
      if (existing) {
        const storedContent = contents.get(existing.id);
        const merged = mergeArticle(existing, storedContent, {
          fields: input,
          // Embedded code the stored copy already has stays in place of the new copy's placeholders (issue 15).
          content: carryFilledEmbeds({ html: input.html, text: input.text }, storedContent),
          state: { isRead: input.isRead, starred: input.starred, tags: input.tags, ...input.state },
        });
        records.set(existing.id, merged.article);
        if (merged.content) {
          writeContents.set(existing.id, { id: existing.id, ...merged.content });
          contents.set(existing.id, merged.content);
        }
        remember(merged.article);
        outcomes.push({ id: existing.id, status: 'updated', contentReplaced: merged.contentReplaced, keptBecause: merged.keptBecause, updated: merged.updated });
      } else {
        const article = created(input, deps);
        records.set(article.id, article);
        writeContents.set(article.id, { id: article.id, html: input.html, text: input.text });
        contents.set(article.id, { html: input.html, text: input.text });
        remember(article);
        outcomes.push({ id: article.id, status: 'added', contentReplaced: true, updated: [] });
      }
    }
    await db.articles.bulkPut([...records.values()]);
    await db.contents.bulkPut([...writeContents.values()]);
    if (indexHere) await indexArticles(db, [...records.values()].map((article) => ({ article, text: contents.get(article.id)?.text ?? '', html: contents.get(article.id)?.html })));
    else indexAfterCommit(db, [...records.keys()]);
    return outcomes;
  });
}

/** Titles, authors and site names are plain text from every source. */
function plainFields<T extends NewArticle>(input: T): T {
  return {
    ...input,
    title: plainText(input.title) || 'Untitled',
    author: input.author === undefined ? undefined : plainText(input.author) || undefined,
    siteName: input.siteName === undefined ? undefined : plainText(input.siteName) || undefined,
  };
}

function created(input: IncomingArticle, deps: StoreDeps): Article {
  const article = storeDecides(input, deps);
  for (const [key, value] of Object.entries(input.asCreated ?? {})) if (value !== undefined) (article as unknown as Record<string, unknown>)[key] = value;
  return article;
}

function storeDecides(input: IncomingArticle, deps: StoreDeps): Article {
  const now = deps.now();
  const wordCount = countWords(input.text);
  const archived = input.state?.archived;
  return {
    url: input.url,
    title: input.title,
    author: input.author,
    siteName: input.siteName,
    lang: input.lang,
    excerpt: input.excerpt,
    leadImage: input.leadImage,
    publishedAt: input.publishedAt,
    updatedAt: input.updatedAt,
    wordCount,
    readingMinutes: readingMinutes(wordCount),
    captureWarning: input.captureWarning,
    id: input.preferredId ?? deps.newId(),
    guid: input.guid,
    feedId: input.feedId,
    source: input.source,
    box: archived ? 'archive' : homeBox(input.source),
    tags: input.tags ?? [],
    savedAt: input.savedAt ?? now,
    sortAt: input.publishedAt ?? input.savedAt ?? now,
    isRead: input.isRead ?? 0,
    starred: input.starred ?? 0,
    progress: Math.min(1, Math.max(0, input.state?.progress ?? 0)),
    isPreview: input.isPreview ?? 0,
    isReply: input.isReply ?? 0,
    offline: 'pending',
  };
}

/**
 * The stored article each input meets: by guid first, then by URL; of
 * several with one key, the first by id (what `.first()` on the index gives).
 */
function findExisting(db: OffprintDB, inputs: NewArticle[]): Promise<(Article | undefined)[]> {
  const guids = [...new Set(inputs.flatMap((i) => (i.guid ? [i.guid] : [])))];
  const urls = [...new Set(inputs.map((i) => i.url))];
  // Dexie's own promises only: this runs inside callers' transactions (lib/search/README.md, invariant 10).
  return Dexie.Promise.all([guids.length ? db.articles.where('guid').anyOf(guids).toArray() : [], db.articles.where('url').anyOf(urls).toArray()]).then(([byGuid, byUrl]) => {
    const first = (rows: Article[], key: (a: Article) => string | undefined) => {
      const out = new Map<string, Article>();
      for (const a of rows) {
        const k = key(a);
        const seen = k === undefined ? undefined : out.get(k);
        if (k !== undefined && (!seen || a.id < seen.id)) out.set(k, a);
      }
      return out;
    };
    const guidMap = first(byGuid, (a) => a.guid);
    const urlMap = first(byUrl, (a) => a.url);
    return inputs.map((i) => (i.guid ? guidMap.get(i.guid) : undefined) ?? urlMap.get(i.url));
  });
}
