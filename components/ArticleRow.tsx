import type { Article } from '../lib/db/types';
import { formatDate, formatMinutes, hostOf } from './format';

interface Props {
  article: Article;
  onOpen: (article: Article) => void;
}

export function ArticleRow({ article, onOpen }: Props) {
  const source = article.siteName ?? hostOf(article.url);
  const meta = [article.author, source, formatDate(article.sortAt), formatMinutes(article.readingMinutes)].filter(Boolean);
  return (
    <li class={`row ${article.isRead ? 'read' : 'unread'}`}>
      <button type="button" class="row-open" onClick={() => onOpen(article)} aria-label={article.title}>
        {article.isRead ? null : <span class="unread-dot" aria-hidden="true" />}
        <span class="row-title">{article.title}</span>
        <span class="row-meta">{meta.join(' · ')}</span>
        <span class="row-badges">
          {article.isPreview ? <span class="badge">preview</span> : null}
          {article.offline !== 'ready' ? <span class="badge subtle">not yet offline</span> : null}
          {article.starred ? <span class="badge star" aria-label="starred">★</span> : null}
        </span>
      </button>
    </li>
  );
}
