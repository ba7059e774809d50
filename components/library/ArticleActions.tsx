import { getDb } from '../../lib/db/schema';
import type { Article } from '../../lib/db/types';
import { useState } from 'preact/hooks';
import { act, describeFailure, type LibraryAction } from './act';
import { TagEditor } from './TagEditor';

interface Props {
  article: Article;
  /** After a delete: the parent offers undo and moves on. */
  onDeleted: (article: Article) => void;
  showTags?: boolean;
}

/** Read/unread, star, archive, delete and tags for the open article. */
export function ArticleActions({ article, onDeleted, showTags = true }: Props) {
  const db = getDb();
  const [failure, setFailure] = useState('');
  const run = (action: LibraryAction) =>
    act(db, [article.id], action).then(
      () => setFailure(''),
      (err: unknown) => {
        setFailure(describeFailure(err));
        throw err;
      },
    );
  const archived = article.box === 'archive';
  return (
    <div class="article-actions">
      <div class="action-buttons" role="toolbar" aria-label="Article actions">
        <button type="button" class="action" aria-pressed={article.starred === 1} onClick={() => void run({ kind: article.starred ? 'unstar' : 'star' }).catch(() => undefined)} title="Star (s)">
          {article.starred ? '★ Starred' : '☆ Star'}
        </button>
        <button type="button" class="action" onClick={() => void run({ kind: archived ? 'unarchive' : 'archive' }).catch(() => undefined)} title="Archive (e)">
          {archived ? 'Unarchive' : 'Archive'}
        </button>
        <button type="button" class="action" onClick={() => void run({ kind: article.isRead ? 'unread' : 'read' }).catch(() => undefined)} title="Read/unread (m)">
          {article.isRead ? 'Mark unread' : 'Mark read'}
        </button>
        <button
          type="button"
          class="action danger"
          onClick={() => void run({ kind: 'delete' }).then(() => onDeleted(article), () => undefined)}
          title="Delete (#)"
        >
          Delete
        </button>
      </div>
      {failure ? (
        <p class="field-error" role="alert">
          {failure}
        </p>
      ) : null}
      {showTags ? (
        <TagEditor tags={article.tags} onAdd={(tag) => run({ kind: 'tag', tag })} onRemove={(tag) => run({ kind: 'untag', tag })} />
      ) : null}
    </div>
  );
}
