import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { getDb } from '../../lib/db/schema';
import type { Feed } from '../../lib/db/types';
import { feedCounts, kindLabel } from '../../lib/feeds/follow';
import { sendMessage, type FollowReply } from '../../lib/messages';
import { useLiveQuery } from '../useLiveQuery';
import { followFromPopup } from './follow-action';
import { FeedRow } from './FeedRow';
import { followedText, ShowHiddenReplies } from './HiddenReplies';
import './following.css';

export type FeedWithCounts = Feed & { total: number; unread: number };

async function loadFeeds(): Promise<FeedWithCounts[]> {
  const db = getDb();
  const feeds = await db.feeds.toArray();
  const withCounts = await Promise.all(feeds.map(async (f) => ({ ...f, ...(await feedCounts(db, f.id)) })));
  return withCounts.sort((a, b) => a.title.localeCompare(b.title));
}

/** The Following view: follow by hand, and every followed feed with its state. */
export function FollowingView() {
  const feeds = useLiveQuery(loadFeeds, []);
  const [refreshing, setRefreshing] = useState(false);
  const [status, setStatus] = useState<{ text: string; error?: boolean }>();

  const refreshAll = async () => {
    setRefreshing(true);
    setStatus({ text: 'Checking every feed…' });
    try {
      const r = await sendMessage(browser.runtime.sendMessage, 'feeds:refresh', {});
      const hidden = r.hiddenReplies ? `; ${r.hiddenReplies} new author ${r.hiddenReplies === 1 ? 'reply' : 'replies'} hidden by your settings (each feed’s row can show them)` : '';
      setStatus({ text: `Checked ${r.checked} ${r.checked === 1 ? 'feed' : 'feeds'}: ${r.added} new ${r.added === 1 ? 'article' : 'articles'}${r.failed ? `, ${r.failed} failed` : ''}${hidden}.` });
    } catch (err) {
      setStatus({ text: err instanceof Error ? err.message : String(err), error: true });
    } finally {
      setRefreshing(false);
    }
  };

  return (
    <div class="following">
      <FollowForm />
      {feeds.error ? (
        <p class="error" role="alert">
          Could not read your feeds: {feeds.error.message}
        </p>
      ) : null}
      {feeds.value && feeds.value.length === 0 ? (
        <p class="empty">You are not following anyone yet. Open a Medium author’s page and click Follow, or paste an address above.</p>
      ) : null}
      {feeds.value && feeds.value.length > 0 ? (
        <>
          <div class="following-toolbar">
            <h2 id="feeds-heading">
              {feeds.value.length} {feeds.value.length === 1 ? 'feed' : 'feeds'}
            </h2>
            <button type="button" class="plain-button" disabled={refreshing} onClick={() => void refreshAll()}>
              Refresh all
            </button>
          </div>
          {status ? (
            <p class={status.error ? 'follow-status error' : 'follow-status'} role={status.error ? 'alert' : 'status'}>
              {status.text}
            </p>
          ) : null}
          <ul class="feeds" aria-labelledby="feeds-heading">
            {feeds.value.map((f) => (
              <FeedRow key={f.id} feed={f} kind={kindLabel(f.kind)} />
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

function FollowForm() {
  const [input, setInput] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ text: string; error?: boolean; reply?: FollowReply }>();
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!input.trim()) {
      setStatus({ text: 'Type an @handle, a Medium or site address, or a feed URL first.', error: true });
      return;
    }
    setBusy(true);
    setStatus({ text: 'Fetching the feed…' });
    try {
      const reply = await followFromPopup(input.trim());
      setStatus({ text: followedText(reply.title, reply), reply });
      setInput('');
    } catch (err) {
      setStatus({ text: err instanceof Error ? err.message : String(err), error: true });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="follow-form-wrap" onSubmit={(e) => void submit(e)}>
      <label class="follow-form-label" for="follow-input">
        Follow an author or feed: an @handle, a Medium or site address, or a feed URL
      </label>
      <div class="follow-form">
        <input id="follow-input" type="text" value={input} placeholder="@handle or https://…" onInput={(e) => setInput(e.currentTarget.value)} disabled={busy} />
        <button type="submit" class="primary-button" disabled={busy}>
          Follow
        </button>
      </div>
      {status ? (
        <p class={status.error ? 'follow-status error' : 'follow-status'} role={status.error ? 'alert' : 'status'}>
          {status.text}
        </p>
      ) : null}
      {status?.reply?.hiddenReplies ? <ShowHiddenReplies feedId={status.reply.feedId} count={status.reply.hiddenReplies} /> : null}
    </form>
  );
}
