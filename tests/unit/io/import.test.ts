// @vitest-environment jsdom
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../lib/feeds/parse';
import { importFile } from '../../../lib/io/import';
import { storeArticles } from '../../../lib/library/store';
import { fixedDeps, freshDb, newArticle } from '../helpers/db';
import { fileOf, fixture, importDeps } from './helpers';

async function setup() {
  const db = freshDb();
  await storeArticles(db, [newArticle({ url: 'https://already.example/kept', title: 'Already here', html: '<p>Kept text</p>', text: 'Kept text' })], fixedDeps());
  const before = JSON.stringify({ a: await db.articles.toArray(), c: await db.contents.toArray(), f: await db.feeds.toArray() });
  const untouched = async () => JSON.stringify({ a: await db.articles.toArray(), c: await db.contents.toArray(), f: await db.feeds.toArray() }) === before;
  return { db, deps: importDeps(db, parseFeed), untouched };
}

async function bodyOf(db: Awaited<ReturnType<typeof setup>>['db'], id: string) {
  return (await db.contents.get(id))!;
}

describe('importing files', () => {
  it('imports an RSS feed file: titles, authors, dates, clean URLs, no tracking pixel, code line breaks', async () => {
    const { db, deps } = await setup();
    const r = await importFile(fileOf('medium-feed.xml', fixture('medium-feed.xml')), deps);
    expect(r).toMatchObject({ status: 'done', kind: 'RSS/Atom feed', added: 2 });
    const a = (await db.articles.where('guid').equals('https://medium.com/p/1a2b3c4d5e6f').first())!;
    expect(a).toMatchObject({ title: 'Draining nodes without waking the pager', author: 'Lena Brandt', publishedAt: Date.UTC(2025, 5, 9, 8, 15), source: 'import', box: 'saved', tags: ['kubernetes', 'sre'] });
    expect(a.url).not.toContain('source=');
    const body = await bodyOf(db, a.id);
    expect(body.html).not.toContain('_/stat');
    expect(body.text).toContain('kubectl drain node-7 --ignore-daemonsets\nkubectl uncordon node-7');
  });

  it('imports Atom and JSON Feed files', async () => {
    const { db, deps } = await setup();
    expect(await importFile(fileOf('atom-feed.xml', fixture('atom-feed.xml')), deps)).toMatchObject({ status: 'done', added: 1 });
    expect(await importFile(fileOf('feed.json', fixture('json-feed.json')), deps)).toMatchObject({ status: 'done', kind: 'JSON Feed', added: 1 });
    expect((await db.articles.where('url').equals('https://queues.example.org/littles-law').first())?.author).toBe('Wen Li');
    expect((await db.articles.where('url').equals('https://runbooks.example.com/posts/1').first())).toMatchObject({ author: 'Dana Ruiz', title: 'Runbooks people actually open' });
  });

  it('imports the {posts:[…]} JSON page with author, date, lead image and content', async () => {
    const { db, deps } = await setup();
    const r = await importFile(fileOf('posts.txt', fixture('posts-page.json')), deps);
    expect(r).toMatchObject({ status: 'done', kind: 'JSON posts page', added: 2 });
    const a = await db.articles.filter((x) => x.title === 'Cutting CI minutes in half with layer caching').first();
    expect(a).toMatchObject({ publishedAt: Date.UTC(2025, 4, 20, 10), leadImage: 'https://cdn-images.example.com/max/1024/ci-cache.png' });
    expect(a!.author).toBeTruthy();
    expect(a!.url).toBe('https://blog.example.dev/cutting-ci-minutes-in-half-0a1b2c3d4e5f');
    expect((await bodyOf(db, a!.id)).text).toContain('COPY package*.json ./\nRUN npm ci');
  });

  it('imports plain text with its paragraphs, and Markdown with front matter', async () => {
    const { db, deps } = await setup();
    const t = await importFile(fileOf('capture.txt', fixture('capture.txt')), deps);
    expect(t).toMatchObject({ status: 'done', kind: 'Plain text', added: 1 });
    const text = await bodyOf(db, t.ids[0]!);
    expect(text.text).toContain('A rollback is only as good as the last thing you tested.');
    expect(text.text).toContain('\n\nCheck what actually changed\n\n');
    expect((await db.articles.get(t.ids[0]!))).toMatchObject({ title: 'Notes on rolling back deployments', source: 'import', box: 'saved' });

    const m = await importFile(fileOf('notes.md', fixture('notes.md')), deps);
    expect(await db.articles.get(m.ids[0]!)).toMatchObject({ title: 'Shipping Terraform modules safely', author: 'Priya Raman', url: 'https://notes.example.com/terraform-modules', tags: ['terraform', 'iac'] });
    expect((await bodyOf(db, m.ids[0]!)).html).toContain('<code class="language-hcl">');

    // The same file again updates, it does not add a copy.
    expect(await importFile(fileOf('capture copy.txt', fixture('capture.txt')), deps)).toMatchObject({
      added: 0,
      updated: 1,
      message: 'Imported 0 articles; 1 article was already in your library with the same text.',
    });
  });

  it('imports a saved HTML page through Readability, sanitized', async () => {
    const { db, deps } = await setup();
    const r = await importFile(fileOf('Traces versus logs.html', fixture('saved-page.html')), deps);
    expect(r).toMatchObject({ status: 'done', kind: 'Saved web page', added: 1 });
    const a = (await db.articles.get(r.ids[0]!))!;
    expect(a).toMatchObject({ url: 'https://observability.example.com/traces-vs-logs', author: 'Sam Okafor', publishedAt: Date.UTC(2025, 5, 3, 8) });
    expect(a.title).toContain('Traces versus logs');
    const body = await bodyOf(db, a.id);
    expect(body.text).toContain('Tail sampling keeps the slow and the failed ones');
    expect(body.html).not.toMatch(/<script|onclick|<button|_\/stat|Subscribe/);
  });

  it('imports a Pocket CSV export with tags, dates and archived state', async () => {
    const { db, deps } = await setup();
    const r = await importFile(fileOf('part_000000.csv', fixture('pocket-export.csv')), deps);
    expect(r).toMatchObject({ status: 'done', kind: 'Pocket export', added: 3 });
    const kafka = (await db.articles.where('url').equals('https://streams.example.com/kafka-consumers').first())!;
    expect(kafka).toMatchObject({ title: 'Tuning Kafka consumers, the boring way', tags: ['kafka', 'streaming'], savedAt: 1712745600000, box: 'saved' });
    expect(kafka.captureWarning).toMatch(/Pocket/);
    expect(await db.articles.where('url').equals('https://charts.example.org/hygiene').first()).toMatchObject({ box: 'archive', isRead: 1 });
    expect(await db.articles.where('url').equals('https://quotes.example.net/post').first()).toMatchObject({ title: 'Quotes "inside" a title' });
  });

  it('imports an Omnivore export zip with content, labels and progress', async () => {
    const { db, deps } = await setup();
    const metadata = [
      { id: 'o1', slug: 'feature-flags-at-scale', title: 'Feature flags at scale', description: 'Flags are config.', author: 'Mina Cho', url: 'https://flags.example.com/at-scale', state: 'Archived', readingProgress: 100, labels: ['flags', { name: 'Release' }], savedAt: '2024-08-01T10:00:00.000Z', publishedAt: '2024-07-30T00:00:00.000Z' },
      { id: 'o2', slug: 'no-content', title: 'No content here', description: 'Only a summary.', url: 'https://nocontent.example.com/', state: 'Succeeded', readingProgress: 40, labels: [], savedAt: '2024-08-02T10:00:00.000Z' },
      { id: 'o3', slug: 'deleted', title: 'Gone', url: 'https://gone.example.com/', state: 'Deleted', savedAt: '2024-08-02T10:00:00.000Z' },
    ];
    const zip = zipSync({
      'metadata_0_to_3.json': strToU8(JSON.stringify(metadata)),
      'content/feature-flags-at-scale.html': strToU8('<div><p>Every flag needs an owner and an expiry date, or it becomes permanent configuration.</p></div>'),
    });
    const r = await importFile(fileOf('omnivore-export.zip', zip), deps);
    expect(r).toMatchObject({ status: 'done', kind: 'Omnivore export', added: 2 });
    const flags = (await db.articles.where('url').equals('https://flags.example.com/at-scale').first())!;
    expect(flags).toMatchObject({ author: 'Mina Cho', tags: ['flags', 'release'], box: 'archive', isRead: 1, progress: 1, savedAt: Date.UTC(2024, 7, 1, 10) });
    expect((await bodyOf(db, flags.id)).text).toContain('Every flag needs an owner');
    expect(await db.articles.where('url').equals('https://nocontent.example.com/').first()).toMatchObject({ progress: 0.4, box: 'saved' });
  });

  it('imports a zip of Markdown and text files, skipping what it cannot read', async () => {
    const { deps } = await setup();
    const zip = zipSync({ 'a.md': strToU8('# First\n\nBody one.'), 'b.txt': strToU8('Second\n\nBody two.'), 'c.png': new Uint8Array([137, 80, 78, 71, 0, 0, 0]) });
    expect(await importFile(fileOf('bundle.zip', zip), deps)).toMatchObject({ status: 'done', added: 2, message: expect.stringContaining('skipped 1 file') });
  });

  it('follows the feeds of an OPML file', async () => {
    const { db, deps } = await setup();
    expect(await importFile(fileOf('feedly.opml', fixture('feedly.opml')), deps)).toMatchObject({ status: 'done', feedsAdded: 3, message: 'Following 3 new feeds.' });
    expect(await db.feeds.count()).toBe(3);
  });
});

