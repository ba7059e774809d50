import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { getDb } from '../../lib/db/schema';
import type { Feed } from '../../lib/db/types';
import { kindLabel } from '../../lib/feeds/follow';
import { moveFeedToFolder, renameFeed } from '../../lib/feeds/manage';
import { sendMessage } from '../../lib/messages';
import { formatWhen } from '../following/when';

/** A feed's name, folder, state and last error in plain words, with rename, move, refresh and unfollow. */
export function FeedManager({ feed, folders, onClose, onUnfollowed }: { feed: Feed; folders: string[]; onClose: () => void; onUnfollowed: () => void }) {
  const db = getDb();
  const [name, setName] = useState(feed.title);
  const [folder, setFolder] = useState(feed.folder ?? '');
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ text: string; error?: boolean }>();
  const [confirming, setConfirming] = useState(false);
  useEffect(() => {
    setName(feed.title);
    setFolder(feed.folder ?? '');
    setNote(undefined);
    setConfirming(false);
    // Only another feed resets the form; a poll updating this feed must not wipe what is being typed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [feed.id]);
  const now = Date.now();
  const run = async (what: () => Promise<string | undefined>) => {
    setBusy(true);
    try {
      const text = await what();
      setNote(text ? { text } : undefined);
    } catch (err) {
      setNote({ text: err instanceof Error ? err.message : String(err), error: true });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="feed-manager" aria-label={`Manage ${feed.title}`}>
      <div class="feed-manager-head">
        <h2>{feed.title}</h2>
        <button type="button" class="link-button" onClick={onClose}>
          Done
        </button>
      </div>
      <p class="feed-meta">
        {kindLabel(feed.kind)} · {feed.lastCheckedAt ? `checked ${formatWhen(feed.lastCheckedAt, now)}` : 'not checked yet'} · next check {feed.nextCheckAt <= now ? 'soon' : formatWhen(feed.nextCheckAt, now)}
      </p>
      {feed.lastError ? (
        <p class="feed-problem" role="alert">
          {feed.lastError}
          {feed.failures > 1 ? ` (failed ${feed.failures} times in a row)` : ''}
        </p>
      ) : null}
      <form
        class="feed-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            if (name.trim() !== feed.title) await renameFeed(db, feed.id, name);
            if (folder.trim() !== (feed.folder ?? '')) await moveFeedToFolder(db, feed.id, folder);
            return 'Saved.';
          });
        }}
      >
        <label class="field">
          Name
          <input type="text" class="text-input" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label class="field">
          Folder
          <input type="text" class="text-input" list="library-folders" placeholder="No folder" value={folder} onInput={(e) => setFolder(e.currentTarget.value)} />
          <datalist id="library-folders">
            {folders.map((f) => (
              <option key={f} value={f} />
            ))}
          </datalist>
        </label>
        <button type="submit" class="primary-button" disabled={busy}>
          Save
        </button>
      </form>
      <div class="feed-manager-actions">
        <button
          type="button"
          class="action small"
          disabled={busy}
          onClick={() =>
            void run(async () => {
              const r = await sendMessage(browser.runtime.sendMessage, 'feeds:refresh', { feedIds: [feed.id] });
              return r.failed ? undefined : r.added ? `${r.added} new ${r.added === 1 ? 'article' : 'articles'}.` : 'No new articles.';
            })
          }
        >
          Refresh
        </button>
        <button type="button" class="action small danger" disabled={busy} onClick={() => setConfirming(true)}>
          Unfollow
        </button>
      </div>
      {confirming ? (
        <div class="feed-confirm" role="group" aria-label={`Unfollow ${feed.title}?`}>
          <p>Unfollow {feed.title}? Its articles can stay in your library or go to Trash. Starred ones are always kept.</p>
          {[false, true].map((deleteArticles) => (
            <button
              key={String(deleteArticles)}
              type="button"
              class="action small"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  await sendMessage(browser.runtime.sendMessage, 'feeds:unfollow', { feedId: feed.id, deleteArticles });
                  onUnfollowed();
                  return undefined;
                })
              }
            >
              {deleteArticles ? 'Delete articles' : 'Keep articles'}
            </button>
          ))}
          <button type="button" class="link-button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : null}
      {note ? (
        <p class={note.error ? 'field-error' : 'feed-meta'} role={note.error ? 'alert' : 'status'}>
          {note.text}
        </p>
      ) : null}
    </section>
  );
}
