import Dexie from 'dexie';
import { useEffect, useMemo, useState } from 'preact/hooks';

/**
 * Like useLiveQuery, for queries too costly to repeat on every write
 * (counting a 50,000-article box takes IndexedDB about a second): it runs
 * once, then again `gapMs` after writes to the given tables stop, never two
 * at a time. Reading progress is saved every few hundred ms while scrolling;
 * the counts follow a moment later instead of on each save.
 */
export function useSettledQuery<T>(query: () => Promise<T>, deps: unknown[], { tables, gapMs = 1200, enabled = true, delayMs = 0 }: { tables: string[]; gapMs?: number; enabled?: boolean; delayMs?: number }): { value: T | undefined; error: Error | undefined } {
  // New deps: the last answer was for another question, so it is not shown.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const asked = useMemo(() => ({}), [enabled, ...deps]);
  const [state, setState] = useState<{ value: T | undefined; error: Error | undefined; asked?: object }>({ value: undefined, error: undefined });
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    let running = false;
    let again = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        const value = await query();
        if (live) setState({ value, error: undefined, asked });
      } catch (err) {
        if (live) setState((s) => ({ value: s.asked === asked ? s.value : undefined, error: err instanceof Error ? err : new Error(String(err)), asked }));
      } finally {
        running = false;
        if (again && live) {
          again = false;
          schedule();
        }
      }
    };
    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void run(), gapMs);
    };
    const onMutated = (parts: Record<string, unknown>) => {
      if (Object.keys(parts).some((key) => tables.some((t) => key.includes(`/${t}/`) || key.endsWith(`/${t}`)))) schedule();
    };
    // A delay lets the first screen finish before a costly query competes with it for IndexedDB.
    if (delayMs > 0) timer = setTimeout(() => void run(), delayMs);
    else void run();
    Dexie.on('storagemutated', onMutated);
    return () => {
      live = false;
      clearTimeout(timer);
      Dexie.on.storagemutated.unsubscribe(onMutated);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [asked]);
  return state.asked === asked ? { value: state.value, error: state.error } : { value: undefined, error: undefined };
}
