import { getDb } from '../../lib/db/schema';
import type { Article, Feed } from '../../lib/db/types';
import { comparator, countBox, isIndexed, listBoxPage, sortedPlace, type SortOrder } from '../../lib/library/places';
import { recentlyRead } from '../../lib/library/recent';
import type { SavedView } from '../../lib/library/saved-views';
import type { LibrarySearch } from '../../lib/search/search';
import { useLiveQuery } from '../useLiveQuery';
import { useSettledQuery } from '../useSettledQuery';
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
 * The rows of the chosen list around what is on screen. A box in date order
 * is paged through its index and shown before it is counted; every other
 * list (feed, folder, tag, saved view, or a box by length or last read) is
 * read whole and sorted, again shortly after the library changes.
 */
export function useLibraryWindow(sel: Selection, sort: SortOrder, start: number, count: number, feeds: Feed[] | undefined, views: SavedView[] | undefined, search: LibrarySearch): LibraryWindow | undefined {
  const db = getDb();
  const key = selectionKey(sel);
  const indexed = sel.kind === 'place' && isIndexed(sel.place, sort) ? sel.place.box : undefined;
  const view = sel.kind === 'view' ? views?.find((v) => v.id === sel.viewId) : undefined;
  const folderFeeds = sel.kind === 'place' && sel.place.kind === 'folder' ? (feeds?.filter((f) => (f.folder ?? '') === (sel.place as { folder: string }).folder).map((f) => f.id).join('\n') ?? null) : '';

  const page = useLiveQuery(() => (indexed ? listBoxPage(db, indexed, sort as 'newest' | 'oldest', start, count) : Promise.resolve(undefined)), [indexed, sort, start, count]);
  const boxTotal = useSettledQuery(() => countBox(db, indexed!), [indexed], { tables: ['articles'], enabled: !!indexed && !!page.value, delayMs: 100 });
  const whole = useSettledQuery(
    async (): Promise<{ rows: Article[]; more?: boolean } | undefined> => {
      const recent = sort === 'recent' ? await recentlyRead(db) : undefined;
      if (sel.kind === 'slot') return { rows: [] };
      if (sel.kind === 'view') {
        if (!view) return views ? { rows: [] } : undefined;
        const result = await search.search(view.query, view.filters, { limit: VIEW_LIMIT });
        return { rows: result.hits.map((h) => h.article).sort(comparator(sort, recent)), more: result.more };
      }
      if (folderFeeds === null) return undefined;
      return { rows: await sortedPlace(db, sel.place, sort, { feedsInFolder: () => (folderFeeds ? folderFeeds.split('\n') : []), recentlyRead: recent }) };
    },
    [key, sort, view, folderFeeds, !!views],
    { tables: ['articles', 'kv', 'searchDocs', 'searchMeta'], gapMs: 250, enabled: !indexed },
  );

  if (indexed) {
    if (page.error || boxTotal.error) return { start: 0, rows: [], total: 0, error: page.error ?? boxTotal.error };
    if (!page.value) return undefined;
    const rows = page.value;
    // Until the box is counted, what was read gives a lower bound (one more when the page came back full).
    const atLeast = start + rows.length + (rows.length === count ? 1 : 0);
    return { start, rows, total: boxTotal.value ?? atLeast };
  }
  if (whole.error) return { start: 0, rows: [], total: 0, error: whole.error };
  if (!whole.value) return undefined;
  return { start, rows: whole.value.rows.slice(start, start + count), total: whole.value.rows.length, more: whole.value.more };
}
