import type { OffprintDB } from '../db/schema';
import type { SearchFilters } from '../search/search';

/** A search with its filters, saved under a name (kv record, no schema change). */
export interface SavedView {
  id: string;
  name: string;
  query: string;
  filters: SearchFilters;
  createdAt: number;
}

export const SAVED_VIEWS_KEY = 'library:savedViews';
const FILTER_KEYS = ['unread', 'starred', 'source', 'feedId', 'tag', 'from', 'to'] as const;

export async function listSavedViews(db: OffprintDB): Promise<SavedView[]> {
  const value = (await db.kv.get(SAVED_VIEWS_KEY))?.value;
  return Array.isArray(value) ? value.filter(isSavedView).sort((a, b) => a.name.localeCompare(b.name)) : [];
}

/** Saves a view; a view with the same name (any case) is replaced, so saving twice does not duplicate. */
export async function saveView(db: OffprintDB, input: { name: string; query: string; filters: SearchFilters }, deps: { now: () => number; newId: () => string }): Promise<SavedView> {
  const name = input.name.trim().replace(/\s+/g, ' ').slice(0, 80);
  if (!name) throw new Error('A saved view needs a name.');
  if (!input.query.trim() && !Object.values(input.filters).some((v) => v !== undefined && v !== false)) throw new Error('Type a search or choose a filter first.');
  return db.transaction('rw', db.kv, async () => {
    const views = await listSavedViews(db);
    const same = views.find((v) => v.name.toLowerCase() === name.toLowerCase());
    const view: SavedView = { id: same?.id ?? deps.newId(), name, query: input.query.trim(), filters: cleanFilters(input.filters), createdAt: same?.createdAt ?? deps.now() };
    await db.kv.put({ key: SAVED_VIEWS_KEY, value: [...views.filter((v) => v.id !== view.id), view] });
    return view;
  });
}

export async function deleteView(db: OffprintDB, id: string): Promise<void> {
  await db.transaction('rw', db.kv, async () => {
    const views = await listSavedViews(db);
    await db.kv.put({ key: SAVED_VIEWS_KEY, value: views.filter((v) => v.id !== id) });
  });
}

function cleanFilters(f: SearchFilters): SearchFilters {
  const out: Record<string, unknown> = {};
  for (const k of FILTER_KEYS) if (f[k] !== undefined && f[k] !== false && f[k] !== '') out[k] = f[k];
  return out as SearchFilters;
}

function isSavedView(v: unknown): v is SavedView {
  const r = v as Partial<SavedView> | null;
  return !!r && typeof r.id === 'string' && typeof r.name === 'string' && typeof r.query === 'string' && typeof r.filters === 'object' && r.filters !== null;
}
