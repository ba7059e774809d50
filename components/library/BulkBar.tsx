import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { LibraryAction } from './act';
import { TagEditor } from './TagEditor';
import type { ListView } from './useArticleWindow';

/** Actions on the selected articles. */
export function BulkBar({ count, view, onAction, onClear, extra }: { count: number; view: ListView; onAction: (a: LibraryAction) => void; onClear: () => void; extra?: ComponentChildren }) {
  const [tagging, setTagging] = useState(false);
  const button = (label: string, action: LibraryAction) => (
    <button type="button" class="action small" onClick={() => onAction(action)}>
      {label}
    </button>
  );
  const clear = (
    <button type="button" class="action small" onClick={onClear}>
      Clear selection
    </button>
  );
  if (view === 'trash') {
    return (
      <div class="bulk-bar" role="toolbar" aria-label="Selected articles">
        <span class="bulk-count">{count} selected</span>
        {button('Restore', { kind: 'restore' })}
        {button('Delete forever', { kind: 'purge' })}
        {clear}
      </div>
    );
  }
  return (
    <div class="bulk-bar" role="toolbar" aria-label="Selected articles">
      <span class="bulk-count">{count} selected</span>
      {button('Mark read', { kind: 'read' })}
      {button('Mark unread', { kind: 'unread' })}
      {view === 'starred' ? button('Unstar', { kind: 'unstar' }) : button('Star', { kind: 'star' })}
      {view === 'archive' ? button('Unarchive', { kind: 'unarchive' }) : button('Archive', { kind: 'archive' })}
      <button type="button" class="action small" aria-expanded={tagging} onClick={() => setTagging((t) => !t)}>
        Tag
      </button>
      {button('Delete', { kind: 'delete' })}
      {extra}
      {clear}
      {tagging ? (
        <TagEditor
          tags={[]}
          label={`Tag ${count} selected`}
          autoFocus
          onAdd={async (tag) => {
            onAction({ kind: 'tag', tag });
            setTagging(false);
          }}
        />
      ) : null}
    </div>
  );
}
