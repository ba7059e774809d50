import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { getDb } from '../../lib/db/schema';
import type { Article } from '../../lib/db/types';
import { createSanitizer } from '../../lib/html/sanitize';
import { getArticle } from '../../lib/library/queries';
import { timeLeft } from '../../lib/reader/progress';
import { ArticleView } from '../ArticleView';
import { openInTab } from '../library/act';
import { ArticleActions } from '../library/ArticleActions';
import { useArticleKeys } from './useArticleKeys';
import { KeyHelp } from '../library/KeyHelp';
import { useLiveQuery } from '../useLiveQuery';
import { useReadingProgress } from './useReadingProgress';

interface Props {
  id: string;
  /** Scroll to this highlight once the article shows (from the Highlights view). */
  focusHighlight?: string;
  onBack: () => void;
  onDeleted: (article: Article) => void;
  undo: ComponentChildren;
}

/** Reading an article inside the popup. */
export function PopupReader({ id, focusHighlight, onBack, onDeleted, undo }: Props) {
  const db = getDb();
  const sanitize = useMemo(() => createSanitizer(window), []);
  const entry = useLiveQuery(async () => (await getArticle(db, id)) ?? null, [id]);
  const [scroller, setScroller] = useState<HTMLElement | null>(null);
  const [body, setBody] = useState<HTMLElement | null>(null);
  const [help, setHelp] = useState(false);
  const article = entry.value?.article;
  const progress = useReadingProgress(db, article?.id, article?.progress ?? 0, !!body, scroller, body);


  useArticleKeys(db, article, { help, showHelp: () => setHelp(true), onDeleted, onEscape: onBack });

  return (
    <div class="popup popup-reading">
      <header class="popup-header">
        <button type="button" class="link-button" onClick={onBack}>
          ← Back
        </button>
        <span class="time-left" aria-live="off">
          {article ? timeLeft(article.readingMinutes, progress) : ''}
        </span>
        <button type="button" class="link-button" onClick={() => openInTab(id)}>
          Open in tab
        </button>
      </header>
      <div class="reading-progress" aria-hidden="true">
        <div style={{ width: `${Math.round(progress * 100)}%` }} />
      </div>
      <main class="reading" ref={setScroller}>
        {entry.value ? (
          <ArticleView
            article={entry.value.article}
            content={entry.value.content}
            sanitize={sanitize}
            onBodyReady={setBody}
            focusHighlight={focusHighlight}
            actions={<ArticleActions article={entry.value.article} onDeleted={onDeleted} />}
          />
        ) : null}
        {entry.error ? (
          <p class="error" role="alert">
            Could not read this article: {entry.error.message}
          </p>
        ) : null}
        {entry.value === null ? <p class="empty">This article is no longer in your library.</p> : null}
      </main>
      {undo}
      {help ? <KeyHelp onClose={() => setHelp(false)} /> : null}
    </div>
  );
}
