// Runs inside an extension page (bundled by scale.helpers.ts): stores a
// generated library (the scale bench's corpus, tests/bench/search-library.ts)
// straight into the extension's IndexedDB in large transactions. Only the
// library's own tables are written; the extension builds its index itself.
// Test-only: this skips lib/library's write path (and with it the sync log),
// which a profile seeded for search does not need.
import { generateArticles } from '../bench/search-library';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The stored HTML the reader shows: a paragraph per paragraph, YAML blocks as code. */
function htmlOf(text: string): string {
  return text
    .split('\n\n')
    .map((p) => (p.startsWith('apiVersion:') ? `<pre><code class="language-yaml">${escape(p)}</code></pre>` : `<p>${escape(p)}</p>`))
    .join('\n');
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('offprint');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

/** Stores `size` articles with their contents, `batch` per transaction; returns the milliseconds it took. */
async function seedScaleLibrary(size: number, batch = 1000, textBytes = 8500): Promise<number> {
  const t0 = performance.now();
  const db = await openDb();
  let articles: unknown[] = [];
  let contents: unknown[] = [];
  const flush = () =>
    new Promise<void>((resolve, reject) => {
      const tx = db.transaction(['articles', 'contents'], 'readwrite');
      const a = tx.objectStore('articles');
      const c = tx.objectStore('contents');
      for (const rec of articles) a.put(rec);
      for (const rec of contents) c.put(rec);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('seed transaction aborted'));
      articles = [];
      contents = [];
    });
  for (const { article, content } of generateArticles(size, 42, textBytes)) {
    articles.push(article);
    contents.push({ ...content, html: htmlOf(content.text) });
    if (articles.length === batch) await flush();
  }
  if (articles.length) await flush();
  db.close();
  return performance.now() - t0;
}

Object.assign(globalThis, { seedScaleLibrary });
