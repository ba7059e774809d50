import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { OffprintDB } from '../../lib/db/schema';
import { HIGHLIGHT_COLORS, type Article, type Highlight, type HighlightColor } from '../../lib/db/types';
import type { Sanitize } from '../../lib/html/sanitize';
import { describeSpan, type Span } from '../../lib/highlights/anchor';
import { buildTextMap, spanOfRange } from '../../lib/highlights/dom';
import { HIGHLIGHT_MENU_MESSAGE } from '../../lib/highlights/menu';
import { addHighlight, articleNoteOf, deleteHighlight, highlightsOf, restoreHighlight, setArticleNote, updateHighlight } from '../../lib/library/highlights';
import { isTypingOrModified } from '../library/keys';
import { UndoToast, type Undoable } from '../library/UndoToast';
import { useLiveQuery } from '../useLiveQuery';
import { ArticleNoteEditor } from './ArticleNoteEditor';
import { COLOR_NAMES, HighlightPopover, placeBelow } from './HighlightPopover';
import { MarkdownNote } from './MarkdownNote';
import { useHighlightPaint } from './useHighlightPaint';
import './highlights.css';

interface Props {
  db: OffprintDB;
  article: Article;
  body: HTMLElement | null;
  /** Changes whenever the body's HTML was replaced (new content). */
  bodyTick: number;
  sanitize: Sanitize;
  /** Show the list open (the reader page has room beside the article). */
  defaultOpen?: boolean;
  /** Scroll to this highlight once painted (from the Highlights view). */
  focusId?: string;
}

interface Pending {
  span: Span;
  text: string;
  rect: DOMRect;
}

interface Open {
  id: string;
  rect: DOMRect;
  editing: boolean;
}

/**
 * Highlighting on an article: the toolbar over a selection (four colours,
 * Note, Copy), the `h` key and the context menu entry, the popover of a
 * clicked highlight (colour, note, delete with undo), and the list of the
 * article's highlights with its article note.
 */
