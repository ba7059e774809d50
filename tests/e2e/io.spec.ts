import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './harness/fixtures';
import { launchWithExtension } from './harness/launch';
import { readStore } from './harness/stored';
import { ExtensionPage } from './pages/extension-page';

const FIXTURES = resolve('tests/fixtures/io');

/** The real samples live in shared/ beside the clone (../shared/seeds); never copied into the repo. */
function seedsDir(): string | undefined {
  for (let dir = resolve('..'); ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'seeds');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The options page's import and export sections. */
class OptionsIo extends ExtensionPage {
  get view(): Page {
    return this.current;
  }

  async open(): Promise<Page> {
    const page = await this.openPath('options.html');
    await page.getByRole('heading', { name: 'Import', exact: true }).waitFor();
    return page;
  }

  async importFiles(paths: string[]): Promise<void> {
    await this.current.getByLabel('Choose files to import').setInputFiles(paths);
  }

  fileRow(name: string): Locator {
    return this.current.getByRole('list', { name: 'Imported files' }).getByRole('listitem', { name, exact: true });
  }

  async download(button: string): Promise<string> {
    const [download] = await Promise.all([this.current.waitForEvent('download'), this.current.getByRole('button', { name: button }).click()]);
    const path = test.info().outputPath(download.suggestedFilename());
    await download.saveAs(path);
    return path;
  }

  /** Waits until the background has finished with imported articles (images cached, offline state set). */
  async settled(): Promise<void> {
    await expect.poll(async () => (await this.all<{ offline: string }>('articles')).filter((a) => a.offline === 'pending').length).toBe(0);
  }

  /** Reads a whole object store through IndexedDB, as the extension stores it. */
  async all<T>(store: string): Promise<T[]> {
    return readStore<T>(this.current, store);
  }
}

interface StoredArticle {
  id: string;
  title: string;
  author?: string;
  url: string;
  publishedAt?: number;
  leadImage?: string;
  source: string;
}

test('importing the five real samples gives readable, searchable articles and flags the 002/003 overlap', async ({ context, extensionId, reader }) => {
  const dir = seedsDir();
  test.skip(!dir, 'shared/seeds is not beside this clone');
  const files = readdirSync(dir!).filter((f) => /^\d{3}_.*\.txt$/.test(f)).sort();
  expect(files).toHaveLength(5);
  const path = (prefix: string) => join(dir!, files.find((f) => f.startsWith(prefix))!);

  const options = new OptionsIo(context, extensionId);
  const page = await options.open();
  await options.importFiles(files.map((f) => join(dir!, f)));

  await expect(options.fileRow(files[0]!)).toContainText('Imported 9 articles', { timeout: 30_000 });
  await expect(options.fileRow(files[1]!)).toContainText('Imported 10 articles', { timeout: 30_000 });
  for (const f of files.slice(2)) await expect(options.fileRow(f)).toContainText('Imported 1 article', { timeout: 30_000 });
  await expect(options.fileRow(files[0]!)).toContainText('JSON posts page');
  await expect(options.fileRow(files[1]!)).toContainText('RSS/Atom feed');
  await expect(page.getByRole('status').filter({ hasText: 'Import finished' })).toContainText('22 new articles');

  const articles = await options.all<StoredArticle>('articles');
  const contents = await options.all<{ id: string; html: string; text: string }>('contents');
  const text = new Map(contents.map((c) => [c.id, c]));
  expect(articles).toHaveLength(22);

  // The posts page: every post with its title, author, date, lead image and a clean URL.
  const posts = (JSON.parse(readFileSync(path('000'), 'utf8')) as { posts: { title: string; publishedAt: string; mediumUsername: string; url: string }[] }).posts;
  for (const post of posts) {
    const stored = articles.find((a) => a.title === post.title.trim());
    expect(stored, post.title).toBeDefined();
    expect(stored!.publishedAt).toBe(Date.parse(post.publishedAt));
    expect(stored!.author).toBeTruthy();
    expect(stored!.url).not.toContain('source=');
    expect(text.get(stored!.id)!.text.length).toBeGreaterThan(500);
  }

  // The Medium feed: titles, authors, dates; no tracking pixel stored.
  const feedXml = readFileSync(path('001'), 'utf8');
  const feedTitles = [...feedXml.matchAll(/<item>\s*<title><!\[CDATA\[([\s\S]*?)\]\]><\/title>/g)].map((m) => m[1]!.trim());
  expect(feedTitles).toHaveLength(10);
  for (const title of feedTitles) {
    const stored = articles.find((a) => a.title === title);
    expect(stored, title).toBeDefined();
    expect(stored!.author).toBeTruthy();
    expect(stored!.publishedAt).toBeGreaterThan(Date.UTC(2015, 0, 1));
    expect(text.get(stored!.id)!.html).not.toContain('medium.com/_/stat');
  }

  // Both read like any article: title, byline with author and date, body.
  for (const title of [posts[0]!.title.trim(), feedTitles[0]!]) {
    const stored = articles.find((a) => a.title === title)!;
    await reader.open(stored.id);
    await expect(reader.title).toHaveText(title);
    const byline = reader.page!.locator('.byline');
    await expect(byline).toContainText(stored.author!);
    await expect(byline).toContainText(String(new Date(stored.publishedAt!).getFullYear()));
    expect(await reader.body.locator('p').count()).toBeGreaterThan(3);
  }

  // Text captures: the first line of 002 is its title; paragraphs survive; words are searchable.
  const firstLine = readFileSync(path('002'), 'utf8').split('\n')[0]!.trim();
  const capture = articles.find((a) => a.title === firstLine)!;
  expect(capture).toBeDefined();
  expect(text.get(capture.id)!.text).toContain('CrashLoopBackOff');
  expect((text.get(capture.id)!.html.match(/<p>/g) ?? []).length).toBeGreaterThan(100);

  await reader.open(capture.id);
  await expect(reader.title).toHaveText(firstLine);
  expect(await reader.body.locator('p').count()).toBeGreaterThan(100);
  await expect(reader.body.locator('pre').filter({ hasText: 'kind: PodDisruptionBudget' })).toHaveCount(1);

  const linkedIn = articles.find((a) => a.id !== capture.id && text.get(a.id)!.text.normalize('NFKC').includes('Kubernetes') && a.source === 'import' && /Kubernetes Core Architecture/.test(a.title));
  expect(linkedIn).toBeDefined();

  // The overlap of 002 and 003 is flagged, and nothing else is.
  const podmanLine = readFileSync(path('003'), 'utf8').split('\n')[0]!;
  const podman = articles.find((a) => podmanLine.startsWith(a.title.replace(/…$/, '')))!;
  expect(podman).toBeDefined();
  const groups = page.getByRole('list', { name: 'Near-duplicate groups' }).getByRole('listitem').filter({ hasText: 'copies' });
  await expect(groups).toHaveCount(1);
  await expect(groups.first()).toContainText(firstLine);
  await expect(groups.first()).toContainText(podman.title);
  await page.screenshot({ path: test.info().outputPath('options-after-seeds.png'), fullPage: true });

  // Keep the longer capture: the other goes to Trash.
  await groups.first().getByRole('button', { name: `Keep “${firstLine}”` }).click();
  await expect(page.getByText(`Kept “${firstLine}”`)).toBeVisible();
  await expect(groups).toHaveCount(0);
  const after = await options.all<StoredArticle & { box: string }>('articles');
  expect(after.find((a) => a.id === podman.id)!.box).toBe('trash');
  expect(after.find((a) => a.id === capture.id)!.box).toBe('saved');
});

test('bad files get a clear message each, and the library is untouched', async ({ context, extensionId }) => {
  const options = new OptionsIo(context, extensionId);
  await options.open();
  await options.importFiles([join(FIXTURES, 'capture.txt')]);
  await expect(options.fileRow('capture.txt')).toContainText('Imported 1 article');
  await options.settled();
  const before = await options.all('articles');

  await options.view.getByLabel('Choose files to import').setInputFiles([
    { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"posts": [{"title": "cut off') },
    { name: 'photo.txt', mimeType: 'text/plain', buffer: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]) },
    { name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from('name,age\nAda,36\n') },
  ]);
  await expect(options.fileRow('broken.json').getByRole('alert')).toContainText('looks like JSON but is broken');
  await expect(options.fileRow('photo.txt').getByRole('alert')).toContainText('not a text file');
  await expect(options.fileRow('people.csv').getByRole('alert')).toContainText('not an export Offprint knows');
  await expect(options.view.getByRole('status').filter({ hasText: 'Import finished' })).toContainText('3 files not imported');
  await options.view.screenshot({ path: test.info().outputPath('options-bad-files.png') });
  expect(await options.all('articles')).toEqual(before);
});

test('follows exported as OPML import into a fresh profile; a backup restores the library there', async ({ context, extensionId, server }) => {
  const options = new OptionsIo(context, extensionId);
  await options.open();
  await options.importFiles([join(FIXTURES, 'feedly.opml'), join(FIXTURES, 'netnewswire.opml'), join(FIXTURES, 'notes.md'), join(FIXTURES, 'pocket-export.csv')]);
  await expect(options.fileRow('feedly.opml')).toContainText('Following 3 new feeds.');
  await expect(options.fileRow('netnewswire.opml')).toContainText('Following 2 new feeds.');
  await expect(options.fileRow('pocket-export.csv')).toContainText('Imported 3 articles');
  // The background mirrors the follows into storage.sync for the user's other browsers.
  await expect
    .poll(() =>
      options.view.evaluate(async () => {
        const all = (await chrome.storage.sync.get(null)) as Record<string, unknown>;
        const n = Number(all['offprint.follows.n'] ?? 0);
        let json = '';
        for (let i = 0; i < n; i++) json += String(all[`offprint.follows.${i}`]);
        return json ? (JSON.parse(json) as { follows: unknown[] }).follows.length : 0;
      }),
    )
    .toBe(5);
  const opmlPath = await options.download('Export follows as OPML');
  expect(readFileSync(opmlPath, 'utf8')).toContain('xmlUrl="https://medium.com/feed/@anaops"');
  // Chrome holds a page's second download for a “download multiple files” prompt; a fresh load starts over.
  await options.open();
  const backupPath = await options.download('Download backup');
  await expect(options.view.getByText(/Backup downloaded: 4 articles, 5 follows/)).toBeVisible();

  const fresh = await launchWithExtension(server.port);
  try {
    const other = new OptionsIo(fresh.context, fresh.extensionId);
    await other.open();
    expect(await other.all('feeds')).toHaveLength(0);
    await other.importFiles([opmlPath]);
    await expect(other.fileRow(opmlPath.split('/').pop()!)).toContainText('Following 5 new feeds.');
    const feeds = await other.all<{ url: string; folder?: string; title: string }>('feeds');
    expect(feeds.map((f) => [f.url, f.folder]).sort()).toEqual([
      ['https://infra-notes.example.dev/feed.rss', 'Engineering / Infra'],
      ['https://medium.com/feed/@anaops', 'DevOps'],
      ['https://medium.com/feed/tag/kubernetes', 'Kubernetes'],
      ['https://opsdigest.example.io/index.xml', undefined],
      ['https://sre.example.org/feed.xml', 'DevOps'],
    ]);
    expect(feeds.find((f) => f.url.endsWith('sre.example.org/feed.xml'))!.title).toBe('Platform & SRE Weekly');

    await other.importFiles([backupPath]);
    await expect(other.fileRow(backupPath.split('/').pop()!)).toContainText('Restored 4 articles');
    const restored = await other.all<StoredArticle & { box: string; tags: string[] }>('articles');
    expect(restored.map((a) => a.title).sort()).toEqual(['Helm chart hygiene', 'Quotes "inside" a title', 'Shipping Terraform modules safely', 'Tuning Kafka consumers, the boring way']);
    expect(restored.find((a) => a.title === 'Helm chart hygiene')!.box).toBe('archive');
    // Restoring adds no second copy of the follows.
    expect(await other.all('feeds')).toHaveLength(5);
  } finally {
    await fresh.close();
  }
});

test('articles export as Markdown, and several as a zip', async ({ context, extensionId }) => {
  const options = new OptionsIo(context, extensionId);
  const page = await options.open();
  await options.importFiles([join(FIXTURES, 'notes.md'), join(FIXTURES, 'saved-page.html')]);
  await expect(options.fileRow('saved-page.html')).toContainText('Imported 1 article');
  await expect(options.fileRow('notes.md')).toContainText('Imported 1 article');

  const picker = page.getByRole('group', { name: 'Articles to export' });
  await picker.getByLabel('Shipping Terraform modules safely').check();
  const mdPath = await options.download('Export selected (1)');
  const md = readFileSync(mdPath, 'utf8');
  expect(md).toMatch(/^---\ntitle: "Shipping Terraform modules safely"\nauthor: "Priya Raman"\nurl: "https:\/\/notes\.example\.com\/terraform-modules"/);
  expect(md).toContain('```hcl\nmodule "vpc" {');

  await options.open();
  await page.getByRole('radio', { name: 'HTML' }).check();
  const zipPath = await options.download('Export all');
  expect(zipPath).toMatch(/offprint-html-\d{4}-\d{2}-\d{2}\.zip$/);
  expect(readFileSync(zipPath).subarray(0, 2).toString()).toBe('PK');
});

test('a large import shows progress and Cancel leaves the library as it was', async ({ context, extensionId }) => {
  const options = new OptionsIo(context, extensionId);
  const page = await options.open();
  await options.importFiles([join(FIXTURES, 'capture.txt')]);
  await expect(options.fileRow('capture.txt')).toContainText('Imported 1 article');
  await options.settled();
  const before = await options.all('articles');

  const { generateBackup } = await import('../bench/import');
  const big = test.info().outputPath('big-backup.json');
  writeFileSync(big, JSON.stringify(generateBackup(6000)));
  await options.importFiles([big]);
  const progress = page.getByRole('progressbar', { name: 'Importing big-backup.json' });
  await expect(progress).toBeVisible();
  await expect(options.fileRow('big-backup.json')).toContainText(/Saving \d+ of 6000/);
  await page.getByRole('button', { name: 'Cancel import' }).click();
  await expect(options.fileRow('big-backup.json')).toContainText('Import cancelled; nothing from this file was stored.');
  await expect(progress).toBeHidden();
  expect(await options.all('articles')).toEqual(before);
  expect(await options.all('contents')).toHaveLength(1);
});

test('files dropped on the drop zone are imported', async ({ context, extensionId, reader }) => {
  const options = new OptionsIo(context, extensionId);
  const page = await options.open();
  const markdown = readFileSync(join(FIXTURES, 'notes.md'), 'utf8');
  const zone = page.getByRole('group', { name: 'Drop files to import' });
  const dataTransfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dropped-notes.md', { type: 'text/markdown' }));
    return dt;
  }, markdown);
  await zone.dispatchEvent('dragover', { dataTransfer });
  await expect(zone).toHaveClass(/dragging/);
  await zone.dispatchEvent('drop', { dataTransfer });
  await expect(options.fileRow('dropped-notes.md')).toContainText('Imported 1 article');
  const [article] = await options.all<StoredArticle>('articles');
  await reader.open(article!.id);
  await expect(reader.title).toHaveText('Shipping Terraform modules safely');
  await expect(reader.body.locator('pre')).toContainText('module "vpc" {');
  await expect(reader.page!.getByText('Priya Raman')).toBeVisible();
});

