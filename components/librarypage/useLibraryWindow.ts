import { getDb } from '../../lib/db/schema';
import type { Article, Feed } from '../../lib/db/types';
import { comparator, listPlace, type SortOrder } from '../../lib/library/places';
import { recentlyRead } from '../../lib/library/recent';
import type { SavedView } from '../../lib/library/saved-views';
import type { LibrarySearch } from '../../lib/search/search';
import { useLiveQuery } from '../useLiveQuery';
import { selectionKey, type Selection } from './selection';

export interface LibraryWindow {
  /** Index of rows[0] in the whole list. */
  start: number;
  rows: Article[];
  total: number;
  /** A saved view holds more matches than were read. */
  more?: boolean;
  error?: Error;
}

/** Matches read for a saved view (the search returns the best ones first). */
export const VIEW_LIMIT = 1000;

/**
 * The rows of the chosen list around what is on screen. Boxes in date order
 * are paged through an index; saved views run their search.
 */
export function useLibraryWindow(sel: Selection, sort: SortOrder, start: number, count: number, feeds: Feed[] | undefined, views: SavedView[] | undefined, search: LibrarySearch): LibraryWindow | undefined {
  const db = getDb();
  const view = sel.kind === 'view' ? views?.find((v) => v.id === sel.viewId) : undefined;
  const q = useLiveQuery(async (): Promise<LibraryWindow | undefined> => {
    const recent = sort === 'recent' ? await recentlyRead(db) : undefined;
    if (sel.kind === 'slot') return { start: 0, rows: [], total: 0 };
    if (sel.kind === 'view') {
      if (!view) return views ? { start: 0, rows: [], total: 0 } : undefined;
      // Read the articles table too, so the list follows changes (read, archive) as they happen.
      await db.articles.count();
      const result = await search.search(view.query, view.filters, { limit: VIEW_LIMIT });
      const all = result.hits.map((h) => h.article).sort(comparator(sort, recent));
      return { start, rows: all.slice(start, start + count), total: all.length, more: result.more };
    }
    if (sel.place.kind === 'folder' && !feeds) return undefined;
    const folder = sel.place.kind === 'folder' ? sel.place.folder : undefined;
    const page = await listPlace(db, sel.place, sort, start, count, {
      feedsInFolder: () => (feeds ?? []).filter((f) => (f.folder ?? '') === folder).map((f) => f.id),
      recentlyRead: recent,
    });
    return { start, rows: page.rows, total: page.total };
  }, [selectionKey(sel), sort, start, count, view, sel.kind === 'place' && sel.place.kind === 'folder' ? feeds : undefined]);
  if (q.error) return { start: 0, rows: [], total: 0, error: q.error };
  return q.value;
}
