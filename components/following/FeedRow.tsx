import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { getDb } from '../../lib/db/schema';
import { sendMessage } from '../../lib/messages';
import { formatWhen } from './when';
import type { FeedWithCounts } from './FollowingView';

/** One followed feed: its state, refresh, and unfollow with a keep/delete choice. */
export function FeedRow({ feed, kind }: { feed: FeedWithCounts; kind: string }) {
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [note, setNote] = useState<string>();
  // The icon lives on the feed's site: offline or gone, show the initial instead.
  const [iconFailed, setIconFailed] = useState(false);
  const now = Date.now();
  // The question appears below the row, often under the fold: move focus to
  // it (which scrolls it into view), and back to Unfollow on Cancel.
  const keepButton = useRef<HTMLButtonElement>(null);
  const unfollowButton = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  useEffect(() => {
    if (confirming) keepButton.current?.focus();
    else if (asked.current) unfollowButton.current?.focus();
    asked.current = confirming;
  }, [confirming]);

  const refresh = async () => {
    setBusy(true);
    setNote(undefined);
    try {
      const r = await sendMessage(browser.runtime.sendMessage, 'feeds:refresh', { feedIds: [feed.id] });
      if (!r.failed) setNote(r.added ? `${r.added} new ${r.added === 1 ? 'article' : 'articles'}.` : 'No new articles.');
    } catch (err) {
      setNote(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const unfollow = async (deleteArticles: boolean) => {
    setBusy(true);
    try {
      await sendMessage(browser.runtime.sendMessage, 'feeds:unfollow', { feedId: feed.id, deleteArticles });
    } catch (err) {
      setNote(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <li class="feed" aria-label={feed.title}>
      {feed.iconUrl && !iconFailed ? (
        <img class="feed-icon" src={feed.iconUrl} alt="" loading="lazy" referrerpolicy="no-referrer" onError={() => setIconFailed(true)} />
      ) : (
        <span class="feed-icon" aria-hidden="true">
          {feed.title.slice(0, 1).toUpperCase()}
        </span>
      )}
      <div>
        <h3 class="feed-title">{feed.title}</h3>
        <p class="feed-meta">
          {kind} · {feed.total} {feed.total === 1 ? 'article' : 'articles'} · {feed.unread} unread
        </p>
        <p class="feed-meta">
          {feed.lastCheckedAt ? `Checked ${formatWhen(feed.lastCheckedAt, now)}` : 'Not checked yet'} · Next check {feed.nextCheckAt <= now ? 'soon' : formatWhen(feed.nextCheckAt, now)}
        </p>
        {note ? (
          <p class="feed-meta" role="status">
            {note}
          </p>
        ) : null}
      </div>
      <div class="feed-actions">
        <button type="button" class="plain-button" disabled={busy} aria-label={`Refresh ${feed.title}`} onClick={() => void refresh()}>
          Refresh
        </button>
        <button ref={unfollowButton} type="button" class="plain-button" disabled={busy} aria-label={`Unfollow ${feed.title}`} onClick={() => setConfirming(true)}>
          Unfollow
        </button>
      </div>
      {feed.lastError ? (
        <p class="feed-error" role="alert">
          {feed.lastError}
          {feed.failures > 1 ? ` (failed ${feed.failures} times in a row)` : ''}
        </p>
      ) : null}
      {feed.mayHaveMissed ? (
        <p class="feed-notice" role="note">
          So many new posts arrived at once that older ones may have been missed (Medium feeds only list the latest 10).{' '}
          <button type="button" class="link-button" onClick={() => void getDb().feeds.update(feed.id, { mayHaveMissed: 0 })}>
            Dismiss
          </button>
        </p>
      ) : null}
      {confirming ? (
        <div class="feed-confirm" role="group" aria-label={`Unfollow ${feed.title}?`}>
          <p>Unfollow {feed.title}? What should happen to its {feed.total} articles? Starred ones are always kept.</p>
          <button ref={keepButton} type="button" class="plain-button" disabled={busy} onClick={() => void unfollow(false)}>
            Keep articles
          </button>
          <button type="button" class="plain-button" disabled={busy} onClick={() => void unfollow(true)}>
            Delete articles
          </button>
          <button type="button" class="link-button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : null}
    </li>
  );
}
