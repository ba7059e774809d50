import { useMemo } from 'preact/hooks';
import { getDb } from '../lib/db/schema';
import { createSanitizer } from '../lib/html/sanitize';
import { getArticle } from '../lib/library/queries';
import { ArticleView } from './ArticleView';
import { SearchBox } from './search/SearchBox';
import { useLiveQuery } from './useLiveQuery';

/** The full-tab reader page: reader.html?id=<article id>. */
export function ReaderApp({ id }: { id: string | null }) {
  const db = getDb();
  const sanitize = useMemo(() => createSanitizer(window), []);
  const entry = useLiveQuery(() => (id ? getArticle(db, id) : Promise.resolve(undefined)), [id]);
  if (entry.value) document.title = `${entry.value.article.title} · Offprint`;
  return (
    <div class="reader">
      <header class="reader-search">
        <SearchBox onOpen={(articleId) => location.assign(`?id=${encodeURIComponent(articleId)}`)} />
      </header>
      <main class="reading">
        {!id ? (
          <p class="empty">No article chosen. Open one from the Offprint popup.</p>
        ) : entry.error ? (
          <p class="error" role="alert">
            Could not read this article: {entry.error.message}
          </p>
        ) : entry.value ? (
          <ArticleView article={entry.value.article} content={entry.value.content} sanitize={sanitize} />
        ) : null}
      </main>
    </div>
  );
}
