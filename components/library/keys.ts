import type { Article } from '../../lib/db/types';
import type { LibraryAction } from './act';

/** The keyboard shortcuts, shown by "?" and handled by the popup and reader. */
export const LIST_KEYS: [string, string][] = [
  ['j / k', 'Next / previous article'],
  ['Enter', 'Open the article'],
  ['o', 'Open the article in a tab'],
  ['x', 'Select or unselect the article'],
  ['s', 'Star or unstar'],
  ['e', 'Archive or unarchive'],
  ['m', 'Mark read or unread'],
  ['#', 'Delete (with undo)'],
  ['h', 'Highlight the selected text (in an article)'],
  ['/', 'Search'],
  ['Esc', 'Back to the list, close this help'],
  ['?', 'Show these keys'],
];

// Keys pressed on these still mean shortcuts: they take no typing.
const NON_TEXT_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color']);

/** True when a key press belongs to a text field or uses a modifier, so shortcuts must ignore it. */
export function isTypingOrModified(e: KeyboardEvent): boolean {
  if (e.ctrlKey || e.metaKey || e.altKey) return true;
  const t = e.target as HTMLElement | null;
  if (!t || !t.tagName) return false;
  if (t.tagName === 'INPUT') return !NON_TEXT_INPUTS.has((t as HTMLInputElement).type);
  return t.isContentEditable || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT';
}

/** The library action a key stands for on one article (s, e, m, #), if any. */
export function articleKeyAction(article: Pick<Article, 'starred' | 'box' | 'isRead'>, key: string): LibraryAction | undefined {
  switch (key) {
    case 's':
      return { kind: article.starred ? 'unstar' : 'star' };
    case 'e':
      return { kind: article.box === 'archive' ? 'unarchive' : 'archive' };
    case 'm':
      return { kind: article.isRead ? 'unread' : 'read' };
    case '#':
      return { kind: 'delete' };
    default:
      return undefined;
  }
}
