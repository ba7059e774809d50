import { liveQuery } from 'dexie';
import { useEffect, useState } from 'preact/hooks';

/**
 * Re-renders whenever the database rows a query read change, in this or any
 * other extension context (Dexie broadcasts changes between them).
 */
export function useLiveQuery<T>(query: () => Promise<T>, deps: unknown[]): { value: T | undefined; error: Error | undefined } {
  const [state, setState] = useState<{ value: T | undefined; error: Error | undefined }>({ value: undefined, error: undefined });
  useEffect(() => {
    const subscription = liveQuery(query).subscribe({
      next: (value) => setState({ value, error: undefined }),
      error: (error: unknown) => setState((s) => ({ value: s.value, error: error instanceof Error ? error : new Error(String(error)) })),
    });
    return () => subscription.unsubscribe();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return state;
}
