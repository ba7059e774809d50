import { useMemo } from 'preact/hooks';
import type { Article, ArticleContent } from '../lib/db/types';
import type { Sanitize } from '../lib/html/sanitize';
import { formatDate, formatMinutes, hostOf } from './format';
import { FullTextOffer } from './following/FullTextOffer';

interface Props {
  article: Article;
  content: ArticleContent | undefined;
  sanitize: Sanitize;
}

/** An article's header and body. The stored HTML is sanitized again here. */
export function ArticleView({ article, content, sanitize }: Props) {
  const html = useMemo(() => (content ? sanitize(content.html, article.url) : ''), [content, article.url, sanitize]);
  const byline = [article.author, article.siteName ?? hostOf(article.url), formatDate(article.publishedAt ?? article.savedAt), formatMinutes(article.readingMinutes)].filter(Boolean);
  return (
    <article class="article" lang={article.lang}>
      <header>
        <h1 class="article-title">{article.title}</h1>
        <p class="byline">{byline.join(' · ')}</p>
        {article.captureWarning ? (
          <p class="warning" role="note">
            {article.captureWarning}
          </p>
        ) : null}
        <FullTextOffer article={article} />
      </header>
      {content ? (
        // `html` was sanitized just above.
        <div class="article-body" dangerouslySetInnerHTML={{ __html: html }} />
      ) : (
        <p class="warning">This article’s text is missing.</p>
      )}
      <footer>
        <a href={article.url} target="_blank" rel="noopener noreferrer">
          Read the original
        </a>
      </footer>
    </article>
  );
}
