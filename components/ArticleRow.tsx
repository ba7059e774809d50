import type { ComponentChildren } from 'preact';
import type { Article } from '../lib/db/types';
import { formatDate, formatMinutes, hostOf } from './format';

interface Props {
  article: Article;
  index: number;
  total: number;
  top: number;
  active: boolean;
  selected: boolean;
  onOpen: (article: Article) => void;
  onSelect: (article: Article, selected: boolean) => void;
  onFocus: (index: number) => void;
  /** Extra buttons at the row's end (Trash: Restore, Delete forever). */
  actions?: ComponentChildren;
}

/** One list row: title, byline, badges, unread mark and a selection checkbox. */
export function ArticleRow({ article, index, total, top, active, selected, onOpen, onSelect, onFocus, actions }: Props) {
  const source = article.siteName ?? hostOf(article.url);
  const meta = [article.author, source, formatDate(article.sortAt), formatMinutes(article.readingMinutes)].filter(Boolean);
  const metaId = `row-meta-${article.id}`;
  return (
    <li
      class={`row ${article.isRead ? 'read' : 'unread'}${active ? ' active' : ''}${selected ? ' selected' : ''}`}
      style={{ top: `${top}px` }}
      aria-setsize={total}
      aria-posinset={index + 1}
      data-index={index}
    >
      <input
        type="checkbox"
        class="row-check"
        checked={selected}
        aria-label={`Select ${article.title}`}
        onChange={(e) => onSelect(article, e.currentTarget.checked)}
        onFocus={() => onFocus(index)}
      />
      <button
        type="button"
        class="row-open"
        onClick={() => onOpen(article)}
        onFocus={() => onFocus(index)}
        aria-label={article.title}
        aria-describedby={metaId}
        title={article.title}
      >
        {article.isRead ? <span /> : <span class="unread-dot" role="img" aria-label="unread" />}
        <span class="row-title">{article.title}</span>
        <span class="row-meta" id={metaId}>
          {meta.join(' · ')}
          {article.isRead ? null : <span class="sr-only"> · unread</span>}
        </span>
        <span class="row-badges">
          {article.starred ? <span class="badge star">★ starred</span> : null}
          {article.isPreview ? <span class="badge">preview</span> : null}
          {article.offline !== 'ready' ? <span class="badge subtle">not yet offline</span> : null}
          {article.tags.slice(0, 3).map((t) => (
            <span key={t} class="badge tag-badge">
              #{t}
            </span>
          ))}
        </span>
      </button>
      {actions ? <span class="row-actions">{actions}</span> : null}
    </li>
  );
}
