import type { OffprintDB } from '../db/schema';
import type { Article } from '../db/types';
import type { NewArticle } from '../messages';
import { storeArticles } from './store';

/** A stored article as a producer would hand it over, so an update goes through storeArticles' merge. */
export function asNewArticle(article: Article, html: string, text: string): NewArticle {
  return {
    url: article.url,
    guid: article.guid,
    feedId: article.feedId,
    source: article.source,
    title: article.title,
    author: article.author,
    siteName: article.siteName,
    lang: article.lang,
    excerpt: article.excerpt,
    leadImage: article.leadImage,
    publishedAt: article.publishedAt,
    updatedAt: article.updatedAt,
    savedAt: article.savedAt,
    captureWarning: article.captureWarning,
    tags: article.tags,
    isPreview: article.isPreview,
    isReply: article.isReply,
    html,
    text,
  };
}

/**
 * Stores new content for a known article (its embedded code filled in),
 * through storeArticles, so the merge rule and the search index apply and
 * the reader's state stays.
 */
export async function replaceArticleContent(db: OffprintDB, articleId: string, html: string, text: string): Promise<void> {
  const article = await db.articles.get(articleId);
  if (!article || article.box === 'trash') return;
  await storeArticles(db, [asNewArticle(article, html, text)]);
}
