// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { undoClip } from '../../../lib/capture/undo';
import { unfollowFeed } from '../../../lib/feeds/follow';
import { parseFeed } from '../../../lib/feeds/parse';
import { createBackup, serializeBackup, validateBackup } from '../../../lib/io/backup';
import { importFile } from '../../../lib/io/import';
import { archive, restoreFromTrash } from '../../../lib/library/actions';
import { storeArticles } from '../../../lib/library/store';
import { LibrarySearch } from '../../../lib/search/search';
import { fixedDeps, freshDb, newArticle } from '../helpers/db';
import { fileOf, importDeps } from '../io/helpers';

const code = 'kubectl get pods -A\nkubectl describe pod api-0';
const body = (n: number) => Array.from({ length: 120 }, (_, i) => `word${n}x${i}`).join(' ');
function clip(n: number) {
  return newArticle({
    url: `https://ops.example.dev/post-${n}`,
    source: 'clip',
    title: `Clipped post ${n}`,
    author: 'Rowan Vale',
    publishedAt: Date.UTC(2025, 2, n),
    leadImage: `https://img.example/${n}.png`,
    html: `<p>${body(n)}</p><pre><code>${code}</code></pre><img src="https://img.example/${n}.png">`,
    text: `${body(n)}\n${code}`,
  });
}

const pocketCsv = ['title,url,time_added,cursor,tags,status', 'https://ops.example.dev/post-1,https://ops.example.dev/post-1,1760000000,A1,later,unread', 'Clipped post 2,https://ops.example.dev/post-2?utm_source=pocket,1760000000,A2,,archive'].join('\n');

describe('an import never makes saved articles worse', () => {
  it('a Pocket CSV over two clipped articles keeps their text, code, images, author and date, and says so', async () => {
    const db = freshDb();
    const [a, b] = await storeArticles(db, [clip(1), clip(2)], fixedDeps());
    const before = await db.contents.bulkGet([a!.id, b!.id]);
    const r = await importFile(fileOf('part_000000.csv', pocketCsv), importDeps(db, parseFeed));
    expect(r).toMatchObject({ status: 'done', added: 0, updated: 2 });
    expect(r.message).toBe('Imported 0 articles; 2 articles already in your library kept their fuller text (2 gained this file’s tags, dates or reading state).');
    expect(await db.contents.bulkGet([a!.id, b!.id])).toEqual(before);
    const one = (await db.articles.get(a!.id))!;
    expect(one).toMatchObject({ title: 'Clipped post 1', author: 'Rowan Vale', publishedAt: Date.UTC(2025, 2, 1), sortAt: Date.UTC(2025, 2, 1), leadImage: 'https://img.example/1.png', tags: ['later'], isPreview: 0 });
    expect(one.captureWarning).toBeUndefined();
    // Pocket's archived state moves forward; the text stays.
    expect(await db.articles.get(b!.id)).toMatchObject({ box: 'archive', isRead: 1, author: 'Rowan Vale' });
  });

  it('an earlier backup brings back the text a Pocket stub holds in its place', async () => {
    const source = freshDb();
    await storeArticles(source, [clip(1)], fixedDeps());
    const backup = validateBackup(JSON.parse(serializeBackup(await createBackup(source, { includeImages: false }))));
    // The library now holds only the Pocket stub for that URL.
    const db = freshDb();
    await importFile(fileOf('part_000000.csv', pocketCsv.split('\n').slice(0, 2).join('\n')), importDeps(db, parseFeed));
    const r = await importFile(fileOf('offprint-backup.json', JSON.stringify(backup)), importDeps(db, parseFeed));
    expect(r.message).toContain('1 article already here got back the backup’s fuller text');
    const article = (await db.articles.where('url').equals('https://ops.example.dev/post-1').first())!;
    expect(article).toMatchObject({ title: 'Clipped post 1', author: 'Rowan Vale', tags: ['later'] });
    expect(article.captureWarning).toBeUndefined();
    expect((await db.contents.get(article.id))!.text).toContain('kubectl describe pod api-0');
  });
});

