import { useEffect, useRef, useState } from 'preact/hooks';
import type { OffprintDB } from '../../lib/db/schema';
import { saveProgress } from '../../lib/library/actions';
import { restoreTarget, scrollProgress } from '../../lib/reader/progress';

/**
 * Tracks how far the reader scrolled `scroller` (an element, or the window
 * when null), puts them back at the saved position once the body is
 * rendered and its images laid out, and saves progress as they read.
 */
export function useReadingProgress(
  db: OffprintDB,
  id: string | undefined,
  saved: number,
  ready: boolean,
  scroller: HTMLElement | null,
  bodyRoot: HTMLElement | null,
  /** Opened from a search: the element to show instead of the saved position (the first matched word). */
  jumpTo?: () => HTMLElement | undefined,
) {
  const [progress, setProgress] = useState(saved);
  const restoredFor = useRef<string | undefined>(undefined);
  /** The article whose scrolling is saved; set only after its position is restored. */
  const tracking = useRef<string | undefined>(undefined);
  /** Progress measured by the last scroll event, and what was last written. */
  const latest = useRef(saved);
  const written = useRef(saved);

  useEffect(() => {
    if (!id || !ready || restoredFor.current === id) return;
    restoredFor.current = id;
    tracking.current = undefined;
    latest.current = written.current = saved;
    setProgress(saved);
    const target = scroller ?? document.scrollingElement ?? document.documentElement;
    const images = bodyRoot ? [...bodyRoot.querySelectorAll('img')] : [];
    // Local images load fast; wait for them (briefly) so the layout is final.
    const settle = Promise.race([Promise.all(images.map((img) => (img.complete ? null : img.decode().catch(() => null)))), new Promise((r) => setTimeout(r, 1500))]);
    void settle.then(() => {
      if (restoredFor.current !== id) return;
      const match = jumpTo?.();
      if (match) match.scrollIntoView({ block: 'center' });
      else target.scrollTop = saved > 0 && saved < 1 ? restoreTarget(saved, target.scrollHeight, target.clientHeight) : 0;
      tracking.current = id;
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, ready]);

  useEffect(() => {
    if (!id) return;
    const target = scroller ?? document.scrollingElement ?? document.documentElement;
    const events: EventTarget = scroller ?? window;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Saves what scrolling measured, never the layout of the moment: when
    // the next article replaces this one, the DOM no longer tells.
    const flush = () => {
      clearTimeout(timer);
      if (Math.abs(latest.current - written.current) < 0.005) return;
      written.current = latest.current;
      void saveProgress(db, id, latest.current);
    };
    const onScroll = () => {
      if (tracking.current !== id) return;
      latest.current = scrollProgress(target.scrollTop, target.scrollHeight, target.clientHeight);
      setProgress(latest.current);
      clearTimeout(timer);
      timer = setTimeout(flush, 400);
    };
    events.addEventListener('scroll', onScroll, { passive: true });
    window.addEventListener('pagehide', flush);
    return () => {
      flush();
      events.removeEventListener('scroll', onScroll);
      window.removeEventListener('pagehide', flush);
    };
  }, [db, id, scroller]);

  return progress;
}