export function ArticleHighlights({ db, article, body, bodyTick, sanitize, defaultOpen = false, focusId }: Props) {
  const highlights = useLiveQuery(() => highlightsOf(db, article.id), [article.id]);
  const articleNote = useLiveQuery(() => articleNoteOf(db, article.id), [article.id]);
  const { spans, painted } = useHighlightPaint(db, body, bodyTick, highlights.value);
  const [pending, setPending] = useState<Pending | undefined>();
  const [open, setOpen] = useState<Open | undefined>();
  const [undo, setUndo] = useState<Undoable | undefined>();
  const [failure, setFailure] = useState('');
  const lastColor = useRef<HighlightColor>('yellow');
  const clearUndo = useCallback(() => setUndo(undefined), []);
  const list = highlights.value ?? [];
  const placed = list.filter((h) => spans.has(h.id)).sort((a, b) => spans.get(a.id)!.start - spans.get(b.id)!.start);
  // Listed once the reader has tried to place them in the current text (recordPlacement set placed = 0).
  const unplaced = list.filter((h) => h.placed === 0 && !spans.has(h.id));

  /** The selection, when it lies in the article body. */
  const readSelection = useCallback((): Pending | undefined => {
    const sel = document.getSelection();
    if (!body || !sel || sel.rangeCount === 0 || sel.isCollapsed) return undefined;
    const range = sel.getRangeAt(0);
    const map = buildTextMap(body);
    const span = spanOfRange(map, body, range);
    if (!span) return undefined;
    return { span, text: map.text.slice(span.start, span.end), rect: range.getBoundingClientRect() };
  }, [body]);

  useEffect(() => {
    let frame = 0;
    const onChange = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => setPending(readSelection()));
    };
    document.addEventListener('selectionchange', onChange);
    return () => {
      cancelAnimationFrame(frame);
      document.removeEventListener('selectionchange', onChange);
    };
  }, [readSelection]);

  const create = useCallback(
    async (color: HighlightColor, withNote = false) => {
      const at = readSelection() ?? pending;
      if (!at || !body) return;
      lastColor.current = color;
      // Cleared now, not after the save: text selected meanwhile (the next passage) must stay selected.
      const sel = document.getSelection();
      const range = sel && sel.rangeCount > 0 ? sel.getRangeAt(0).cloneRange() : undefined;
      sel?.removeAllRanges();
      setPending(undefined);
      try {
        const map = buildTextMap(body);
        const h = await addHighlight(db, { articleId: article.id, color, ...describeSpan(map.text, at.span) });
        setFailure('');
        if (withNote) setOpen({ id: h.id, rect: at.rect, editing: true });
      } catch (err) {
        // Nothing saved: give the selection back unless another one was made since.
        if (range && sel?.isCollapsed) sel.addRange(range);
        setFailure(`Could not save the highlight: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    [db, article.id, body, pending, readSelection],
  );

  // `h` highlights the selection in the last colour used.
  useLayoutEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'h' || isTypingOrModified(e) || !readSelection()) return;
      e.preventDefault();
      void create(lastColor.current);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [create, readSelection]);

  // The context menu's "Highlight selection" (the background broadcasts it to Offprint's pages).
  useEffect(() => {
    const onMessage = (message: unknown) => {
      const m = message as { type?: string; payload?: { pageUrl?: string } } | undefined;
      if (m?.type !== HIGHLIGHT_MENU_MESSAGE) return undefined;
      if (m.payload?.pageUrl && m.payload.pageUrl !== location.href) return undefined;
      if (readSelection()) void create(lastColor.current);
      return undefined;
    };
    browser.runtime.onMessage.addListener(onMessage);
    return () => browser.runtime.onMessage.removeListener(onMessage);
  }, [create, readSelection]);

  // A click on a painted highlight opens its popover.
  useEffect(() => {
    if (!body || !painted) return;
    const onClick = (e: MouseEvent) => {
      if (!document.getSelection()?.isCollapsed) return;
      const at = caretAt(e.clientX, e.clientY);
      let ids = at ? painted.idsAt(at.node, at.offset) : [];
      if (ids.length === 0 && e.target instanceof Node) ids = painted.idsAt(e.target, 0);
      const id = ids[ids.length - 1];
      if (id) setOpen({ id, rect: new DOMRect(e.clientX, e.clientY, 0, 0), editing: false });
    };
    body.addEventListener('click', onClick);
    return () => body.removeEventListener('click', onClick);
  }, [body, painted]);

  const jumpTo = (id: string) => {
    const el = painted?.elementOf(id);
    if (!el) return;
    el.scrollIntoView({ block: 'center' });
    painted!.flash(id);
  };

  const focused = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (focusId && focused.current !== focusId && spans.has(focusId)) {
      focused.current = focusId;
      jumpTo(focusId);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusId, spans]);

  const remove = async (h: Highlight) => {
    setOpen(undefined);
    const gone = await deleteHighlight(db, h.id);
    if (gone) setUndo({ message: 'Highlight deleted.', undo: () => void restoreHighlight(db, gone) });
  };

  const openHighlight = open ? list.find((h) => h.id === open.id) : undefined;
  return (
    <>
      {pending && !open ? (
        <div class="hl-toolbar" role="toolbar" aria-label="Highlight selection" style={placeBelow(pending.rect)} onMouseDown={(e) => e.preventDefault()}>
          {HIGHLIGHT_COLORS.map((c) => (
            <button key={c} type="button" class={`hl-swatch hl-${c}`} aria-label={COLOR_NAMES[c]} title={`Highlight in ${c} (h)`} onClick={() => void create(c)} />
          ))}
          <button type="button" class="action small" onClick={() => void create(lastColor.current, true)}>
            Note
          </button>
          <button
            type="button"
            class="action small"
            onClick={() => {
              void navigator.clipboard?.writeText(pending.text).catch(() => setFailure('Could not copy: the browser refused the clipboard.'));
            }}
          >
            Copy
          </button>
        </div>
      ) : null}
      {open && openHighlight ? (
        <HighlightPopover
          key={open.id}
          highlight={openHighlight}
          rect={open.rect}
          editing={open.editing}
          sanitize={sanitize}
          onColor={(color) => {
            lastColor.current = color;
            void updateHighlight(db, openHighlight.id, { color });
          }}
          onNote={(note) => void updateHighlight(db, openHighlight.id, { note })}
          onDelete={() => void remove(openHighlight)}
          onClose={() => setOpen(undefined)}
        />
      ) : null}
      <details class="highlights-panel" open={defaultOpen || undefined}>
        <summary>
          Highlights and notes <span class="count">{list.length ? `(${list.length})` : ''}</span>
        </summary>
        <section aria-label="Highlights">
          {failure ? (
            <p class="error" role="alert">
              {failure}
            </p>
          ) : null}
          {list.length === 0 ? <p class="hl-muted">Select text in the article to highlight it (or press h).</p> : null}
          <ul class="hl-list">
            {placed.map((h) => (
              <li key={h.id} class={`hl-item hl-border-${h.color}`}>
                <button type="button" class={isCode(h.quote.exact) ? 'hl-jump hl-code' : 'hl-jump'} aria-label={`Go to highlight: ${short(h.quote.exact)}`} onClick={() => jumpTo(h.id)}>
                  {isCode(h.quote.exact) ? clip(h.quote.exact, 240) : short(h.quote.exact, 180)}
                </button>
                {h.note ? <MarkdownNote text={h.note} sanitize={sanitize} /> : null}
              </li>
            ))}
          </ul>
          {unplaced.length ? (
            <div class="hl-unplaced" role="region" aria-label="Could not be placed">
              <h3>Could not be placed</h3>
              <p class="hl-muted">The article’s text changed and these passages are no longer in it. They are kept, with their notes.</p>
              <ul class="hl-list">
                {unplaced.map((h) => (
                  <li key={h.id} class={`hl-item hl-border-${h.color}`}>
                    <blockquote class="hl-quote">{short(h.quote.exact, 300)}</blockquote>
                    {h.note ? <MarkdownNote text={h.note} sanitize={sanitize} /> : null}
                    <button type="button" class="link-button" aria-label={`Delete highlight: ${short(h.quote.exact)}`} onClick={() => void remove(h)}>
                      Delete
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </section>
        <ArticleNoteEditor note={articleNote.value ?? ''} sanitize={sanitize} onSave={(note) => void setArticleNote(db, article.id, note)} />
      </details>
      <UndoToast item={undo} onDone={clearUndo} />
    </>
  );
}

/** The text position under a point (standard, then Chrome's older name). */
function caretAt(x: number, y: number): { node: Node; offset: number } | undefined {
  const doc = document as Document & { caretRangeFromPoint?: (x: number, y: number) => Range | null };
  const pos = doc.caretPositionFromPoint?.(x, y);
  if (pos) return { node: pos.offsetNode, offset: pos.offset };
  const range = doc.caretRangeFromPoint?.(x, y);
  return range ? { node: range.startContainer, offset: range.startOffset } : undefined;
}

/** Indented lines: a quote from code, shown with its whitespace. */
function isCode(text: string): boolean {
  return /(^|\n)[ \t]+\S/.test(text);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function short(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

