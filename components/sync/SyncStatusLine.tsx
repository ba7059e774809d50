import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { getDb } from '../../lib/db/schema';
import { sendMessage } from '../../lib/messages';
import { loadSyncStatus } from '../../lib/sync/settings';
import { useLiveQuery } from '../useLiveQuery';
import { syncedAgo } from './when';
import './sync.css';

/** One line for the popup (and library page): when the library last synced, or what went wrong. */
export function SyncStatusLine({ placement = 'popup' }: { placement?: 'popup' | 'sidebar' }) {
  const db = getDb();
  const status = useLiveQuery(() => loadSyncStatus(db), []).value;
  const [busy, setBusy] = useState(false);
  if (!status || status.state === 'off') return null;
  const problem = status.state === 'error' ? status.error : status.problems[0];
  const text =
    status.state === 'running'
      ? 'Syncing…'
      : status.lastSyncAt
        ? `Synced ${syncedAgo(status.lastSyncAt)}`
        : 'Not synced yet';
  const syncNow = async () => {
    setBusy(true);
    try {
      await sendMessage((m) => browser.runtime.sendMessage(m), 'sync:run');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class={`sync-line sync-line-${placement}${problem ? ' failed' : ''}`} role="status" aria-label="Sync">
      <span>
        {text}
        {problem ? ` · ${problem}` : ''}
        {status.problems.length > 1 ? ` (and ${status.problems.length - 1} more in Options → Sync)` : ''}
      </span>
      <button type="button" onClick={() => void syncNow()} disabled={busy || status.state === 'running'}>
        Sync now
      </button>
    </div>
  );
}