declare const chrome: { storage: { sync: { get(keys: null): Promise<unknown> } } };

test('a feed article and a clip of the same text are flagged when the options page opens', async ({ context, extensionId }) => {
  const paragraphs = Array.from({ length: 12 }, (_, i) => `Step ${i + 1}: drain the node, wait for the pods to reschedule, check the disruption budget, then patch and uncordon before moving on to node ${i + 2}.`);
  const options = new OptionsIo(context, extensionId);
  await options.addArticles([
    { url: 'https://medium.com/@ops/patching-nodes-1234', source: 'feed', title: 'Patching nodes one at a time', savedAt: Date.UTC(2026, 0, 1), html: paragraphs.map((p) => `<p>${p}</p>`).join(''), text: paragraphs.join('\n\n') },
    { url: 'https://ops.example.com/patching', source: 'clip', title: 'Patching nodes (clipped)', savedAt: Date.UTC(2026, 0, 2), html: `<p>Menu</p>${paragraphs.map((p) => `<p>${p}</p>`).join('')}<p>Share</p>`, text: `Menu\n\n${paragraphs.join('\n\n')}\n\nShare` },
    { url: 'https://ops.example.com/other', source: 'clip', title: 'Something else entirely', savedAt: Date.UTC(2026, 0, 3), html: '<p>Unrelated.</p>', text: 'Unrelated text about cost reports and budgets for the quarter, nothing about nodes at all.' },
  ]);
  const page = await options.open();
  const group = page.getByRole('list', { name: 'Near-duplicate groups' }).getByRole('listitem', { name: /^2 copies/ });
  await expect(group).toBeVisible();
  await expect(group).toContainText('From a feed');
  await expect(group).toContainText('Clipped');
  await expect(group).not.toContainText('Something else entirely');
  await group.getByRole('button', { name: 'Not duplicates' }).click();
  await expect(group).toBeHidden();
  await page.reload();
  await page.getByRole('button', { name: 'Check for duplicates' }).click();
  await expect(page.getByText('No near-duplicates found.')).toBeVisible();
});
