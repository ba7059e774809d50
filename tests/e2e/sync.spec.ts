import { readdirSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { startWebdav, type WebdavServer } from '../webdav-server';
import { clickToolbarButton, runListener, serveCaptureFixture, tabIdOf, badgeText } from './capture.helpers';
import { expect, test } from './harness/fixtures';
import { LibraryPage } from './pages/library';
import { post, storedArticle, SyncDevice } from './sync.helpers';

// Two (and three) browser profiles syncing through a real WebDAV server:
// rclone serve webdav on 127.0.0.1, started here, with a user and password.
let dav: WebdavServer;
test.beforeAll(async () => {
  dav = await startWebdav();
});
test.afterAll(async () => {
  await dav.dispose();
});
let n = 0;
function folder() {
  const name = `e2e-${process.pid}-${++n}`;
  return { url: `${dav.url}${name}/`, user: dav.user, password: dav.pass, dir: join(dav.dir, name) };
}

/** Selects the given text in the reader's article body, as a drag over it would. */
async function selectText(page: import('@playwright/test').Page, text: string) {
  await expect(page.locator('.article-body:not(.loading)')).toContainText(text);
  await page.evaluate((needle) => {
    const walker = document.createTreeWalker(document.querySelector('.article-body')!, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const at = (n as Text).data.indexOf(needle);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(n, at);
      range.setEnd(n, at + needle.length);
      document.getSelection()!.removeAllRanges();
      document.getSelection()!.addRange(range);
      document.dispatchEvent(new Event('selectionchange'));
      return;
    }
    throw new Error(`text not found: ${needle}`);
  }, text);
}

/** Opens Options → Sync on a new folder and creates it, as a first-time user would. */
async function createFolder(device: SyncDevice, f: ReturnType<typeof folder>) {
  await device.fill(f);
  await device.options.getByRole('button', { name: 'Test connection' }).click();
  await expect(device.options.getByRole('alert', { name: 'Connection' })).toHaveText(/The folder does not exist on localhost:\d+\. Create it\?/);
  await device.options.getByRole('button', { name: 'Create the folder' }).click();
  await expect(device.options.getByRole('status', { name: 'Connection' })).toHaveText(/Connected: the folder on localhost:\d+ is reachable and writable/);
}

test.describe('library sync through WebDAV', () => {
  test('an article clipped on A is read on B, offline', async ({ server }) => {
    const f = folder();
    const fixture = serveCaptureFixture(server, 'docs-tables');
    const a = await SyncDevice.launch(server.port);
    const b = await SyncDevice.launch(server.port);
    try {
      // Clip on A with the toolbar button and the shortcut, as a person would.
      const { context, extensionId, serviceWorker } = a.launched;
      const page = await context.newPage();
      await page.goto(fixture.url);
      await clickToolbarButton(context, page, extensionId);
      const tabId = await tabIdOf(serviceWorker, page);
      await runListener(serviceWorker, 'command', 'save-page', tabId);
      await expect.poll(() => badgeText(serviceWorker, tabId)).toBe('✓');
      const title = fixture.expected.meta.title!;
      await createFolder(a, f);
      await a.turnOn(f);
      await expect(a.lastSync()).toContainText(/Last synced just now — \d+ changes sent/);

      await b.turnOn(f);
      await expect(b.lastSync()).toContainText('1 other browser');
      await b.context.setOffline(true);
      await b.popup.open();
      await b.popup.tab('Saved').click();
      await b.popup.openArticle(title);
      await expect(b.popup.page!.locator('.article-body')).toContainText('The job is killed with exit code 137 when it goes over.');
      await b.popup.page!.screenshot({ path: test.info().outputPath('b-reads-offline.png') });
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('a tag on A and a star on B made while the server is away are both kept', async ({ server }) => {
    const f = folder();
    const a = await SyncDevice.launch(server.port);
    const b = await SyncDevice.launch(server.port);
    try {
      await a.popup.open();
      const [id] = await a.popup.addArticles([post(1)]);
      await createFolder(a, f);
      await a.turnOn(f);
      await b.turnOn(f);
      await expect.poll(async () => (await storedArticle(b, post(1).url))?.title).toBe('Sync post 1');

      await dav.stop();
      try {
        const readerA = await a.context.newPage();
        await readerA.goto(`chrome-extension://${a.launched.extensionId}/reader.html?id=${id}`);
        await readerA.getByRole('combobox', { name: 'Add tag' }).fill('Incidents');
        await readerA.getByRole('combobox', { name: 'Add tag' }).press('Enter');
        await expect(readerA.getByRole('list', { name: 'Tags' })).toContainText('#incidents');
        const readerB = await b.context.newPage();
        await readerB.goto(`chrome-extension://${b.launched.extensionId}/reader.html?id=${id}`);
        await readerB.getByRole('button', { name: '☆ Star' }).click();
        await expect(readerB.getByRole('button', { name: '★ Starred' })).toBeVisible();
        await a.syncNow();
        await expect(a.lastSync()).toContainText(/Could not reach localhost:\d+/);
      } finally {
        await dav.restart();
      }
      await a.syncNow();
      await b.syncNow();
      await a.syncNow();
      for (const d of [a, b]) await expect.poll(async () => storedArticle(d, post(1).url)).toMatchObject({ tags: ['incidents'], starred: 1 });
      await b.popup.open();
      await expect(b.popup.tab('Starred')).toContainText('1');
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('deleted on A, read later on B: the later change wins, on both', async ({ server }) => {
    const f = folder();
    const a = await SyncDevice.launch(server.port);
    const b = await SyncDevice.launch(server.port);
    try {
      await a.popup.open();
      const [keptId] = await a.popup.addArticles([post(2), post(3)]);
      await createFolder(a, f);
      await a.turnOn(f);
      await b.turnOn(f);
      await expect.poll(async () => (await storedArticle(b, post(3).url))?.title).toBe('Sync post 3');
      // A deletes post 2 first; B reads it afterwards (scrolls half-way) without having synced.
      const readerA = await a.context.newPage();
      await readerA.goto(`chrome-extension://${a.launched.extensionId}/reader.html?id=${keptId}`);
      await readerA.getByRole('toolbar', { name: 'Article actions' }).getByRole('button', { name: /Delete/ }).click();
      await expect.poll(async () => (await storedArticle(a, post(2).url))?.box).toBe('trash');
      const readerB = await b.context.newPage();
      await readerB.goto(`chrome-extension://${b.launched.extensionId}/reader.html?id=${keptId}`);
      await readerB.locator('.article-body').waitFor();
      await readerB.mouse.wheel(0, 1500);
      await expect.poll(async () => (await storedArticle(b, post(2).url))?.progress ?? 0).toBeGreaterThan(0.1);
      await a.syncNow();
      await b.syncNow();
      await a.syncNow();
      for (const d of [a, b]) await expect.poll(async () => (await storedArticle(d, post(2).url))?.box).toBe('saved');
      await a.popup.open();
      await a.popup.tab('Saved').click();
      await expect(a.popup.article('Sync post 2')).toBeVisible();
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('a highlight made on A and an article note written on B: both see both', async ({ server }) => {
    const f = folder();
    const a = await SyncDevice.launch(server.port);
    const b = await SyncDevice.launch(server.port);
    try {
      await a.popup.open();
      const [id] = await a.popup.addArticles([post(7)]);
      await createFolder(a, f);
      await a.turnOn(f);
      await b.turnOn(f);
      await expect.poll(async () => (await storedArticle(b, post(7).url))?.title).toBe('Sync post 7');

      // A highlights a passage with the selection toolbar; B writes an article note, neither synced yet.
      const readerA = await a.context.newPage();
      await readerA.goto(`chrome-extension://${a.launched.extensionId}/reader.html?id=${id}`);
      await selectText(readerA, 'Paragraph 3 of post 7');
      await readerA.getByRole('toolbar', { name: 'Highlight selection' }).getByRole('button', { name: 'Yellow' }).click();
      const listA = readerA.getByRole('region', { name: 'Highlights' });
      await expect(listA.getByRole('button', { name: /^Go to highlight: Paragraph 3 of post 7/ })).toBeVisible();
      const readerB = await b.context.newPage();
      await readerB.goto(`chrome-extension://${b.launched.extensionId}/reader.html?id=${id}`);
      await readerB.getByRole('button', { name: 'Add article note' }).click();
      await readerB.getByRole('textbox', { name: 'Article note' }).fill('Compare with the **PDB** runbook.');
      await readerB.getByRole('button', { name: 'Save article note' }).click();
      await expect(readerB.getByRole('region', { name: 'Article note' }).locator('strong')).toHaveText('PDB');

      await a.syncNow();
      await b.syncNow();
      await a.syncNow();
      for (const [d, reader] of [[a, readerA], [b, readerB]] as const) {
        await expect(async () => {
          await reader.reload();
          await expect(reader.getByRole('region', { name: 'Highlights' }).getByRole('button', { name: /^Go to highlight: Paragraph 3 of post 7/ })).toBeVisible({ timeout: 5_000 });
          await expect(reader.getByRole('region', { name: 'Article note' })).toContainText('Compare with the PDB runbook.', { timeout: 5_000 });
        }).toPass({ timeout: 30_000 });
        await reader.screenshot({ path: test.info().outputPath(`${d === a ? 'a' : 'b'}-annotations.png`) });
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('a truncated file on the server is refused with a message, the rest syncs', async ({ server }) => {
    const f = folder();
    const a = await SyncDevice.launch(server.port);
    const b = await SyncDevice.launch(server.port);
    try {
      await a.popup.open();
      await a.popup.addArticles([post(4)]);
      await createFolder(a, f);
      await a.turnOn(f);
      await a.popup.addArticles([post(5)]);
      await a.syncNow();
      const deviceDir = readdirSync(f.dir).find((x) => statSync(join(f.dir, x)).isDirectory())!;
      const first = join(f.dir, deviceDir, 'seg-00000001.offprint');
      truncateSync(first, Math.floor(statSync(first).size / 2));
      await b.turnOn(f);
      await expect(b.lastSync().getByRole('listitem')).toHaveText(/A sync file from Chrom(e|ium) on Linux was refused and not applied: .*seg-00000001\.offprint \(it is .*truncated.*\)\. Everything else synced\./);
      await expect.poll(async () => (await storedArticle(b, post(5).url))?.title).toBe('Sync post 5');
      expect(await storedArticle(b, post(4).url)).toBeUndefined();
      await b.options.screenshot({ path: test.info().outputPath('options-sync-problem.png'), fullPage: true });
      const popupPage = await b.popup.open();
      await expect(popupPage.getByRole('status', { name: 'Sync' })).toContainText('was refused and not applied');
      await popupPage.screenshot({ path: test.info().outputPath('popup-sync-problem.png') });
      // The library page says the same, and Sync now there runs a sync.
      const library = await new LibraryPage(b.context, b.launched.extensionId).open();
      const line = library.getByRole('status', { name: 'Sync' });
      await expect(line).toContainText(/^Synced (just now|\d+ minutes? ago) · A sync file from .* was refused and not applied/);
      const before = await b.lastSyncAt();
      await line.getByRole('button', { name: 'Sync now' }).click();
      await expect.poll(() => b.lastSyncAt(), { timeout: 30_000 }).not.toBe(before);
      await expect(line).toContainText('was refused and not applied');
      await library.screenshot({ path: test.info().outputPath('library-sync-problem.png') });
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('a wrong app password gets a plain message', async ({ server }) => {
    const f = folder();
    const a = await SyncDevice.launch(server.port);
    try {
      await a.fill({ ...f, password: 'not-the-password' });
      await a.options.getByRole('button', { name: 'Test connection' }).click();
      await expect(a.options.getByRole('alert', { name: 'Connection' })).toHaveText(/localhost:\d+ refused the login: check the user name and the app password\./);
    } finally {
      await a.close();
    }
  });

  test('with encryption the files on disk are unreadable, and B with the passphrase reads everything', async ({ server }) => {
    const f = folder();
    const a = await SyncDevice.launch(server.port);
    const b = await SyncDevice.launch(server.port);
    try {
      await a.popup.open();
      await a.popup.addArticles([post(6, 'kubelet eviction thresholds')]);
      await createFolder(a, f);
      await a.turnOn({ ...f, passphrase: 'tulip marble seven' });
      await expect(a.lastSync()).toContainText('changes sent');
      const files = readdirSync(f.dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
      expect(files.length).toBeGreaterThan(2);
      for (const file of files) expect(readFileSync(join(file.parentPath, file.name)).toString('latin1')).not.toMatch(/Sync post|kubelet|eviction|Chromium/);

      await b.turnOn(f);
      await expect(b.lastSync()).toContainText('This sync folder is encrypted: enter its passphrase in Options → Sync.');
      await b.turnOn({ ...f, passphrase: 'tulip marble seven' });
      await expect.poll(async () => (await storedArticle(b, post(6).url))?.title).toBe('Sync post 6');
      await b.popup.open();
      await b.popup.tab('Saved').click();
      await b.popup.openArticle('Sync post 6');
      await expect(b.popup.page!.locator('.article-body')).toContainText('kubelet eviction thresholds');
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('three browsers at once end with the same library', async ({ server }) => {
    const f = folder();
    const devices = await Promise.all([0, 1, 2].map(() => SyncDevice.launch(server.port)));
    try {
      await createFolder(devices[0]!, f);
      for (const [i, d] of devices.entries()) {
        await d.popup.open();
        await d.popup.addArticles([post(10 + i), { ...post(20), title: `Same post saved on ${i}` }]);
      }
      await Promise.all(devices.map((d) => d.turnOn(f)));
      for (const d of devices) await d.syncNow();
      for (const d of devices) await d.syncNow();
      for (const d of devices) {
        for (const i of [10, 11, 12]) await expect.poll(async () => (await storedArticle(d, post(i).url))?.title).toBe(`Sync post ${i}`);
        await d.popup.open();
        await d.popup.tab('Saved').click();
        // The same post saved on all three is one article everywhere.
        await expect(d.popup.articleList.getByRole('listitem')).toHaveCount(4);
      }
    } finally {
      await Promise.all(devices.map((d) => d.close()));
    }
  });
});
