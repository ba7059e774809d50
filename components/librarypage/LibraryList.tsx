import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Article, Feed } from '../../lib/db/types';
import { LibraryRow } from './LibraryRow';
import type { LibraryWindow } from './useLibraryWindow';

/** Fixed row height, so the list can be virtualized: only rows on screen exist. */
export const LIB_ROW_HEIGHT = 92;
const OVERSCAN = 8;

interface Props {
  window: LibraryWindow | undefined;
  activeIndex: number;
  openId: string | undefined;
  focusTick: number;
  selected: Set<string>;
  userTags: Set<string>;
  feeds: Map<string, Feed>;
  onRange: (start: number, count: number) => void;
  onActive: (index: number) => void;
  onOpen: (article: Article, index: number) => void;
  onSelect: (article: Article, selected: boolean) => void;
  rowActions?: (article: Article) => ComponentChildren;
}

export function LibraryList({ window: win, activeIndex, openId, focusTick, selected, userTags, feeds, onRange, onActive, onOpen, onSelect, rowActions }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  // Stable callbacks, so rows whose article did not change skip rendering (LibraryRow is memoized).
  const latest = useRef({ onOpen, onSelect, onActive });
  latest.current = { onOpen, onSelect, onActive };
  const openRow = useCallback((a: Article, i: number) => latest.current.onOpen(a, i), []);
  const selectRow = useCallback((a: Article, on: boolean) => latest.current.onSelect(a, on), []);
  const focusRow = useCallback((i: number) => latest.current.onActive(i), []);
  const [viewport, setViewport] = useState({ top: 0, height: 700 });
  const total = win?.total ?? 0;

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setViewport({ top: el.scrollTop, height: el.clientHeight || 700 });
    measure();
    const ro = typeof ResizeObserver === 'function' ? new ResizeObserver(measure) : undefined;
    ro?.observe(el);
    return () => ro?.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(viewport.top / LIB_ROW_HEIGHT) - OVERSCAN);
  const visible = Math.ceil(viewport.height / LIB_ROW_HEIGHT) + 2 * OVERSCAN;
  const rangeStart = Math.floor(first / 10) * 10;
  const rangeCount = Math.ceil(visible / 10) * 10 + 10;
  useEffect(() => onRange(rangeStart, rangeCount), [rangeStart, rangeCount, onRange]);

  // The keyboard moved the active row: keep it on screen and focused.
  useEffect(() => {
    const el = scroller.current;
    if (!el || focusTick === 0) return;
    const top = activeIndex * LIB_ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + LIB_ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + LIB_ROW_HEIGHT - el.clientHeight;
    setViewport({ top: el.scrollTop, height: el.clientHeight || 700 });
  }, [activeIndex, focusTick]);
  useEffect(() => {
    if (focusTick === 0) return;
    const row = scroller.current?.querySelector<HTMLButtonElement>(`li[data-index="${activeIndex}"] .lib-row-open`);
    // While reading, focus stays in the reader; the row only follows. From anywhere
    // else (the sidebar, the list head) the key brings focus into the list.
    if (row && row !== document.activeElement && !document.activeElement?.closest('.lib-reader')) row.focus({ preventScroll: true });
  }, [activeIndex, focusTick, win]);

  const rows = win?.rows ?? [];
  const offset = win?.start ?? 0;
  return (
    <div class="lib-list-scroll" ref={scroller} onScroll={(e) => setViewport({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight || 700 })}>
      <ul class="rows" aria-label="Articles" style={{ height: `${total * LIB_ROW_HEIGHT}px` }}>
        {rows.map((article, i) => {
          const index = offset + i;
          if (index < first || index >= first + visible) return null;
          return (
            <LibraryRow
              key={article.id}
              article={article}
              index={index}
              total={total}
              top={index * LIB_ROW_HEIGHT}
              active={index === activeIndex}
              open={article.id === openId}
              selected={selected.has(article.id)}
              userTags={userTags}
              feedTitle={article.feedId ? feeds.get(article.feedId)?.title : undefined}
              onOpen={openRow}
              onSelect={selectRow}
              onFocus={focusRow}
              actions={rowActions?.(article)}
            />
          );
        })}
      </ul>
    </div>
  );
}
