import type { ComponentChildren } from 'preact';
import { memo } from 'preact/compat';
import type { Article } from '../../lib/db/types';
import { orderTags } from '../../lib/library/user-tags';
import { formatDate, formatMinutes, hostOf } from '../format';
import { useLocalImage } from './useLocalImage';

interface Props {
  article: Article;
  index: number;
  total: number;
  top: number;
  active: boolean;
  open: boolean;
  selected: boolean;
  userTags: Set<string>;
  feedTitle?: string;
  onOpen: (article: Article, index: number) => void;
  onSelect: (article: Article, selected: boolean) => void;
  onFocus: (index: number) => void;
  actions?: ComponentChildren;
}

/** One library row: title on up to two lines, byline, progress, tags, and the lead image from the local copy. */
export const LibraryRow = memo(function LibraryRow({ article, index, total, top, active, open, selected, userTags, feedTitle, onOpen, onSelect, onFocus, actions }: Props) {
  const thumb = useLocalImage(article.leadImage);
  const source = feedTitle ?? article.siteName ?? hostOf(article.url);
  const meta = [article.author, source !== article.author ? source : undefined, formatDate(article.sortAt), formatMinutes(article.readingMinutes)].filter(Boolean);
  const pct = Math.round(article.progress * 100);
  const tags = orderTags(article.tags, userTags);
  const metaId = `lib-meta-${article.id}`;
  return (
    <li
      class={`lib-row ${article.isRead ? 'read' : 'unread'}${active ? ' active' : ''}${open ? ' open' : ''}${selected ? ' selected' : ''}`}
      style={{ top: `${top}px` }}
      aria-setsize={total}
      aria-posinset={index + 1}
      data-index={index}
      aria-current={open ? 'true' : undefined}
    >
      <input type="checkbox" class="row-check" checked={selected} aria-label={`Select ${article.title}`} onChange={(e) => onSelect(article, e.currentTarget.checked)} onFocus={() => onFocus(index)} />
      <button type="button" class="lib-row-open" onClick={() => onOpen(article, index)} onFocus={() => onFocus(index)} aria-label={article.title} aria-describedby={metaId} title={article.title}>
        <span class="lib-row-text">
          <span class="lib-row-title">
            {article.isRead ? null : <span class="unread-dot" role="img" aria-label="unread" />}
            {article.title}
          </span>
          <span class="lib-row-meta" id={metaId}>
            {meta.join(' · ')}
            {pct > 0 && pct < 100 && !article.isRead ? ` · ${pct}% read` : ''}
            {article.isRead ? null : <span class="sr-only"> · unread</span>}
          </span>
          <span class="lib-row-badges">
            {article.starred ? <span class="badge star">★ starred</span> : null}
            {article.isPreview ? <span class="badge">preview</span> : null}
            {article.offline !== 'ready' ? <span class="badge subtle">not yet offline</span> : null}
            {tags.slice(0, 4).map((t) => (
              <span key={t} class={userTags.has(t) ? 'badge tag-badge mine' : 'badge tag-badge'}>
                #{t}
              </span>
            ))}
          </span>
        </span>
        {thumb ? <img class="lib-thumb" src={thumb} alt="" /> : null}
        {pct > 0 && pct < 100 ? (
          <span class="lib-row-progress" aria-hidden="true">
            <span style={{ width: `${pct}%` }} />
          </span>
        ) : null}
      </button>
      {actions ? <span class="row-actions">{actions}</span> : null}
    </li>
  );
});