describe('bad files', () => {
  it.each([
    ['broken.json', '{"posts": [ {"title": "x", ', /looks like JSON but is broken/],
    ['other.json', '{"hello": "world"}', /not a format Offprint knows/],
    ['image.txt', new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]), /not a text file/],
    ['broken.xml', '<rss><channel><item><title>x</title></item>', /./],
    ['list.csv', 'name,age\nx,1\n', /not an export Offprint knows/],
    ['empty.txt', '', /empty/],
    ['backup.json', '{"format":"offprint-backup","version":1,"articles":[{"id":"x","title":"no url"}]}', /has no url/],
    ['not-a-zip.zip', new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3, 4, 5, 6, 7, 8, 9]), /zip is damaged|Nothing in/],
  ])('%s gets a clear message and nothing stored is touched', async (name, content, message) => {
    const { deps, untouched } = await setup();
    const r = await importFile(fileOf(name, content), deps);
    expect(r.status).toBe('failed');
    expect(r.message).toMatch(message);
    expect(await untouched()).toBe(true);
  });

  it('refuses a 500 MB file before reading it', async () => {
    const { deps, untouched } = await setup();
    let read = false;
    const huge = { name: 'huge.json', size: 500 * 1024 * 1024, arrayBuffer: async () => ((read = true), new ArrayBuffer(0)) };
    const r = await importFile(huge, deps);
    expect(r).toMatchObject({ status: 'failed', message: expect.stringMatching(/500 MB; Offprint imports files up to 200 MB/) });
    expect(read).toBe(false);
    expect(await untouched()).toBe(true);
  });

  it('stops a zip bomb with a message', async () => {
    const { deps, untouched } = await setup();
    // 40 MB of zeros in about 40 KB; the limit is lowered to 8 MB to keep the test quick.
    const bomb = zipSync({ 'a.txt': new Uint8Array(40 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(100 * 1024);
    const r = await importFile(fileOf('bomb.zip', bomb), { ...deps, limits: { unzippedBytes: 8 * 1024 * 1024 } });
    expect(r).toMatchObject({ status: 'failed', message: expect.stringMatching(/unpacks to more than 8 MB/) });
    expect(await untouched()).toBe(true);
  }, 30_000);

  it('a file that fails half way through saving leaves nothing behind', async () => {
    const { deps, untouched } = await setup();
    let calls = 0;
    const failing = { ...deps, now: () => (++calls > 3 ? (() => { throw new Error('disk full'); })() : deps.now()) };
    const r = await importFile(fileOf('feed.xml', fixture('medium-feed.xml')), failing);
    expect(r).toMatchObject({ status: 'failed', message: expect.stringMatching(/disk full.*Nothing from it was stored/) });
    expect(await untouched()).toBe(true);
  });

  it('cancel during a large import stores nothing from that file', async () => {
    const { db, deps, untouched } = await setup();
    const lines = Array.from({ length: 300 }, (_, i) => `Post ${i},https://many.example/${i},1712745600,c,,unread`);
    const csv = `title,url,time_added,cursor,tags,status\n${lines.join('\n')}\n`;
    const controller = new AbortController();
    const stages: string[] = [];
    const r = await importFile(fileOf('big.csv', csv), deps, {
      signal: controller.signal,
      onProgress: (stage, done) => {
        stages.push(`${stage}:${done}`);
        if (stage === 'preparing' && done >= 100) controller.abort();
      },
    });
    expect(r).toMatchObject({ status: 'cancelled', added: 0 });
    expect(stages).toContain('preparing:100');
    expect(await untouched()).toBe(true);
    expect(await db.articles.count()).toBe(1);
  });
});
