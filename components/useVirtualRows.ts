import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

interface Options {
  /** Fixed row height in px: fixed heights are what let the list be virtualized. */
  rowHeight: number;
  /** Rows rendered beyond the visible ones, each side. */
  overscan: number;
  /** The viewport height assumed before the first measurement. */
  initialHeight: number;
  activeIndex: number;
  /** Bumped when the keyboard moved the active row: scroll it into view. */
  focusTick: number;
  onRange: (start: number, count: number) => void;
}

const viewportOf = (el: HTMLElement, initialHeight: number) => ({ top: el.scrollTop, height: el.clientHeight || initialHeight });

/** The scrolling half of a virtualized list (popup and library page): which rows to render, which to read. */
export function useVirtualRows({ rowHeight, overscan, initialHeight, activeIndex, focusTick, onRange }: Options) {
  const scroller = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState({ top: 0, height: initialHeight });

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setViewport(viewportOf(el, initialHeight));
    measure();
    const ro = typeof ResizeObserver === 'function' ? new ResizeObserver(measure) : undefined;
    ro?.observe(el);
    return () => ro?.disconnect();
  }, [initialHeight]);

  const first = Math.max(0, Math.floor(viewport.top / rowHeight) - overscan);
  const visible = Math.ceil(viewport.height / rowHeight) + 2 * overscan;
  // Read in steps of 10 rows so scrolling a little does not re-query.
  const rangeStart = Math.floor(first / 10) * 10;
  const rangeCount = Math.ceil(visible / 10) * 10 + 10;
  useEffect(() => onRange(rangeStart, rangeCount), [rangeStart, rangeCount, onRange]);

  useEffect(() => {
    const el = scroller.current;
    if (!el || focusTick === 0) return;
    const top = activeIndex * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + rowHeight - el.clientHeight;
    setViewport(viewportOf(el, initialHeight));
  }, [activeIndex, focusTick, rowHeight, initialHeight]);

  return {
    scroller,
    onScroll: (e: { currentTarget: HTMLElement }) => setViewport(viewportOf(e.currentTarget, initialHeight)),
    /** Whether the row at this index is rendered. */
    shows: (index: number) => index >= first && index < first + visible,
  };
}
