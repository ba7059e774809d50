import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { getDb } from '../../lib/db/schema';
import { listTags } from '../../lib/library/actions';
import { useLiveQuery } from '../useLiveQuery';

interface Props {
  tags: string[];
  onAdd: (tag: string) => Promise<void>;
  onRemove?: (tag: string) => Promise<void>;
  /** Label of the input, e.g. "Add tag" or "Tag 3 selected". */
  label?: string;
  /** Put the cursor in the box at once (bulk Tag), so typing goes there and not to the list's keys. */
  autoFocus?: boolean;
}

/** Tag chips with remove buttons and an input that suggests existing tags. */
export function TagEditor({ tags, onAdd, onRemove, label = 'Add tag', autoFocus = false }: Props) {
  const input = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => {
    if (autoFocus) input.current?.focus();
  }, [autoFocus]);
  const all = useLiveQuery(() => listTags(getDb()), []);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState('');
  const listId = 'known-tags';
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!draft.trim()) return;
    try {
      await onAdd(draft);
      setDraft('');
      setError('');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <div class="tag-editor">
      {tags.length ? (
        <ul class="tags" aria-label="Tags">
          {tags.map((t) => (
            <li key={t} class="tag" title={`#${t}`}>
              <span class="tag-name">#{t}</span>
              {onRemove ? (
                <button type="button" class="tag-remove" aria-label={`Remove tag ${t}`} onClick={() => void onRemove(t)}>
                  ×
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      <form class="tag-form" onSubmit={(e) => void submit(e)}>
        <input
          ref={input}
          type="text"
          class="tag-input"
          aria-label={label}
          placeholder={`${label}…`}
          list={listId}
          value={draft}
          onInput={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={(e) => e.stopPropagation()}
        />
        <datalist id={listId}>{all.value?.filter((t) => !tags.includes(t)).map((t) => <option key={t} value={t} />)}</datalist>
      </form>
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
