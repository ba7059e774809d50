import { expect, type BrowserContext, type Page } from '@playwright/test';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXTENSION_DIR, launchWithExtension, type LaunchedBrowser } from './harness/launch';

let patched: string | undefined;
/**
 * The built extension with access to http://localhost already granted.
 * Headless Chromium cannot show the "allow access to this site?" prompt
 * that Options → Sync raises (the permission is optional in the real
 * build); with the access granted, the same request answers yes at once.
 */
function extensionWithLocalhostAccess(): string {
  if (patched) return patched;
  const dir = join(mkdtempSync(join(tmpdir(), 'offprint-sync-ext-')), 'ext');
  cpSync(EXTENSION_DIR, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { host_permissions?: string[] };
  manifest.host_permissions = [...(manifest.host_permissions ?? []), 'http://localhost/*'];
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  patched = dir;
  return dir;
}
import { PopupPage } from './pages/popup';

/** One browser profile taking part in sync: its options page drives Options → Sync as a person would. */
export class SyncDevice {
  options!: Page;
  popup: PopupPage;

  constructor(readonly launched: LaunchedBrowser) {
    this.popup = new PopupPage(launched.context, launched.extensionId);
  }

  static async launch(port: number): Promise<SyncDevice> {
    return new SyncDevice(await launchWithExtension(port, { extensionDir: extensionWithLocalhostAccess() }));
  }

  get context(): BrowserContext {
    return this.launched.context;
  }

  async openOptions(): Promise<Page> {
    this.options ??= await this.context.newPage();
    await this.options.goto(`chrome-extension://${this.launched.extensionId}/options.html`);
    await this.options.getByRole('heading', { name: 'Sync' }).waitFor();
    return this.options;
  }

  async fill(settings: { url: string; user: string; password: string; passphrase?: string }): Promise<void> {
    const page = await this.openOptions();
    await page.getByLabel('Folder URL').fill(settings.url);
    await page.getByLabel('User name').fill(settings.user);
    await page.getByLabel('App password').fill(settings.password);
    await page.getByLabel('Encryption passphrase (optional)').fill(settings.passphrase ?? '');
  }

  /** Turns sync on (or saves and syncs) and waits for the run to finish. */
  async turnOn(settings: { url: string; user: string; password: string; passphrase?: string }): Promise<void> {
    await this.fill(settings);
    const button = this.options.getByRole('button', { name: /^(Turn on sync|Save and sync now)$/ });
    await button.click();
    await expect(this.options.getByRole('button', { name: 'Sync now', exact: true })).toBeEnabled({ timeout: 30_000 });
  }

  lastSync() {
    return this.options.getByRole('status', { name: 'Last sync' });
  }

  /** Clicks Sync now and waits until that run has finished. */
  async syncNow(): Promise<void> {
    const before = await this.lastSyncAt();
    await this.options.getByRole('button', { name: 'Sync now', exact: true }).click();
    await expect.poll(() => this.lastSyncAt(), { timeout: 30_000 }).not.toBe(before);
    await expect(this.options.getByRole('button', { name: 'Sync now', exact: true })).toBeEnabled();
  }

  /** When the last run ended (success or failure), read from the library's kv. */
  async lastSyncAt(): Promise<number | undefined> {
    return this.launched.serviceWorker.evaluate(async () => {
      const open = indexedDB.open('offprint');
      const db: IDBDatabase = await new Promise((res, rej) => {
        open.onsuccess = () => res(open.result);
        open.onerror = () => rej(open.error);
      });
      const req = db.transaction('kv').objectStore('kv').get('sync:status');
      const rec: { value?: { lastAttemptAt?: number; state?: string } } | undefined = await new Promise((res) => {
        req.onsuccess = () => res(req.result);
      });
      db.close();
      return rec?.value?.state === 'running' ? undefined : rec?.value?.lastAttemptAt;
    });
  }

  async close(): Promise<void> {
    await this.launched.close();
  }
}

/** A stored article as the library holds it, read from the profile's IndexedDB (for assertions only). */
export async function storedArticle(device: SyncDevice, url: string): Promise<{ id: string; box: string; progress: number; starred: number; tags: string[]; title: string } | undefined> {
  return device.launched.serviceWorker.evaluate(async (u) => {
    const open = indexedDB.open('offprint');
    const db: IDBDatabase = await new Promise((res, rej) => {
      open.onsuccess = () => res(open.result);
      open.onerror = () => rej(open.error);
    });
    const req = db.transaction('articles').objectStore('articles').index('url').get(u);
    const rec = await new Promise<never>((res) => {
      req.onsuccess = () => res(req.result as never);
    });
    db.close();
    return rec;
  }, url);
}

export function post(n: number, extra = '') {
  const paragraphs = Array.from({ length: 60 }, (_, i) => `<p>Paragraph ${i + 1} of post ${n} about rolling restarts and pod disruption budgets. ${extra}</p>`).join('');
  return {
    url: `https://blog.example.dev/sync-post-${n}`,
    source: 'clip' as const,
    title: `Sync post ${n}`,
    html: paragraphs,
    text: paragraphs.replace(/<[^>]+>/g, ' '),
    savedAt: Date.UTC(2026, 10, 1) + n,
  };
}
