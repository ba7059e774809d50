import { useEffect, useRef } from 'preact/hooks';
import { LIST_KEYS } from './keys';

/** The "?" overlay listing every keyboard shortcut. */
export function KeyHelp({ onClose }: { onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    close.current?.focus();
    return () => previous?.focus?.();
  }, []);
  return (
    <div class="overlay" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div
        class="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="keys-title"
        onKeyDown={(e) => {
          if (e.key === 'Escape' || e.key === '?') {
            e.preventDefault();
            e.stopPropagation();
            onClose();
          }
        }}
      >
        <h2 id="keys-title">Keyboard shortcuts</h2>
        <dl class="keys">
          {LIST_KEYS.map(([key, what]) => (
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
