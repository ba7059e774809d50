// A large library seeded into the extension's profile quickly (issue 12's
// 20,000-article end-to-end tests), and the index state read back.
import type { Page } from '@playwright/test';
import { build } from 'esbuild';

let bundle: Promise<string> | undefined;

function seedScript(): Promise<string> {
  bundle ??= build({
    entryPoints: [new URL('./scale-seed-entry.ts', import.meta.url).pathname],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'chrome120',
    logLevel: 'silent',
  }).then((out) => out.outputFiles[0]!.text);
  return bundle;
}

/** Stores `size` generated articles in the extension's database from one of its pages; returns the milliseconds it took. */
export async function seedLibrary(page: Page, size: number): Promise<number> {
  await page.evaluate(await seedScript());
  return page.evaluate((n) => (globalThis as unknown as { seedScaleLibrary(n: number): Promise<number> }).seedScaleLibrary(n), size);
}

export interface IndexState {
  version: number;
  count: number;
  revision: number;
  build?: { after: string; done: number; total: number };
}

/** The index state record, read straight from the extension's IndexedDB. */
export function indexState(page: Page): Promise<IndexState | undefined> {
  return page.evaluate(
    () =>
      new Promise<IndexState | undefined>((resolve, reject) => {
        const open = indexedDB.open('offprint');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const get = db.transaction('searchMeta').objectStore('searchMeta').get('state');
          get.onsuccess = () => {
            db.close();
            resolve(get.result as IndexState | undefined);
          };
          get.onerror = () => reject(get.error);
        };
      }),
  );
}

/** An index left by an older version of Offprint: the next start of the background must rebuild it. */
export function markOldVersion(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('offprint');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('searchMeta', 'readwrite');
          const store = tx.objectStore('searchMeta');
          const get = store.get('state');
          get.onsuccess = () => store.put({ ...get.result, version: 1 });
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}
