import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { png } from '../fixtures/reader/articles';
import { startWebdav, type WebdavServer } from '../webdav-server';
import { badgeText, clickToolbarButton, runListener, tabIdOf } from './capture.helpers';
import { expect, test } from './harness/fixtures';
import { storedArticle, SyncDevice } from './sync.helpers';

// Image sync (issue 16) between two browser profiles through a real WebDAV
// server: A uploads the images of a clipped page; B, which cannot reach the
// image host, takes them from the server and shows them from its own store.
let dav: WebdavServer;
test.beforeAll(async () => {
  dav = await startWebdav();
});
test.afterAll(async () => {
  await dav.dispose();
});

const PAGE = 'https://blog.example.dev/notes/canary-rollouts-with-images';
const IMAGES = {
  diagram: 'https://miro.medium.com/v2/resize:fit:1400/1*canary-split.png',
  chart: 'https://cdn-images-1.medium.com/max/1024/1*error-budget.png',
};
const TITLE = 'Canary rollouts, with pictures';

function articlePage(): string {
  const para = (i: number) => `<p>Step ${i} of the canary: shift a slice of traffic, watch the error budget burn rate, and roll back at the first sign of trouble before the whole fleet sees it.</p>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${TITLE}</title></head><body><main><article>
    <h1>${TITLE}</h1>
    ${[1, 2, 3, 4].map(para).join('')}
    <figure><img src="${IMAGES.diagram}" alt="Traffic split between stable and canary" width="320" height="160"><figcaption>Traffic split</figcaption></figure>
    ${[5, 6, 7, 8].map(para).join('')}
    <figure><img src="${IMAGES.chart}" alt="Error budget burn during the rollout" width="300" height="120"><figcaption>Error budget</figcaption></figure>
    ${[9, 10, 11, 12].map(para).join('')}
  </article></main></body></html>`;
}

test('image sync: B cannot reach the image host and shows the images it took from the server', async ({ server }) => {
  const name = `e2e-img-${process.pid}`;
  const f = { url: `${dav.url}${name}/`, user: dav.user, password: dav.pass };
  const dir = join(dav.dir, name);
  let imagesUp = true;
  server.page(PAGE, articlePage());
  server.route(IMAGES.diagram, () => (imagesUp ? { headers: { 'content-type': 'image/png' }, body: png(320, 160, [70, 130, 180]) } : { status: 503, body: 'unavailable' }));
  server.route(IMAGES.chart, () => (imagesUp ? { headers: { 'content-type': 'image/png' }, body: png(300, 120, [200, 120, 60]) } : { status: 503, body: 'unavailable' }));
  const a = await SyncDevice.launch(server.port);
  const b = await SyncDevice.launch(server.port);
  try {
    // A clips the page with the toolbar button and the shortcut; its images are stored for offline reading.
    const { context, extensionId, serviceWorker } = a.launched;
    const page = await context.newPage();
    await page.goto(PAGE);
    await clickToolbarButton(context, page, extensionId);
    const tabId = await tabIdOf(serviceWorker, page);
    await runListener(serviceWorker, 'command', 'save-page', tabId);
    await expect.poll(() => badgeText(serviceWorker, tabId)).toBe('✓');
    await expect.poll(async () => (await storedArticle(a, PAGE) as { offline?: string } | undefined)?.offline, { timeout: 20_000 }).toBe('ready');

    // A: Options → Sync, a new folder, image sync on, then sync.
    await a.fill(f);
    await a.options.getByRole('button', { name: 'Test connection' }).click();
    await a.options.getByRole('button', { name: 'Create the folder' }).click();
    await expect(a.options.getByRole('status', { name: 'Connection' })).toHaveText(/Connected/);
    const checkbox = a.options.getByRole('checkbox', { name: 'Sync images through the server' });
    await expect(checkbox).not.toBeChecked();
    await expect(a.options.getByText(/uploads the images it has stored \(2 images, [\d.]+ (B|KB)\)/)).toBeVisible();
    await checkbox.check();
    await a.turnOn(f);
    await expect(a.lastSync()).toContainText(/Last synced just now — \d+ changes sent, 0 received, 0 other browsers, 2 images uploaded\./);
    await a.options.screenshot({ path: test.info().outputPath('a-options-images.png'), fullPage: true });
    const deviceA = readdirSync(dir).find((x) => statSync(join(dir, x)).isDirectory())!;
    const files = readdirSync(join(dir, deviceA, 'img')).filter((x) => x.endsWith('.offprint'));
    expect(files).toHaveLength(2);
    for (const file of files) expect(readFileSync(join(dir, deviceA, 'img', file)).toString('latin1')).toContain('"kind":"img"');

    // The image host goes away; B turns sync on with image sync and gets the article and its images.
    imagesUp = false;
    const requestsBefore = server.requestsTo(IMAGES.diagram).length;
    await b.openOptions();
    await b.options.getByRole('checkbox', { name: 'Sync images through the server' }).check();
    await b.turnOn(f);
    await expect(b.lastSync()).toContainText('1 other browser');
    await expect.poll(async () => (await storedArticle(b, PAGE) as { offline?: string } | undefined)?.offline, { timeout: 30_000 }).toBe('ready');
    // B did ask the site first (and got 503).
    expect(server.requestsTo(IMAGES.diagram).length).toBeGreaterThan(requestsBefore);

    // B reads it with no network at all: the pictures come from its own store.
    await b.context.setOffline(true);
    const id = (await storedArticle(b, PAGE))!.id;
    const reader = await b.context.newPage();
    await reader.goto(`chrome-extension://${b.launched.extensionId}/reader.html?id=${id}`);
    const imgs = reader.locator('.article-body img');
    await expect(imgs).toHaveCount(2);
    for (const img of await imgs.all()) {
      await expect(img).toHaveAttribute('src', /^blob:/);
      await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
    }
    await expect(reader.getByText(/not stored offline yet/)).toHaveCount(0);
    await reader.getByRole('img', { name: 'Traffic split between stable and canary' }).scrollIntoViewIfNeeded();
    await reader.screenshot({ path: test.info().outputPath('b-reader-images-from-server.png') });
  } finally {
    await a.close();
    await b.close();
  }
});
