import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { decodeFile } from '../../../lib/sync/format';
import { png } from '../../fixtures/reader/articles';
import type { SegmentPayload } from '../../../lib/sync/wire';
import { startWebdav, type WebdavServer } from '../../webdav-server';
import { FirefoxContext } from './adapter';
import { launchFirefox } from './browser';
import { pageObjects } from './fixtures';
import { expect, test } from './fixtures';
import { storedRecords } from './helpers';

// Library sync in a real Firefox: Options → Sync asks for host access to the
// server with the real optional-permission request (the build does not have
// it; extensions.webextOptionalPermissionPrompts=false answers the prompt,
// which a headless browser cannot show), and a clip goes from one Firefox
// profile to another through rclone serve webdav on 127.0.0.1.

let dav: WebdavServer;
test.beforeAll(async () => {
  dav = await startWebdav();
});
test.afterAll(async () => {
  await dav.dispose();
});

const IMAGE = 'https://cdn-images-1.medium.com/max/1024/1*drain-order.png';
const POST = {
  url: 'https://blog.example.dev/firefox-sync-post',
  source: 'clip' as const,
  title: 'Drain nodes before you patch them',
  html: `<p>Cordon first, then drain with a pod disruption budget in place.</p><img src="${IMAGE}" alt="Drain order" width="320" height="160">`,
  text: 'Cordon first, then drain with a pod disruption budget in place.',
  savedAt: Date.UTC(2026, 10, 3),
};

function hasAccess(page: Page, origin: string): Promise<boolean> {
  return page.evaluate((o) => (globalThis as unknown as { browser: { permissions: { contains(p: object): Promise<boolean> } } }).browser.permissions.contains({ origins: [o] }), origin);
}

/** Fills Options → Sync and turns sync on, as a person would; waits for the first run to end. */
async function turnOn(page: Page, settings: { url: string; user: string; password: string }, opts: { create?: boolean } = {}) {
  await page.getByLabel('Folder URL').fill(settings.url);
  await page.getByLabel('User name').fill(settings.user);
  await page.getByLabel('App password').fill(settings.password);
  if (opts.create) {
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect(page.getByRole('alert', { name: 'Connection' })).toHaveText(/The folder does not exist on localhost:\d+\. Create it\?/, { timeout: 30_000 });
    await page.getByRole('button', { name: 'Create the folder' }).click();
    await expect(page.getByRole('status', { name: 'Connection' })).toHaveText(/Connected: the folder on localhost:\d+ is reachable and writable/, { timeout: 30_000 });
  }
  await page.getByRole('button', { name: 'Turn on sync' }).click();
  await expect(page.getByRole('status', { name: 'Last sync' })).toContainText(/Last synced just now/, { timeout: 30_000 });
}

test('Options → Sync asks for host access to the server (granted by the real request), and a clip reaches a second Firefox profile, its image through the server', async ({ context, origin, popup, server }) => {
  test.setTimeout(150_000);
  const name = `firefox-${process.pid}`;
  const folder = { url: `${dav.url}${name}/`, user: dav.user, password: dav.pass };
  const hostPattern = `${new URL(dav.url).protocol}//${new URL(dav.url).hostname}/*`;

  // The image's host answers A, then goes away before B syncs (image sync, issue 16).
  let imageUp = true;
  server.route(IMAGE, () => (imageUp ? { headers: { 'content-type': 'image/png' }, body: png(320, 160, [40, 90, 160]) } : { status: 503, body: 'unavailable' }));
  await popup.open();
  await popup.addArticles([POST]);
  const options = await context.newPage();
  await options.goto(`${origin}/options.html`);
  await options.getByRole('heading', { name: 'Sync' }).waitFor();
  await expect.poll(async () => (await storedRecords(options, 'images')).length).toBe(1);
  await options.getByRole('checkbox', { name: 'Sync images through the server' }).click();
  // The build does not have access to the server yet: only the click asks for it.
  expect(await hasAccess(options, hostPattern)).toBe(false);
  await turnOn(options, folder, { create: true });
  expect(await hasAccess(options, hostPattern)).toBe(true);
  await expect(options.getByRole('status', { name: 'Last sync' })).toContainText(/\d+ changes? sent.*1 image uploaded/);
  await options.screenshot({ path: test.info().outputPath('firefox-options-sync.png') });

  // The server holds this device's files, whole, with the clip in them.
  const dir = join(dav.dir, name);
  const device = readdirSync(dir).find((x) => statSync(join(dir, x)).isDirectory())!;
  const seg = readdirSync(join(dir, device)).find((x) => x.startsWith('seg-'))!;
  const { payload } = await decodeFile<SegmentPayload>(new Uint8Array(readFileSync(join(dir, device, seg))), undefined, { kind: 'seg', device, seq: Number(seg.slice(4, 12)) });
  expect(payload.changes.some((c) => c.t === 'articles' && c.r?.title?.[1] === POST.title)).toBe(true);

  // A second Firefox profile turns sync on the same way and gets the article, to read offline.
  const second = await launchFirefox({ port: server.port });
  try {
    const ctxB = new FirefoxContext(second.browser);
    const b = pageObjects(ctxB, second);
    const optionsB = await (ctxB as unknown as BrowserContext).newPage();
    await optionsB.goto(`${second.origin}/options.html`);
    await optionsB.getByRole('heading', { name: 'Sync' }).waitFor();
    expect(await hasAccess(optionsB, hostPattern)).toBe(false);
    imageUp = false;
    await optionsB.getByRole('checkbox', { name: 'Sync images through the server' }).click();
    await turnOn(optionsB, folder);
    expect(await hasAccess(optionsB, hostPattern)).toBe(true);
    await expect(optionsB.getByRole('status', { name: 'Last sync' })).toContainText('1 other browser');
    await expect.poll(async () => (await storedRecords<{ title: string }>(optionsB, 'articles')).map((a) => a.title)).toEqual([POST.title]);
    await expect.poll(async () => (await storedRecords<{ url: string }>(optionsB, 'images')).map((i) => i.url), { timeout: 30_000 }).toEqual([IMAGE]);
    // B reads it with the network off, from the popup's list and in the reader.
    const [stored] = await storedRecords<{ id: string }>(optionsB, 'articles');
    await (ctxB as unknown as BrowserContext).setOffline(true);
    const popupB = await b.popup.open();
    await b.popup.tab('Saved').click();
    await b.popup.openArticle(POST.title);
    await expect(popupB.locator('.article-body')).toContainText('Cordon first, then drain');
    await popupB.screenshot({ path: test.info().outputPath('firefox-b-popup.png') });
    const readerB = await b.reader.open(stored!.id);
    await expect(readerB.getByRole('heading', { level: 1, name: POST.title })).toBeVisible();
    await expect(readerB.locator('.article-body')).toContainText('Cordon first, then drain');
    // Its image came from the server (the site answered 503) and shows from B's own store.
    const img = readerB.locator('.article-body img');
    await expect(img).toHaveAttribute('src', /^blob:moz-extension:/);
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
    await readerB.screenshot({ path: test.info().outputPath('firefox-b-reader-image.png') });
  } finally {
    await second.close();
  }
});
