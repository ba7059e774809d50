import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { getDb } from '../../lib/db/schema';
import type { Article } from '../../lib/db/types';
import { createSanitizer } from '../../lib/html/sanitize';
import { getArticle } from '../../lib/library/queries';
import { noteOpened } from '../../lib/library/recent';
import { timeLeft } from '../../lib/reader/progress';
import type { Settings } from '../../lib/settings/settings';
import { ArticleView } from '../ArticleView';
import { act } from '../library/act';
import { ArticleActions } from '../library/ArticleActions';
import { useLiveQuery } from '../useLiveQuery';
import { useSettings } from '../useSettings';
import { keepPlace } from './keepPlace';
import { ListenControls } from './ListenControls';
import { ReaderSettings } from './ReaderSettings';
import { useArticleKeys } from './useArticleKeys';
import { useReadingProgress } from './useReadingProgress';
import { peekEntry } from './prefetch';
import { firstMatch } from '../../lib/search/mark';

interface Props {
  id: string | null;
  /** The element the article scrolls in; null = the window (reader page). */
  scroller: HTMLElement | null;
  prev?: Article;
  next?: Article;
  onGo: (article: Article) => void;
  onDeleted: (article: Article) => void;
  onHelp: () => void;
  /** False when the page handles the article keys itself (library page). */
  ownKeys?: boolean;
  help?: boolean;
  /** Extra controls at the start of the bar (the library's "← Articles" on narrow windows). */
  barStart?: ComponentChildren;
  emptyText: string;
  /** Bumped by the page's "l" key: Listen plays or pauses. */
  listenTick?: number;
  onArticle?: (article: Article | undefined) => void;
  /** Shown between the bar and the article (the reader page's search box). */
  below?: ComponentChildren;
  /** The article's highlights list starts open (the reader page has room for it). */
  highlightsOpen?: boolean;
  /** Scroll to this highlight once the article is painted (from a Highlights view). */
  focusHighlight?: string;
  /** Words a search matched (issue 12): marked in the article, the first one scrolled to. */
  matchTerms?: string[];
}

/**
 * The reader: bar (previous/next, time left, Listen, Aa, ?), the article
 * with its actions, reading progress saved and restored. The reader page
 * and the library page both show articles with it.
 */
export function ReaderPane({ id, scroller, prev, next, onGo, onDeleted, onHelp, ownKeys = true, help = false, barStart, emptyText, listenTick, onArticle, below, highlightsOpen, focusHighlight, matchTerms }: Props) {
  const db = getDb();
  const sanitize = useMemo(() => createSanitizer(window), []);
  const { settings, update } = useSettings();
  const live = useLiveQuery(async () => (id ? ((await getArticle(db, id)) ?? null) : null), [id]);
  // Until the live read answers, an article prepared ahead (the next one in the list) shows at once.
  const entry = live.value === undefined || (live.value && live.value.article.id !== id) ? { value: peekEntry(id), error: live.error } : live;
  const article = entry.value?.article && entry.value.article.id === id ? entry.value.article : undefined;
  const [body, setBody] = useState<HTMLElement | null>(null);
  const [showSettings, setShowSettings] = useState(false);
  const jumpTo = matchTerms?.length && body ? () => firstMatch(body) : undefined;
  const progress = useReadingProgress(db, article?.id, article?.progress ?? 0, !!body && body.isConnected, scroller, body, jumpTo);

  useEffect(() => setBody(null), [id]);
  useEffect(() => {
    if (article?.id) void noteOpened(db, article.id, Date.now()).catch(() => undefined);
  }, [db, article?.id]);
  useEffect(() => onArticle?.(article), [article, onArticle]);

  useArticleKeys(db, ownKeys ? article : undefined, { help, showHelp: onHelp, onDeleted });

  // Text size, width and font reflow the article: keep the paragraph at the top in place.
  const updateInPlace = (patch: Partial<Settings>) => keepPlace(scroller, body, () => update(patch));

  return (
    <div class="reader-pane">
      <header class="reader-bar">
        <div class="reader-bar-row">
          {barStart}
          <nav class="reader-nav" aria-label="Articles">
            <button type="button" class="action small" disabled={!prev} onClick={() => prev && onGo(prev)} title={prev ? `${prev.title} (k)` : undefined}>
              ← Previous
            </button>
            <button type="button" class="action small" disabled={!next} onClick={() => next && onGo(next)} title={next ? `${next.title} (j)` : undefined}>
              Next →
            </button>
          </nav>
          <span class="time-left">{article ? timeLeft(article.readingMinutes, progress) : ''}</span>
          {article ? <ListenControls db={db} articleId={article.id} lang={article.lang} body={body} scroller={scroller} settings={settings} update={update} toggleTick={listenTick} /> : null}
          <button type="button" class="action small" aria-expanded={showSettings} onClick={() => setShowSettings((s) => !s)}>
            Aa <span class="sr-only">Reading settings</span>
          </button>
          <button type="button" class="icon-button" aria-label="Keyboard shortcuts" onClick={onHelp}>
            ?
          </button>
        </div>
        {showSettings ? <ReaderSettings settings={settings} update={updateInPlace} /> : null}
        <div class="reading-progress" aria-hidden="true">
          <div style={{ width: `${Math.round(progress * 100)}%` }} />
        </div>
      </header>
      {below}
      <main class="reading">
        {!id ? (
          <p class="empty">{emptyText}</p>
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
              highlightsOpen={highlightsOpen}
              focusHighlight={focusHighlight}
              matchTerms={matchTerms}
              actions={<ArticleActions article={article} onDeleted={onDeleted} />}
            />
          </>
        ) : live.value === null ? (
          <p class="empty">This article is no longer in your library.</p>
        ) : null}
      </main>
    </div>
  );
}
