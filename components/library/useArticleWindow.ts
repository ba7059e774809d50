import { getDb } from '../../lib/db/schema';
import type { Article } from '../../lib/db/types';
import { listByTag } from '../../lib/library/actions';
import { listBox, listStarred, listTrash } from '../../lib/library/queries';
import { useLiveQuery } from '../useLiveQuery';

export type ListView = 'inbox' | 'saved' | 'starred' | 'archive' | 'trash';

export interface ArticleWindow {
  /** Index of rows[0] in the whole list. */
  start: number;
  rows: Article[];
  /** Length of the whole list when known here (tag filter); else the view count is used. */
  total?: number;
  error?: Error;
}

/**
 * Only the rows around what is on screen, read through the list index, so
 * opening a view costs the same with 50 or 5,000 articles. A tag filter is
 * small, so it is read whole.
 */
export function useArticleWindow(view: ListView, tag: string | undefined, start: number, count: number): ArticleWindow | undefined {
  const db = getDb();
  const q = useLiveQuery(async (): Promise<ArticleWindow> => {
    if (tag) {
      const all = view === 'trash' ? (await listTrash(db, 0, 1000)).filter((a) => a.tags.includes(tag)) : await listByTag(db, tag, view);
      return { start: 0, rows: all, total: all.length };
    }
    const rows = view === 'starred' ? await listStarred(db, start, count) : view === 'trash' ? await listTrash(db, start, count) : await listBox(db, view, start, count);
    return { start, rows };
  }, [view, tag, tag ? 0 : start, count]);
  if (q.error) return { start: 0, rows: [], error: q.error };
  return q.value;
}
