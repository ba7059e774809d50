import { useEffect, useRef, useState } from 'preact/hooks';
import type { OffprintDB } from '../../lib/db/schema';
import { saveProgress } from '../../lib/library/actions';
import { restoreTarget, scrollProgress } from '../../lib/reader/progress';

/**
 * Tracks how far the reader scrolled `scroller` (an element, or the window
 * when null), restores the saved position once the body is rendered and its
 * images laid out, and saves progress as the reader goes.
 */
export function useReadingProgress(db: OffprintDB, id: string | undefined, saved: number, ready: boolean, scroller: HTMLElement | null, bodyRoot: HTMLElement | null) {
  const [progress, setProgress] = useState(saved);
  const restoredFor = useRef<string | undefined>(undefined);
  const lastSaved = useRef(saved);
  /** The article whose scrolling is saved; set only after its position is restored. */
  const tracking = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (!id || !ready || restoredFor.current === id) return;
    restoredFor.current = id;
    lastSaved.current = saved;
    setProgress(saved);
    const target = scroller ?? document.scrollingElement ?? document.documentElement;
    const images = bodyRoot ? [...bodyRoot.querySelectorAll('img')] : [];
    // Local images load fast; wait for them (briefly) so the layout is final.
    const settle = Promise.race([Promise.all(images.map((img) => (img.complete ? null : img.decode().catch(() => null)))), new Promise((r) => setTimeout(r, 1500))]);
    void settle.then(() => {
      if (saved > 0 && saved < 1) target.scrollTop = restoreTarget(saved, target.scrollHeight, target.clientHeight);
      tracking.current = id;
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, ready]);

  useEffect(() => {
    if (!id) return;
    const target = scroller ?? document.scrollingElement ?? document.documentElement;
    const events: EventTarget = scroller ?? window;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      if (tracking.current !== id) return;
      const p = scrollProgress(target.scrollTop, target.scrollHeight, target.clientHeight);
      if (Math.abs(p - lastSaved.current) < 0.005) return;
      lastSaved.current = p;
      void saveProgress(db, id, p);
    };
    const onScroll = () => {
      if (tracking.current !== id) return;
      setProgress(scrollProgress(target.scrollTop, target.scrollHeight, target.clientHeight));
      clearTimeout(timer);
      timer = setTimeout(flush, 400);
    };
    events.addEventListener('scroll', onScroll, { passive: true });
    window.addEventListener('pagehide', flush);
    return () => {
      clearTimeout(timer);
      flush();
      events.removeEventListener('scroll', onScroll);
      window.removeEventListener('pagehide', flush);
    };
  }, [db, id, scroller]);

  return progress;
}
