import type { OffprintDB } from '../db/schema';
import type { Article, ArticleSource, Box } from '../db/types';
import type { NewArticle } from '../messages';
import { canIndexInTransaction, indexAfterCommit, indexArticles, searchTables } from '../search/indexer';
import type { IndexInput } from '../search/terms';
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
    const outcomes: StoreOutcome[] = [];
    const toIndex: IndexInput[] = [];
    for (const input of inputs) {
      const existing = await findExisting(db, input);
      const wordCount = countWords(input.text);
      const fresh = {
        url: input.url,
        guid: input.guid ?? existing?.guid,
        feedId: input.feedId ?? existing?.feedId,
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
      if (existing) {
        const patch: Partial<Article> = {
          ...fresh,
          sortAt: input.publishedAt ?? existing.sortAt,
          // A full text replaces a preview, never the other way round.
          isPreview: existing.isPreview && input.isPreview ? 1 : 0,
          tags: mergeTags(existing.tags, input.tags ?? []),
          offline: 'pending',
        };
        await db.articles.update(existing.id, patch);
        await db.contents.put({ id: existing.id, html: input.html, text: input.text });
        toIndex.push({ article: { ...existing, ...patch }, text: input.text });
        outcomes.push({ id: existing.id, status: 'updated' });
        continue;
      }
      const now = deps.now();
      const article: Article = {
        ...fresh,
        id: deps.newId(),
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
      await db.articles.add(article);
      await db.contents.put({ id: article.id, html: input.html, text: input.text });
      toIndex.push({ article, text: input.text });
      outcomes.push({ id: article.id, status: 'added' });
    }
    if (indexHere) await indexArticles(db, toIndex);
    else indexAfterCommit(db, toIndex.map((i) => i.article.id));
    return outcomes;
  });
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
