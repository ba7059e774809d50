import type { OffprintDB } from '../db/schema';
import type { Article, ArticleContent, ArticleSource, Box } from '../db/types';
import type { NewArticle } from '../messages';
import { canIndexInTransaction, indexAfterCommit, indexArticles, searchTables } from '../search/indexer';
import { countWords, readingMinutes } from '../text/words';

export interface StoreDeps {
  now: () => number;
  newId: () => string;
}

export const defaultStoreDeps: StoreDeps = {
  now: () => Date.now(),
  newId: () => crypto.randomUUID(),
};

export type StoreOutcome = { id: string; status: 'added' | 'updated' };

/** The list an unarchived, undeleted article belongs in. */
export function homeBox(source: ArticleSource): Box {
  return source === 'feed' ? 'inbox' : 'saved';
}

/**
 * Stores articles, one per post: an incoming article whose guid or canonical
 * URL is already stored updates that article's content and metadata but keeps
 * what the reader did with it (read state, star, tags, progress, box).
 */
export async function storeArticles(db: OffprintDB, inputs: NewArticle[], deps: StoreDeps = defaultStoreDeps): Promise<StoreOutcome[]> {
  // The search index is updated in the same transaction, so it never misses an
  // article; a caller's transaction without the search tables gets it right after.
  const indexHere = canIndexInTransaction(db);
  return db.transaction('rw', [db.articles, db.contents, ...(indexHere ? searchTables(db) : [])], async () => {
    // Look every input up at once (IndexedDB pipelines the requests), then
    // resolve duplicates in memory so one batch may repeat a post too.
    const found = await Promise.all(inputs.map((input) => findExisting(db, input)));
    const known = new Map<string, Article>();
    const remember = (a: Article) => {
      known.set(`u:${a.url}`, a);
      if (a.guid) known.set(`g:${a.guid}`, a);
    };
    for (const a of found) if (a) remember(a);

    const outcomes: StoreOutcome[] = [];
    const records = new Map<string, Article>();
    const contents = new Map<string, ArticleContent>();
    for (const input of inputs) {
      const existing = (input.guid ? known.get(`g:${input.guid}`) : undefined) ?? known.get(`u:${input.url}`);
      const article = existing ? updated(existing, input) : created(input, deps);
      records.set(article.id, article);
      contents.set(article.id, { id: article.id, html: input.html, text: input.text });
      remember(article);
      outcomes.push({ id: article.id, status: existing || outcomes.some((o) => o.id === article.id) ? 'updated' : 'added' });
    }
    await db.articles.bulkPut([...records.values()]);
    await db.contents.bulkPut([...contents.values()]);
    if (indexHere) await indexArticles(db, [...records.values()].map((article) => ({ article, text: contents.get(article.id)!.text, html: contents.get(article.id)!.html })));
    else indexAfterCommit(db, [...records.keys()]);
    return outcomes;
  });
}

/** Fields that come from the producer, whether the article is new or known. */
function freshFields(input: NewArticle) {
  const wordCount = countWords(input.text);
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
  };
}

/** A known article with new content; what the reader did with it stays. */
function updated(existing: Article, input: NewArticle): Article {
  return {
    ...existing,
    ...freshFields(input),
    guid: input.guid ?? existing.guid,
    feedId: input.feedId ?? existing.feedId,
    sortAt: input.publishedAt ?? existing.sortAt,
    // A full text replaces a preview, never the other way round.
    isPreview: existing.isPreview && input.isPreview ? 1 : 0,
    tags: mergeTags(existing.tags, input.tags ?? []),
    offline: 'pending',
  };
}

function created(input: NewArticle, deps: StoreDeps): Article {
  const now = deps.now();
  return {
    ...freshFields(input),
    id: deps.newId(),
    guid: input.guid,
    feedId: input.feedId,
    source: input.source,
    box: homeBox(input.source),
    tags: input.tags ?? [],
    savedAt: input.savedAt ?? now,
    sortAt: input.publishedAt ?? input.savedAt ?? now,
    isRead: input.isRead ?? 0,
    starred: input.starred ?? 0,
    progress: 0,
    isPreview: input.isPreview ?? 0,
    isReply: input.isReply ?? 0,
    offline: 'pending',
  };
}

async function findExisting(db: OffprintDB, input: NewArticle): Promise<Article | undefined> {
  if (input.guid) {
    const byGuid = await db.articles.where('guid').equals(input.guid).first();
    if (byGuid) return byGuid;
  }
  return db.articles.where('url').equals(input.url).first();
}

function mergeTags(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}
