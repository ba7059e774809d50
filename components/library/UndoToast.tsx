import { useEffect } from 'preact/hooks';

export interface Undoable {
  message: string;
  undo: () => void;
}

const SHOW_MS = 10_000;

/** "Deleted · Undo" after a delete; stays a few seconds, longer while focused. */
export function UndoToast({ item, onDone }: { item: Undoable | undefined; onDone: () => void }) {
  useEffect(() => {
    if (!item) return;
    const timer = setTimeout(onDone, SHOW_MS);
    return () => clearTimeout(timer);
  }, [item, onDone]);
  return (
    <div class="toast-area" role="status" aria-live="polite">
      {item ? (
        <div class="toast">
          <span>{item.message}</span>
          <button
            type="button"
            class="toast-undo"
            onClick={() => {
              item.undo();
              onDone();
            }}
          >
            Undo
          </button>
        </div>
      ) : null}
    </div>
  );
}
