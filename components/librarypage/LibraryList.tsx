import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef } from 'preact/hooks';
import type { Article, Feed } from '../../lib/db/types';
import { useVirtualRows } from '../useVirtualRows';
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
  // Stable callbacks, so rows whose article did not change skip rendering (LibraryRow is memoized).
  const latest = useRef({ onOpen, onSelect, onActive });
  latest.current = { onOpen, onSelect, onActive };
  const openRow = useCallback((a: Article, i: number) => latest.current.onOpen(a, i), []);
  const selectRow = useCallback((a: Article, on: boolean) => latest.current.onSelect(a, on), []);
  const focusRow = useCallback((i: number) => latest.current.onActive(i), []);
  const total = win?.total ?? 0;
  const { scroller, onScroll, shows } = useVirtualRows({ rowHeight: LIB_ROW_HEIGHT, overscan: OVERSCAN, initialHeight: 700, activeIndex, focusTick, onRange });

  useEffect(() => {
    if (focusTick === 0) return;
    const row = scroller.current?.querySelector<HTMLButtonElement>(`li[data-index="${activeIndex}"] .lib-row-open`);
    // While reading, focus stays in the reader; the row only follows. From anywhere
    // else (the sidebar, the list head) the key brings focus into the list.
    if (row && row !== document.activeElement && !document.activeElement?.closest('.lib-reader')) row.focus({ preventScroll: true });
  }, [activeIndex, focusTick, win, scroller]);

  const rows = win?.rows ?? [];
  const offset = win?.start ?? 0;
  return (
    <div class="lib-list-scroll" ref={scroller} onScroll={onScroll}>
      <ul class="rows" aria-label="Articles" style={{ height: `${total * LIB_ROW_HEIGHT}px` }}>
        {rows.map((article, i) => {
          const index = offset + i;
          if (!shows(index)) return null;
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
