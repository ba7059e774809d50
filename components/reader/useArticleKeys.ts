import { useLayoutEffect } from 'preact/hooks';
import type { OffprintDB } from '../../lib/db/schema';
import type { Article } from '../../lib/db/types';
import { act } from '../library/act';
import { articleKeyAction, isTypingOrModified } from '../library/keys';

interface Options {
  help: boolean;
  showHelp: () => void;
  onDeleted: (article: Article) => void;
  /** Escape, where the reading view has somewhere to go back to. */
  onEscape?: () => void;
}

/**
 * The reading view's keys (s, e, m, #, ?, Escape) for the popup and the
 * reader page. A layout effect, so a key pressed as soon as the article
 * shows is not lost.
 */
export function useArticleKeys(db: OffprintDB, article: Article | undefined, { help, showHelp, onDeleted, onEscape }: Options): void {
  useLayoutEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (help || isTypingOrModified(e) || !article) return;
      const action = articleKeyAction(article, e.key);
      if (e.key === 'Escape' && onEscape) onEscape();
      else if (e.key === '?') showHelp();
      else if (action?.kind === 'delete') void act(db, [article.id], action).then(() => onDeleted(article));
      else if (action) void act(db, [article.id], action);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });
}
