import type { Segment } from '../../lib/search/snippet';
import type { SearchResult } from '../../lib/search/search';
import { formatDate, hostOf } from '../format';

interface Props {
  id: string;
  result: SearchResult | undefined;
  error: string | undefined;
  active: number;
  onHover: (index: number) => void;
  onOpen: (id: string) => void;
  onMore: () => void;
}

/** Matched words in <mark>; everything is text nodes, never parsed HTML. */
function Highlighted({ segments }: { segments: Segment[] }) {
  return <>{segments.map((s, i) => (s.hit ? <mark key={i}>{s.text}</mark> : s.text))}</>;
}

export function SearchResults({ id, result, error, active, onHover, onOpen, onMore }: Props) {
  if (error) {
    return (
      <p class="error" role="alert">
        Search failed: {error}
      </p>
    );
  }
  if (!result) return null;
  if (result.index === 'building') {
    return (
      <p class="search-status" role="status">
        The search index is being built. Try again in a moment.
      </p>
    );
  }
  const { hits, more } = result;
  return (
    <div class="search-results">
      <p class="search-status" role="status">
        {hits.length === 0 ? 'No matching articles.' : `${hits.length}${more ? '+' : ''} ${hits.length === 1 ? 'article' : 'articles'}`}
      </p>
      <ul id={id} role="listbox" aria-label="Search results">
        {hits.map((hit, i) => {
          const a = hit.article;
          const meta = [a.author, a.siteName ?? hostOf(a.url), formatDate(a.sortAt)].filter(Boolean).join(' · ');
          return (
            <li
              key={a.id}
              id={`search-hit-${a.id}`}
              role="option"
              aria-selected={i === active}
              aria-label={a.title}
              class={i === active ? 'hit active' : 'hit'}
              onMouseEnter={() => onHover(i)}
              onClick={() => onOpen(a.id)}
            >
              <span class="hit-title">
                <Highlighted segments={hit.title} />
              </span>
              <span class="hit-meta">
                {meta}
                {a.isRead ? '' : ' · unread'}
                {a.starred ? ' · ★' : ''}
              </span>
              <span class="hit-snippet">
                <Highlighted segments={hit.snippet} />
              </span>
              {hit.note ? (
                <span class="hit-snippet hit-note">
                  <span class="hit-note-label">Matched your note: </span>
                  <Highlighted segments={hit.note} />
                </span>
              ) : null}
            </li>
          );
        })}
      </ul>
      {more ? (
        <button type="button" class="link-button search-more" onClick={onMore}>
          Show more results
        </button>
      ) : null}
    </div>
  );
}
