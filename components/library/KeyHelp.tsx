import { useLayoutEffect, useRef } from 'preact/hooks';
import { LIST_KEYS } from './keys';

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select, textarea, [tabindex]:not([tabindex="-1"])';

/** The "?" overlay listing the keyboard shortcuts (those that work where the reader is, when given). */
export function KeyHelp({ onClose, keys = LIST_KEYS, title = 'Keyboard shortcuts' }: { onClose: () => void; keys?: [string, string][]; title?: string }) {
  const close = useRef<HTMLButtonElement>(null);
  const dialog = useRef<HTMLDivElement>(null);
  // Layout effects: in place as soon as the dialog is on screen, so a key
  // pressed right after it appears is not lost (plain effects wait a frame).
  useLayoutEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    close.current?.focus();
    return () => previous?.focus?.();
  }, []);
  // A modal keeps the keyboard: Tab cycles inside it, and Escape closes it
  // even after a click on its text moved focus to the page behind.
  useLayoutEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' || e.key === '?') {
        e.preventDefault();
        e.stopPropagation();
        onClose();
      } else if (e.key === 'Tab' && dialog.current) {
        const items = [...dialog.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
        if (!items.length) return;
        const at = items.indexOf(document.activeElement as HTMLElement);
        const next = e.shiftKey ? (at <= 0 ? items.length - 1 : at - 1) : at === -1 || at === items.length - 1 ? 0 : at + 1;
        e.preventDefault();
        items[next]!.focus();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onClose]);
  return (
    <div class="overlay" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={dialog} class="dialog" role="dialog" aria-modal="true" aria-labelledby="keys-title">
        <h2 id="keys-title">{title}</h2>
        <dl class="keys">
          {keys.map(([key, what]) => (
            <div key={key} class="key-row">
              <dt>
                <kbd>{key}</kbd>
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
        <button type="button" ref={close} class="action" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
