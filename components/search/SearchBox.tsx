import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { getDb } from '../../lib/db/schema';
import { hasFilters, LibrarySearch, type SearchFilters, type SearchResult } from '../../lib/search/search';
import { SearchFiltersPanel } from './SearchFilters';
import { SearchResults } from './SearchResults';
import './search.css';

const PAGE = 20;
let shared: LibrarySearch | undefined;

/** One searcher per page, so the vocabulary is loaded once and kept between keystrokes. */
export function librarySearch(): LibrarySearch {
  shared ??= new LibrarySearch(getDb());
  return shared;
}

interface Props {
  /** Opens an article (the popup shows it inline, the reader page navigates). */
  /** `terms`: what the query matched, for the reader to scroll to and mark. */
  onOpen?: (id: string, terms?: string[]) => void;
  /**
   * Clear the search once an article is opened (the reader page, where the
   * box stays on screen). Otherwise the search is kept for "Back" (popup).
   */
  clearOnOpen?: boolean;
  /** Told of every change to the words or filters (the library page saves them as a view). */
  onSearchChange?: (query: string, filters: SearchFilters) => void;
  /** Extra buttons after Filters (the library page's "Save view"). */
  actions?: ComponentChildren;
}

/** The last search of this page, so coming back from an article shows the same results. */
const remembered: { query: string; filters: SearchFilters } = { query: '', filters: {} };

/** Forgets the remembered search (the library page, once a search became a saved view). */
export function forgetSearch(): void {
  remembered.query = '';
  remembered.filters = {};
}

/**
 * The library search box: results update on every keystroke; arrows move
 * through them, Enter opens one, Escape clears.
 */
export function SearchBox({ onOpen, clearOnOpen = false, onSearchChange, actions }: Props) {
  const search = useMemo(librarySearch, []);
  const [query, setQuery] = useState(remembered.query);
  const [filters, setFilters] = useState<SearchFilters>(remembered.filters);
  const [showFilters, setShowFilters] = useState(false);
  const [result, setResult] = useState<SearchResult | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [active, setActive] = useState(0);
  const [limit, setLimit] = useState(PAGE);
  const latest = useRef(0);
  /** Bumped to ask again while the index is being built, so progress and then results appear. */
  const [retry, setRetry] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const searching = query.trim() !== '' || hasFilters(filters);

  useEffect(() => {
    // After first paint: the vocabulary is then ready by the first keystroke.
    const timer = setTimeout(() => void search.warm().catch(() => undefined), 0);
    return () => clearTimeout(timer);
  }, [search]);

  useEffect(() => {
    remembered.query = query;
    remembered.filters = filters;
    onSearchChange?.(query, filters);
    const ticket = ++latest.current;
    if (!searching) {
      setResult(undefined);
      setError(undefined);
      return;
    }
    search.search(query, filters, { limit }).then(
      (r) => {
        if (ticket !== latest.current) return; // a newer keystroke already answered
        setResult(r);
        setError(undefined);
        if (limit === PAGE) setActive(0);
      },
      (err: unknown) => ticket === latest.current && setError(err instanceof Error ? err.message : String(err)),
    );
    // Told of changes to the search, not of a new callback.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search, query, filters, searching, limit, retry]);

  useEffect(() => {
    if (result?.index !== 'building') return;
    const timer = setTimeout(() => setRetry((n) => n + 1), 1000);
    return () => clearTimeout(timer);
  }, [result]);

  const hits = result?.hits ?? [];
  const open = (id: string | undefined) => {
    if (!id) return;
    onOpen?.(id, result?.terms);
    if (clearOnOpen) clear();
  };
  const clear = () => {
    setQuery('');
    setFilters({});
    setShowFilters(false);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' && hits.length) {
      e.preventDefault();
      setActive((i) => Math.min(hits.length - 1, i + 1));
    } else if (e.key === 'ArrowUp' && hits.length) {
      e.preventDefault();
      setActive((i) => Math.max(0, i - 1));
    } else if (e.key === 'Enter' && hits.length) {
      e.preventDefault();
      open(hits[active]?.article.id);
    } else if (e.key === 'Escape' && searching) {
      // Clear first; a second Escape closes the popup as usual.
      e.preventDefault();
      clear();
    }
  };

  const activeId = hits[active] ? `search-hit-${hits[active].article.id}` : undefined;
  return (
    <div class={searching ? 'search active' : 'search'} role="search">
      <div class="search-bar">
        <input
          ref={input}
          type="search"
          aria-label="Search library"
          aria-controls="search-results"
          aria-autocomplete="list"
          aria-activedescendant={activeId}
          placeholder="Search titles, authors, text, code…"
          autoComplete="off"
          spellcheck={false}
          value={query}
          onInput={(e) => {
            setQuery(e.currentTarget.value);
            setLimit(PAGE);
          }}
          onKeyDown={onKeyDown}
        />
        <button
          type="button"
          class={hasFilters(filters) ? 'filter-toggle on' : 'filter-toggle'}
          aria-expanded={showFilters}
          aria-controls="search-filters"
          onClick={() => setShowFilters((v) => !v)}
        >
          Filters
        </button>
        {actions}
      </div>
      {showFilters ? <SearchFiltersPanel
          id="search-filters"
          filters={filters}
          onChange={(f) => {
            setFilters(f);
            setLimit(PAGE);
          }}
        /> : null}
      {searching ? (
        <SearchResults
          id="search-results"
          result={result}
          error={error}
          active={active}
          onHover={setActive}
          onOpen={(id) => open(id)}
          onMore={() => setLimit((n) => n + PAGE)}
        />
      ) : null}
    </div>
  );
}
