import { useState } from 'preact/hooks';
import type { Sanitize } from '../../lib/html/sanitize';
import { MarkdownNote } from './MarkdownNote';

/** The one note on the article as a whole: shown rendered, edited as Markdown. */
export function ArticleNoteEditor({ note, sanitize, onSave }: { note: string; sanitize: Sanitize; onSave: (note: string) => void }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(note);
  return (
    <section class="article-note" aria-label="Article note">
      <h3>Article note</h3>
      {editing ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            onSave(draft);
            setEditing(false);
          }}
        >
          <textarea aria-label="Article note" rows={5} value={draft} placeholder="What you took from this article (Markdown)" onInput={(e) => setDraft(e.currentTarget.value)} />
          <div class="hl-row">
            <button type="submit" class="action small primary">
              Save article note
            </button>
            <button type="button" class="action small" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <>
          {note ? <MarkdownNote text={note} sanitize={sanitize} /> : <p class="hl-muted">No note on this article yet.</p>}
          <button
            type="button"
            class="action small"
            onClick={() => {
              setDraft(note);
              setEditing(true);
            }}
          >
            {note ? 'Edit article note' : 'Add article note'}
          </button>
        </>
      )}
    </section>
  );
}
