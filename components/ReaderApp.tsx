import { useCallback, useMemo, useState } from 'preact/hooks';
import { getDb } from '../lib/db/schema';
import type { Article } from '../lib/db/types';
import { createSanitizer } from '../lib/html/sanitize';
import { neighbors } from '../lib/library/actions';
import { getArticle } from '../lib/library/queries';
import { timeLeft } from '../lib/reader/progress';
import { ArticleView } from './ArticleView';
import { act } from './library/act';
import { ArticleActions } from './library/ArticleActions';
import { useArticleKeys } from './reader/useArticleKeys';
import { KeyHelp } from './library/KeyHelp';
import { UndoToast, type Undoable } from './library/UndoToast';
import { ReaderSettings } from './reader/ReaderSettings';
import { SearchBox } from './search/SearchBox';
import { useReadingProgress } from './reader/useReadingProgress';
import { useLiveQuery } from './useLiveQuery';
import { useSettings } from './useSettings';

/** The full-tab reader page: reader.html?id=<article id>. */
export function ReaderApp({ id: initialId }: { id: string | null }) {
  const db = getDb();
  const [id, setId] = useState(initialId);
  const sanitize = useMemo(() => createSanitizer(window), []);
  const { settings, update } = useSettings();
  const entry = useLiveQuery(async () => (id ? ((await getArticle(db, id)) ?? null) : null), [id]);
  const article = entry.value?.article;
  const near = useLiveQuery(() => (article ? neighbors(db, article) : Promise.resolve({})), [article?.id, article?.box, article?.sortAt]);
  const [body, setBody] = useState<HTMLElement | null>(null);
  const [showSettings, setShowSettings] = useState(false);
  const [help, setHelp] = useState(false);
  const [undo, setUndo] = useState<Undoable | undefined>();
  const progress = useReadingProgress(db, article?.id, article?.progress ?? 0, !!body && body.isConnected, null, body);
  const clearUndo = useCallback(() => setUndo(undefined), []);
  if (article) document.title = `${article.title} · Offprint`;

  const go = (to: Article | undefined) => {
    if (!to) return;
    setBody(null);
    setId(to.id);
    history.replaceState(null, '', `?id=${encodeURIComponent(to.id)}`);
  };
  const openFromSearch = (to: string) => {
    setBody(null);
    setId(to);
    history.replaceState(null, '', `?id=${encodeURIComponent(to)}`);
  };
  const onDeleted = (a: Article) => setUndo({ message: 'Article deleted.', undo: () => void act(db, [a.id], { kind: 'restore' }) });

  useArticleKeys(db, article, { help, showHelp: () => setHelp(true), onDeleted });

  const { prev, next } = (near.value ?? {}) as { prev?: Article; next?: Article };
  return (
    <div class="reader">
      <header class="reader-bar">
        <div class="reader-bar-row">
          <nav class="reader-nav" aria-label="Articles">
            <button type="button" class="action small" disabled={!prev} onClick={() => go(prev)} title={prev?.title}>
              ← Previous
            </button>
            <button type="button" class="action small" disabled={!next} onClick={() => go(next)} title={next?.title}>
              Next →
            </button>
          </nav>
          <span class="time-left">{article ? timeLeft(article.readingMinutes, progress) : ''}</span>
          <button type="button" class="action small" aria-expanded={showSettings} onClick={() => setShowSettings((s) => !s)}>
            Aa <span class="sr-only">Reading settings</span>
          </button>
          <button type="button" class="icon-button" aria-label="Keyboard shortcuts" onClick={() => setHelp(true)}>
            ?
          </button>
        </div>
        {showSettings ? <ReaderSettings settings={settings} update={update} /> : null}
        <div class="reading-progress" aria-hidden="true">
          <div style={{ width: `${Math.round(progress * 100)}%` }} />
        </div>
      </header>
      <div class="reader-search">
        <SearchBox onOpen={openFromSearch} clearOnOpen />
      </div>
      <main class="reading">
        {!id ? (
          <p class="empty">No article chosen. Open one from the Offprint popup.</p>
        ) : entry.error ? (
          <p class="error" role="alert">
            Could not read this article: {entry.error.message}
          </p>
        ) : article ? (
          <>
            {article.box === 'trash' ? (
              <p class="warning" role="note">
                This article is deleted and will be removed for good soon.{' '}
                <button type="button" class="link-button" onClick={() => void act(db, [article.id], { kind: 'restore' })}>
                  Restore it
                </button>
              </p>
            ) : null}
            <ArticleView
              key={article.id}
              article={article}
              content={entry.value?.content}
              sanitize={sanitize}
              onBodyReady={setBody}
              highlightsOpen
              actions={<ArticleActions article={article} onDeleted={onDeleted} />}
            />
          </>
        ) : entry.value === undefined ? null : (
          <p class="empty">This article is no longer in your library.</p>
        )}
      </main>
      <UndoToast item={undo} onDone={clearUndo} />
      {help ? <KeyHelp onClose={() => setHelp(false)} /> : null}
    </div>
  );
}
