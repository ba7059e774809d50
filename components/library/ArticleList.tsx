import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { Article } from '../../lib/db/types';
import { ArticleRow } from '../ArticleRow';
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
  const scroller = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState({ top: 0, height: 520 });

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setViewport({ top: el.scrollTop, height: el.clientHeight || 520 });
    measure();
    const ro = typeof ResizeObserver === 'function' ? new ResizeObserver(measure) : undefined;
    ro?.observe(el);
    return () => ro?.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(viewport.top / ROW_HEIGHT) - OVERSCAN);
  const visible = Math.ceil(viewport.height / ROW_HEIGHT) + 2 * OVERSCAN;
  // Read in steps of 10 rows so scrolling a little does not re-query.
  const rangeStart = Math.floor(first / 10) * 10;
  const rangeCount = Math.ceil(visible / 10) * 10 + 10;
  useEffect(() => onRange(rangeStart, rangeCount), [rangeStart, rangeCount, onRange]);

  // Keep the active row on screen and focused when the keyboard moved it.
  useEffect(() => {
    const el = scroller.current;
    if (!el || focusTick === 0) return;
    const top = activeIndex * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
    setViewport({ top: el.scrollTop, height: el.clientHeight || 520 });
  }, [activeIndex, focusTick]);
  useEffect(() => {
    if (focusTick === 0) return;
    scroller.current?.querySelector<HTMLButtonElement>(`li[data-index="${activeIndex}"] .row-open`)?.focus();
  }, [activeIndex, focusTick, win]);

  const rows = win?.rows ?? [];
  const offset = win?.start ?? 0;
  const shown = rows
    .map((article, i) => ({ article, index: offset + i }))
    .filter(({ index }) => index >= first && index < first + visible);
  return (
    <div class="list-scroll" ref={scroller} onScroll={(e) => setViewport({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight || 520 })}>
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
