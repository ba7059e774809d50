import Fuse from 'fuse.js';
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Selection } from './selection';

export interface SwitchTarget {
  sel: Selection;
  label: string;
  /** What it is: Box, Feed, Folder, Tag, Saved view. */
  kind: string;
}

const SHOWN = 8;

/** Ctrl/⌘+K: type a few letters of a feed, folder, tag, saved view or box and jump there; typos are forgiven. */
export function QuickSwitcher({ targets, onPick, onClose }: { targets: SwitchTarget[]; onPick: (t: SwitchTarget) => void; onClose: () => void }) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const fuse = useMemo(() => new Fuse(targets, { keys: ['label'], threshold: 0.45, ignoreLocation: true, includeScore: true }), [targets]);
  const matches = query.trim() ? fuse.search(query.trim(), { limit: SHOWN }).map((r) => r.item) : targets.slice(0, SHOWN);
  const previous = useRef<HTMLElement | null>(null);
  useLayoutEffect(() => {
    previous.current = document.activeElement as HTMLElement | null;
    input.current?.focus();
  }, []);
  // Cancelled: focus goes back where it was. Picked: the page moves focus to what was picked.
  const cancel = () => {
    const back = previous.current;
    onClose();
    if (back?.isConnected) back.focus({ preventScroll: true });
  };
  const onKey = (e: KeyboardEvent) => {
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      cancel();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = matches.length || 1;
      setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : -1) + n) % n);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const t = matches[active];
      if (t) onPick(t);
    }
  };
  return (
    <div class="overlay switcher-overlay" onClick={(e) => e.target === e.currentTarget && cancel()}>
      <div class="dialog switcher" role="dialog" aria-modal="true" aria-label="Quick switcher">
        <input
          ref={input}
          type="text"
          class="switcher-input"
          role="combobox"
          aria-expanded="true"
          aria-controls="switcher-options"
          aria-activedescendant={matches[active] ? `switch-${active}` : undefined}
          aria-label="Go to a feed, folder, tag, saved view or box"
          placeholder="Go to… (feed, folder, tag, view)"
          value={query}
          onInput={(e) => {
            setQuery(e.currentTarget.value);
            setActive(0);
          }}
          onKeyDown={onKey}
        />
        <ul id="switcher-options" class="switcher-options" role="listbox" aria-label="Matches">
          {matches.map((t, i) => (
            <li key={`${t.kind}:${t.label}`} id={`switch-${i}`} role="option" aria-selected={i === active} class={i === active ? 'switch-option active' : 'switch-option'} onClick={() => onPick(t)} onMouseMove={() => setActive(i)}>
              <span>{t.label}</span>
              <span class="switch-kind">{t.kind}</span>
            </li>
          ))}
          {matches.length === 0 ? <li class="switch-none">Nothing matches “{query}”.</li> : null}
        </ul>
      </div>
    </div>
  );
}