describe('restore sanitizes like every other write', () => {
  it('removes active content from a backup and says how much', async () => {
    const source = freshDb();
    await storeArticles(source, [clip(1)], fixedDeps());
    const backup = JSON.parse(serializeBackup(await createBackup(source, { includeImages: false })));
    backup.articles[0].html = '<p onclick="steal()">Hi <a href="javascript:alert(1)">x</a></p><script>alert(1)</script><iframe src="https://evil.example/"></iframe>' + backup.articles[0].html;
    const db = freshDb();
    const r = await importFile(fileOf('backup.json', JSON.stringify(backup)), importDeps(db, parseFeed));
    expect(r.message).toMatch(/Removed 4 pieces of active content \(scripts, handlers, frames\) from 1 article\./);
    const stored = (await db.contents.toArray())[0]!;
    expect(stored.html).not.toMatch(/onclick|<script|<iframe|javascript:/);
    expect(stored.text).toContain('kubectl get pods');
  });
});

describe('undo and unfollow leave the library consistent', () => {
  it('undoing a clip removes its search record too', async () => {
    const db = freshDb();
    const [o] = await storeArticles(db, [clip(1)], fixedDeps());
    expect(await db.searchDocs.get(o!.id)).toBeDefined();
    await undoClip(db, o!.id);
    expect(await db.searchDocs.get(o!.id)).toBeUndefined();
    expect((await new LibrarySearch(db).search('kubectl')).hits).toEqual([]);
    // The index still counts what the library holds, so no rebuild at next start.
    expect(((await db.searchMeta.get('state')) as { count: number }).count).toBe(await db.articles.count());
  });

  it('unfollowing with “delete articles” remembers each article’s box, so a restore puts it back', async () => {
    const db = freshDb();
    await db.feeds.add({ id: 'f1', url: 'https://medium.com/feed/@ana', title: 'Ana', kind: 'medium-user', addedAt: 1, nextCheckAt: 1, failures: 0 });
    const [a, b] = await storeArticles(db, [newArticle({ url: 'https://medium.com/@ana/1', source: 'feed', feedId: 'f1' }), newArticle({ url: 'https://medium.com/@ana/2', source: 'feed', feedId: 'f1' })], fixedDeps());
    await archive(db, [a!.id]);
    const { trashed } = await unfollowFeed(db, 'f1', { deleteArticles: true, now: 5 });
    expect(trashed.sort()).toEqual([a!.id, b!.id].sort());
    await restoreFromTrash(db, trashed);
    expect((await db.articles.get(a!.id))!.box).toBe('archive');
    expect((await db.articles.get(b!.id))!.box).toBe('inbox');
  });
});

describe('titles, authors and feed names are plain text', () => {
  it('from a feed file, a clip and a backup', async () => {
    const db = freshDb();
    const feed = `<?xml version="1.0"?><rss version="2.0"><channel><title>Ops &lt;b&gt;weekly&lt;/b&gt;</title><link>https://ops.example/</link>
      <item><title>&lt;b&gt;Kubernetes&lt;/b&gt; &lt;i&gt;tips&lt;/i&gt; &amp; tricks for &lt;T&gt;</title><link>https://ops.example/1</link><description>&lt;p&gt;${body(1)}&lt;/p&gt;</description></item></channel></rss>`;
    const r = await importFile(fileOf('feed.xml', feed), importDeps(db, parseFeed));
    expect(r.status).toBe('done');
    expect((await db.articles.toArray())[0]!.title).toBe('Kubernetes tips & tricks for <T>');
    const [c] = await storeArticles(db, [newArticle({ url: 'https://x.example/2', title: '<span class="x">Helm</span> <script>alert(1)</script>charts', author: '<a href="/u">Ana <b>Lee</b></a>' })], fixedDeps());
    expect(await db.articles.get(c!.id)).toMatchObject({ title: 'Helm charts', author: 'Ana Lee' });
  });
});

describe('plain text keeps what is text', () => {
  it('typographic spaces and angle brackets that are not tags stay', async () => {
    const { plainText } = await import('../../../lib/text/plain');
    expect(plainText('Beyond Text\u200a—\u200aThe Rise')).toBe('Beyond Text\u200a—\u200aThe Rise');
    expect(plainText('Line one\n  line   two')).toBe('Line one line two');
    expect(plainText('Generics: Map<K, V> and <T>')).toBe('Generics: Map<K, V> and <T>');
  });
});
