import { useMemo, useState } from 'preact/hooks';
import { getDb } from '../../lib/db/schema';
import { HIGHLIGHT_COLORS, type HighlightColor } from '../../lib/db/types';
import { createSanitizer } from '../../lib/html/sanitize';
import { listTags } from '../../lib/library/actions';
import { listAllHighlights } from '../../lib/library/highlights';
import { useLiveQuery } from '../useLiveQuery';
import { MarkdownNote } from './MarkdownNote';
import './highlights.css';

/** The popup's Highlights view: every highlight in the library, newest first, by tag and colour. */
export function HighlightsView({ onOpen }: { onOpen: (articleId: string, highlightId: string) => void }) {
  const db = getDb();
  const sanitize = useMemo(() => createSanitizer(window), []);
  const [tag, setTag] = useState('');
  const [color, setColor] = useState<HighlightColor | ''>('');
  const entries = useLiveQuery(() => listAllHighlights(db, { tag: tag || undefined, color: color || undefined }), [tag, color]);
  const tags = useLiveQuery(() => listTags(db), []);
  return (
    <div class="hl-view">
      <div class="hl-filters">
        <select aria-label="Filter highlights by tag" value={tag} onChange={(e) => setTag(e.currentTarget.value)}>
          <option value="">All tags</option>
          {tags.value?.map((t) => (
            <option key={t} value={t}>
              #{t}
            </option>
          ))}
        </select>
        <select aria-label="Filter highlights by colour" value={color} onChange={(e) => setColor(e.currentTarget.value as HighlightColor | '')}>
          <option value="">All colours</option>
          {HIGHLIGHT_COLORS.map((c) => (
            <option key={c} value={c}>
              {c[0]!.toUpperCase() + c.slice(1)}
            </option>
          ))}
        </select>
      </div>
      {entries.error ? (
        <p class="error" role="alert">
          Could not read your highlights: {entries.error.message}
        </p>
      ) : entries.value && entries.value.length === 0 ? (
        <p class="empty">{tag || color ? 'No highlights match these filters.' : 'No highlights yet. Select text in an article and pick a colour (or press h).'}</p>
      ) : (
        <ul class="hl-list" aria-label="Highlights">
          {entries.value?.map(({ highlight: h, article }) => (
            <li key={h.id} class={`hl-item hl-entry hl-border-${h.color}`}>
              <blockquote class="hl-quote">{h.quote.exact.length > 400 ? `${h.quote.exact.slice(0, 399)}…` : h.quote.exact}</blockquote>
              {h.note ? <MarkdownNote text={h.note} sanitize={sanitize} /> : null}
              {h.placed === 0 ? <p class="hl-muted">Could not be placed in the article’s current text.</p> : null}
              <button type="button" class="link-button hl-article" onClick={() => onOpen(article.id, h.id)}>
                {article.title}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
