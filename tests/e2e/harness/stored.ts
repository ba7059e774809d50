import type { Page } from '@playwright/test';

/**
 * Reads a whole object store of the extension's IndexedDB from one of its
 * pages, as the extension stores it. Shared by the Chromium specs and the
 * Firefox adapter (its pages offer the same `evaluate`).
 */
export function readStore<T = unknown>(page: Pick<Page, 'evaluate'>, store: string): Promise<T[]> {
  return page.evaluate(
    (name: string) =>
      new Promise<T[]>((done, fail) => {
        const open = indexedDB.open('offprint');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction(name).objectStore(name).getAll();
          req.onsuccess = () => {
            done(req.result as T[]);
            open.result.close();
          };
          req.onerror = () => fail(req.error);
        };
      }),
    store,
  );
}
