import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { HIGHLIGHT_COLORS, type Highlight, type HighlightColor } from '../../lib/db/types';
import type { Sanitize } from '../../lib/html/sanitize';
import { MarkdownNote } from './MarkdownNote';

export const COLOR_NAMES: Record<HighlightColor, string> = { yellow: 'Yellow', green: 'Green', blue: 'Blue', pink: 'Pink' };

/** Fixed position just below a selection or highlight, kept on screen. */
export function placeBelow(rect: DOMRect): Record<string, string> {
  const top = Math.min(window.innerHeight - 60, Math.max(4, rect.bottom + 8));
  const left = Math.min(Math.max(4, rect.left), Math.max(4, window.innerWidth - 300));
  return { top: `${top}px`, left: `${left}px` };
}

interface PopoverProps {
  highlight: Highlight;
  rect: DOMRect;
  editing: boolean;
  sanitize: Sanitize;
  onColor: (c: HighlightColor) => void;
  onNote: (note: string) => void;
  onDelete: () => void;
  onClose: () => void;
}

/** A clicked highlight: its colour, its note (Markdown) and Delete. */
export function HighlightPopover({ highlight, rect, editing: startEditing, sanitize, onColor, onNote, onDelete, onClose }: PopoverProps) {
  const [editing, setEditing] = useState(startEditing);
  const [draft, setDraft] = useState(highlight.note);
  const box = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    box.current?.querySelector<HTMLElement>(editing ? 'textarea' : 'button')?.focus();
  }, [editing]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        onClose();
      }
    };
    const onDown = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) onClose();
    };
    window.addEventListener('keydown', onKey, true);
    document.addEventListener('mousedown', onDown);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      document.removeEventListener('mousedown', onDown);
    };
  }, [onClose]);
  return (
    <div ref={box} class="hl-popover" role="dialog" aria-label="Highlight" style={placeBelow(rect)}>
      <div class="hl-colors" role="group" aria-label="Colour">
        {HIGHLIGHT_COLORS.map((c) => (
          <button key={c} type="button" class={`hl-swatch hl-${c}`} aria-label={COLOR_NAMES[c]} aria-pressed={highlight.color === c} onClick={() => onColor(c)} />
        ))}
      </div>
      {editing ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            onNote(draft);
            setEditing(false);
          }}
        >
          <textarea aria-label="Note" rows={4} value={draft} placeholder="Your note (Markdown)" onInput={(e) => setDraft(e.currentTarget.value)} />
          <div class="hl-row">
            <button type="submit" class="action small primary">
              Save note
            </button>
            <button type="button" class="action small" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <>
          {highlight.note ? <MarkdownNote text={highlight.note} sanitize={sanitize} /> : null}
          <div class="hl-row">
            <button type="button" class="action small" onClick={() => setEditing(true)}>
              {highlight.note ? 'Edit note' : 'Add note'}
            </button>
            <button type="button" class="action small danger" onClick={onDelete}>
              Delete highlight
            </button>
            <button type="button" class="action small" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      )}
    </div>
  );
}

