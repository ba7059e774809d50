import { useEffect, useState } from 'preact/hooks';
import { getDb } from '../../lib/db/schema';
import type { ArticleSource, Feed } from '../../lib/db/types';
import type { SearchFilters } from '../../lib/search/search';

const DAY = 86_400_000;

interface Props {
  id: string;
  filters: SearchFilters;
  onChange: (f: SearchFilters) => void;
}

function toDateInput(ms: number | undefined): string {
  return ms === undefined ? '' : new Date(ms).toISOString().slice(0, 10);
}

function fromDateInput(value: string, endOfDay: boolean): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isNaN(ms) ? undefined : endOfDay ? ms + DAY - 1 : ms;
}

/** Filters that narrow the search (or, with no words typed, list the library). */
export function SearchFiltersPanel({ id, filters, onChange }: Props) {
  const [feeds, setFeeds] = useState<Feed[]>([]);
  const [tags, setTags] = useState<string[]>([]);
  useEffect(() => {
    const db = getDb();
    void db.feeds.toArray().then((f) => setFeeds(f.sort((a, b) => a.title.localeCompare(b.title))), () => undefined);
    void db.articles.orderBy('tags').uniqueKeys().then((k) => setTags((k as string[]).sort()), () => undefined);
  }, []);
  const set = (patch: Partial<SearchFilters>) => onChange({ ...filters, ...patch });
  return (
    <fieldset id={id} class="search-filters">
      <legend class="visually-hidden">Search filters</legend>
      <label>
        <input type="checkbox" checked={Boolean(filters.unread)} onChange={(e) => set({ unread: e.currentTarget.checked || undefined })} /> Unread
      </label>
      <label>
        <input type="checkbox" checked={Boolean(filters.starred)} onChange={(e) => set({ starred: e.currentTarget.checked || undefined })} /> Starred
      </label>
      <label>
        Source{' '}
        <select value={filters.source ?? ''} onChange={(e) => set({ source: (e.currentTarget.value || undefined) as ArticleSource | undefined })}>
          <option value="">Any</option>
          <option value="feed">Feeds</option>
          <option value="clip">Clipped pages</option>
          <option value="import">Imports</option>
        </select>
      </label>
      <label>
        Feed{' '}
        <select value={filters.feedId ?? ''} onChange={(e) => set({ feedId: e.currentTarget.value || undefined })}>
          <option value="">Any</option>
          {feeds.map((f) => (
            <option key={f.id} value={f.id}>
              {f.title}
            </option>
          ))}
        </select>
      </label>
      <label>
        Tag{' '}
        <select value={filters.tag ?? ''} onChange={(e) => set({ tag: e.currentTarget.value || undefined })}>
          <option value="">Any</option>
          {tags.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label>
        From <input type="date" value={toDateInput(filters.from)} onChange={(e) => set({ from: fromDateInput(e.currentTarget.value, false) })} />
      </label>
      <label>
        To <input type="date" value={toDateInput(filters.to)} onChange={(e) => set({ to: fromDateInput(e.currentTarget.value, true) })} />
      </label>
    </fieldset>
  );
}
