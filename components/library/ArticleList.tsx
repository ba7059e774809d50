import { useEffect } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { Article } from '../../lib/db/types';
import { ArticleRow } from '../ArticleRow';
import { useVirtualRows } from '../useVirtualRows';
import type { ArticleWindow } from './useArticleWindow';

/** Row height in px; rows are fixed-height so the list can be virtualized. */
export const ROW_HEIGHT = 66;
/** Rows read and rendered beyond the visible ones, each side. */
export const OVERSCAN = 6;

interface Props {
  window: ArticleWindow | undefined;
  total: number;
  activeIndex: number;
  /** Bumped when the keyboard moved the active row, so focus follows it. */
  focusTick: number;
  selected: Set<string>;
  onRange: (start: number, count: number) => void;
  onActive: (index: number) => void;
  onOpen: (article: Article) => void;
  onSelect: (article: Article, selected: boolean) => void;
  rowActions?: (article: Article) => ComponentChildren;
}

/** The virtualized article list: only the rows on screen (plus a margin) exist in the DOM. */
export function ArticleList({ window: win, total, activeIndex, focusTick, selected, onRange, onActive, onOpen, onSelect, rowActions }: Props) {
  const { scroller, onScroll, shows } = useVirtualRows({ rowHeight: ROW_HEIGHT, overscan: OVERSCAN, initialHeight: 520, activeIndex, focusTick, onRange });

  // Focus follows the row the keyboard moved to.
  useEffect(() => {
    if (focusTick === 0) return;
    scroller.current?.querySelector<HTMLButtonElement>(`li[data-index="${activeIndex}"] .row-open`)?.focus();
  }, [activeIndex, focusTick, win, scroller]);

  const rows = win?.rows ?? [];
  const offset = win?.start ?? 0;
  const shown = rows
    .map((article, i) => ({ article, index: offset + i }))
    .filter(({ index }) => shows(index));
  return (
    <div class="list-scroll" ref={scroller} onScroll={onScroll}>
      <ul class="rows" aria-label="Articles" style={{ height: `${total * ROW_HEIGHT}px` }}>
        {shown.map(({ article, index }) => (
          <ArticleRow
            key={article.id}
            article={article}
            index={index}
            total={total}
            top={index * ROW_HEIGHT}
            active={index === activeIndex}
            selected={selected.has(article.id)}
            onOpen={onOpen}
            onSelect={onSelect}
            onFocus={onActive}
            actions={rowActions?.(article)}
          />
        ))}
      </ul>
    </div>
  );
}
