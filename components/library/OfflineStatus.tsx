import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { getDb } from '../../lib/db/schema';
import { sendMessage } from '../../lib/messages';
import { PROGRESS_KEY, type OfflineProgress } from '../../lib/offline/images';
import { formatBytes, storageUse, type StorageUse } from '../../lib/offline/storage';
import { useLiveQuery } from '../useLiveQuery';

/** Popup footer: space used, and "Make all unread offline-ready" with progress. */
export function OfflineStatus() {
  const db = getDb();
  const [use, setUse] = useState<StorageUse | undefined>();
  const [error, setError] = useState('');
  // The last run's outcome is only news to the person who started it.
  const [startedHere, setStartedHere] = useState(false);
  const progress = useLiveQuery(async () => (await db.kv.get(PROGRESS_KEY))?.value as OfflineProgress | undefined, []);
  const running = progress.value?.running === true;
  useEffect(() => {
    void storageUse(navigator.storage).then(setUse);
  }, [running]);
  const start = async () => {
    setError('');
    setStartedHere(true);
    try {
      const result = await sendMessage((m) => browser.runtime.sendMessage(m), 'offline:makeUnreadReady');
      if (result.error) setError(result.error);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const p = progress.value;
  return (
    <footer class="popup-footer">
      <span class="storage">
        {use ? `Library uses ${formatBytes(use.usage)}` : ''}
        {use && use.quota > 0 && use.usage / use.quota > 0.95 ? ' · disk almost full' : ''}
      </span>
      {running && p ? (
        <span class="progress-text" role="status">
          Making offline-ready… {p.done}/{p.total}
          <progress max={p.total || 1} value={p.done} aria-label="Offline download progress" />
        </span>
      ) : (
        <button type="button" class="link-button" onClick={() => void start()}>
          Make all unread offline-ready
        </button>
      )}
      {!running && p?.interrupted ? (
        <p class="error" role="alert">
          Making all unread offline-ready stopped at {p.done} of {p.total}: the browser stopped Offprint’s background before it finished. Nothing was lost.{' '}
          <button type="button" class="link-button" onClick={() => void start()}>
            Retry
          </button>
        </p>
      ) : null}
      {startedHere && !running && p && !p.interrupted && !error && !p.error ? (
        <span class="progress-text" role="status">
          {p.incomplete ? `Done. ${p.incomplete} ${p.incomplete === 1 ? 'article is' : 'articles are'} still missing images (you are offline, or their site did not answer).` : 'All unread articles are offline-ready.'}
        </span>
      ) : null}
      {error || p?.error ? (
        <p class="error" role="alert">
          {error || p?.error}
        </p>
      ) : null}
    </footer>
  );
}
