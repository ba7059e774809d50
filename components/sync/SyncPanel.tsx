import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { getDb } from '../../lib/db/schema';
import { sendMessage } from '../../lib/messages';
import type { ConnectionReport } from '../../lib/sync/connection';
import { EMPTY_SYNC_SETTINGS, loadSyncSettings, loadSyncStatus, saveSyncSettings, type LocalArea, type SyncSettings } from '../../lib/sync/settings';
import { formatBytes } from '../../lib/offline/storage';
import { useLiveQuery } from '../useLiveQuery';
import { syncedAgo } from './when';
import './sync.css';

const area = () => browser.storage.local as unknown as LocalArea;
const send = (m: unknown) => browser.runtime.sendMessage(m);

/**
 * Options → Sync: the WebDAV folder, user and app password (kept in this
 * browser's local extension storage only), an optional encryption
 * passphrase, Test connection with a plain answer, and the last run.
 */
export function SyncPanel() {
  const db = getDb();
  const [form, setForm] = useState<SyncSettings>(EMPTY_SYNC_SETTINGS);
  const [saved, setSaved] = useState<SyncSettings | undefined>();
  const [report, setReport] = useState<ConnectionReport | undefined>();
  const [busy, setBusy] = useState(false);
  const status = useLiveQuery(() => loadSyncStatus(db), []).value;
  // What image sync would put on the server: the images stored here.
  const images = useLiveQuery(async () => {
    let count = 0;
    let bytes = 0;
    await db.images.each((img) => {
      count += 1;
      bytes += img.bytes;
    });
    return { count, bytes };
  }, []).value;
  useEffect(() => {
    void loadSyncSettings(area()).then((s) => {
      setForm(s);
      setSaved(s);
    });
  }, []);
  const set = (patch: Partial<SyncSettings>) => setForm((f) => ({ ...f, ...patch }));

  /** Host access for the server, asked for from the click itself (the browser requires it). */
  const askAccess = (): Promise<boolean> => {
    let origin: string;
    try {
      const u = new URL(form.url.trim());
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
      origin = `${u.protocol}//${u.hostname}/*`;
    } catch {
      setReport({ ok: false, message: 'Enter the folder’s full address, starting with https://' });
      return Promise.resolve(false);
    }
    return browser.permissions.request({ origins: [origin] }).then((granted) => {
      if (!granted) setReport({ ok: false, message: `Offprint needs your permission to reach ${new URL(form.url).hostname} to sync there.` });
      return granted;
    });
  };

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (err) {
      setReport({ ok: false, message: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  const test = () => {
    const access = askAccess();
    void act(async () => {
      if (!(await access)) return;
      setReport({ ok: true, message: 'Testing…' });
      setReport(await sendMessage(send, 'sync:test', { settings: form }));
    });
  };
  const create = () => {
    const access = askAccess();
    void act(async () => {
      if (!(await access)) return;
      setReport(await sendMessage(send, 'sync:create-folder', { settings: form }));
    });
  };
  const saveAndSync = () => {
    const access = askAccess();
    void act(async () => {
      if (!(await access)) return;
      const next = { ...form, url: form.url.trim(), enabled: true };
      await saveSyncSettings(area(), next);
      setSaved(next);
      setReport(undefined);
      await sendMessage(send, 'sync:run');
    });
  };
  const syncNow = () => void act(async () => void (await sendMessage(send, 'sync:run')));
  const turnOff = () =>
    void act(async () => {
      const next = { ...form, enabled: false };
      await saveSyncSettings(area(), next);
      setSaved(next);
      await sendMessage(send, 'sync:run');
    });

  // Saved at once, like the other options; a run follows when sync is on.
  const setSyncImages = (syncImages: boolean) =>
    void act(async () => {
      set({ syncImages });
      const next = { ...(saved ?? EMPTY_SYNC_SETTINGS), syncImages };
      await saveSyncSettings(area(), next);
      setSaved(next);
      if (next.enabled) await sendMessage(send, 'sync:run');
    });

  const enabled = saved?.enabled === true;
  return (
    <section aria-labelledby="sync-heading" class="io-section">
      <h2 id="sync-heading">Sync</h2>
      <p class="io-hint">
        Keep the whole library on each of your browsers through a WebDAV folder you own (Nextcloud, ownCloud, a NAS, <code>rclone serve webdav</code>…). The address, user and app password stay in this browser only.
      </p>
      <label class="sync-field">
        Folder URL
        <input type="url" value={form.url} placeholder="https://cloud.example.com/remote.php/dav/files/me/Offprint/" onInput={(e) => set({ url: e.currentTarget.value })} />
      </label>
      <label class="sync-field">
        User name
        <input type="text" autocomplete="username" value={form.user} onInput={(e) => set({ user: e.currentTarget.value })} />
      </label>
      <label class="sync-field">
        App password
        <input type="password" autocomplete="current-password" value={form.password} onInput={(e) => set({ password: e.currentTarget.value })} />
      </label>
      <label class="sync-field">
        Encryption passphrase (optional)
        <input type="password" autocomplete="new-password" value={form.passphrase} onInput={(e) => set({ passphrase: e.currentTarget.value })} />
      </label>
      <p class="io-hint">With a passphrase the server only ever stores ciphertext; every browser needs the same passphrase, and it cannot be recovered.</p>
      <label class="sync-check">
        <input type="checkbox" checked={form.syncImages} disabled={busy} onChange={(e) => setSyncImages(e.currentTarget.checked)} /> Sync images through the server
      </label>
      <p class="io-hint" id="sync-images-hint">
        Off: each browser downloads article images from their sites. On: this browser also uploads the images it has stored
        {images ? ` (${images.count.toLocaleString('en')} image${images.count === 1 ? '' : 's'}, ${formatBytes(images.bytes)})` : ''}, which takes that much space on your server and that much upload, and takes images from the server when a site cannot be reached. With a passphrase they are encrypted like everything else. Turning this off deletes this browser’s images from the server.
      </p>
      <div class="io-row">
        <button type="button" class="io-button" disabled={busy} onClick={test}>
          Test connection
        </button>
        {report?.canCreate ? (
          <button type="button" class="io-button" disabled={busy} onClick={create}>
            Create the folder
          </button>
        ) : null}
        <button type="button" class="io-button primary" disabled={busy} onClick={saveAndSync}>
          {enabled ? 'Save and sync now' : 'Turn on sync'}
        </button>
        {enabled ? (
          <>
            <button type="button" class="io-button" disabled={busy} onClick={syncNow}>
              Sync now
            </button>
            <button type="button" class="io-button" disabled={busy} onClick={turnOff}>
              Turn off sync
            </button>
          </>
        ) : null}
      </div>
      {report ? (
        <p class={`sync-report ${report.ok ? 'ok' : 'failed'}`} role={report.ok ? 'status' : 'alert'} aria-label="Connection">
          {report.message}
        </p>
      ) : null}
      {status && status.state !== 'off' ? (
        <div role="status" aria-label="Last sync">
          <p>
            {status.state === 'running' ? 'Syncing…' : status.lastSyncAt ? `Last synced ${syncedAgo(status.lastSyncAt)}` : 'Not synced yet'}
            {status.state === 'ok' ? ` — ${status.uploaded ?? 0} changes sent, ${status.applied ?? 0} received, ${status.devices ?? 0} other browser${status.devices === 1 ? '' : 's'}${status.images ? `, ${status.images} image${status.images === 1 ? '' : 's'} uploaded` : ''}.` : ''}
          </p>
          {status.state === 'error' && status.error ? <p class="sync-report failed">{status.error}</p> : null}
          {status.problems.length ? (
            <ul class="sync-problems">
              {status.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
