import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { OffprintDB, SCHEMA_V1, SCHEMA_V2 } from '../../../lib/db/schema';
import { setStarred } from '../../../lib/library/actions';
import { ensureSearchIndex } from '../../../lib/search/indexer';
import { LibrarySearch } from '../../../lib/search/search';

/**
 * Migration harness: create a database exactly as an old version declared
 * it, fill it, open it with the current class, and check nothing was lost.
 * Each new version() gets a case here that starts from the version before.
 */
async function createOldDatabase(name: string, versions: Record<string, string>[], fill: (db: Dexie) => Promise<void>) {
  const old = new Dexie(name);
  versions.forEach((stores, i) => old.version(i + 1).stores(stores));
  await old.open();
  await fill(old);
  old.close();
}

describe('database migrations', () => {
  it('opens a version 1 database with data and keeps every record', async () => {
    const name = `migrate-v1-${Math.random()}`;
    await createOldDatabase(name, [SCHEMA_V1], async (db) => {
      await db.table('feeds').add({ id: 'f1', url: 'https://medium.com/feed/@a', title: 'A', kind: 'medium-user', addedAt: 1, nextCheckAt: 2, failures: 0 });
      await db.table('articles').add({ id: 'a1', url: 'https://x.test/1', source: 'feed', box: 'inbox', title: 'T', tags: ['k8s'], savedAt: 1, sortAt: 1, wordCount: 1, readingMinutes: 1, isRead: 1, starred: 1, progress: 0.4, isPreview: 0, isReply: 0, offline: 'ready', feedId: 'f1' });
      await db.table('contents').add({ id: 'a1', html: '<p>x</p>', text: 'x' });
      await db.table('kv').add({ key: 'k', value: 42 });
    });
    const db = new OffprintDB(name);
    await db.open();
    expect(db.verno).toBeGreaterThanOrEqual(1);
    expect(await db.articles.get('a1')).toMatchObject({ title: 'T', isRead: 1, starred: 1, progress: 0.4, tags: ['k8s'] });
    expect(await db.contents.get('a1')).toMatchObject({ html: '<p>x</p>' });
    expect(await db.feeds.get('f1')).toMatchObject({ url: 'https://medium.com/feed/@a' });
    expect(await db.kv.get('k')).toMatchObject({ value: 42 });
    expect(await db.articles.where('tags').equals('k8s').count()).toBe(1);
    db.close();
  });

  it('upgrades a version 1 database to version 2 without losing data, then builds the search index', async () => {
    const name = `migrate-v1-v2-${Math.random()}`;
    const article = (id: string, title: string, sortAt: number) => ({
      id, url: `https://x.test/${id}`, source: 'clip', box: 'saved', title, author: 'Dana', tags: ['sre'], savedAt: sortAt, sortAt,
      wordCount: 3, readingMinutes: 1, isRead: 0, starred: id === 'a2' ? 1 : 0, progress: 0.5, isPreview: 0, isReply: 0, offline: 'ready',
    });
    await createOldDatabase(name, [SCHEMA_V1], async (db) => {
      await db.table('articles').bulkAdd([article('a1', 'Kubernetes Scheduler Explained', 1), article('a2', 'Backing up etcd', 2)]);
      await db.table('contents').bulkAdd([
        { id: 'a1', html: '<p>pods and nodes</p>', text: 'pods and nodes' },
        { id: 'a2', html: '<p>snapshots</p>', text: 'snapshots' },
      ]);
      await db.table('kv').add({ key: 'settings', value: { theme: 'dark' } });
    });
    const db = new OffprintDB(name);
    await db.open();
    expect(db.verno).toBeGreaterThanOrEqual(2);
    expect(await db.articles.count()).toBe(2);
    expect(await db.articles.get('a2')).toMatchObject({ title: 'Backing up etcd', starred: 1, progress: 0.5, tags: ['sre'] });
    expect(await db.contents.get('a1')).toMatchObject({ text: 'pods and nodes' });
    expect(await db.kv.get('settings')).toMatchObject({ value: { theme: 'dark' } });
    expect(await db.searchMeta.count()).toBe(0);

    expect(await ensureSearchIndex(db)).toBe(true);
    const search = new LibrarySearch(db);
    expect((await search.search('kubernets schedular')).hits.map((h) => h.article.id)).toEqual(['a1']);
    expect((await search.search('snapshots')).hits.map((h) => h.article.id)).toEqual(['a2']);
    expect(await ensureSearchIndex(db)).toBe(false);
    db.close();
  });

  it('upgrades a version 2 database to version 3: stored code gets real newlines, nothing else changes', async () => {
    const name = `migrate-v2-v3-${Math.random()}`;
    const medium = '<p>Run:</p><pre>kubectl get pods<br>kubectl describe pod api-0<br/>kubectl logs api-0</pre><p>Line<br>break outside code stays.</p>';
    const text = 'Run:\n\nkubectl get pods\nkubectl describe pod api-0\nkubectl logs api-0\n\nLine\nbreak outside code stays.';
    await createOldDatabase(name, [SCHEMA_V1, SCHEMA_V2], async (db) => {
      await db.table('articles').bulkAdd([
        { id: 'a1', url: 'https://medium.com/@a/1', source: 'feed', box: 'archive', title: 'Pods', tags: ['k8s'], savedAt: 1, sortAt: 1, wordCount: 9, readingMinutes: 1, isRead: 1, starred: 1, progress: 0.7, isPreview: 0, isReply: 0, offline: 'ready' },
        { id: 'a2', url: 'https://x.test/2', source: 'clip', box: 'saved', title: 'Plain', tags: [], savedAt: 2, sortAt: 2, wordCount: 1, readingMinutes: 1, isRead: 0, starred: 0, progress: 0, isPreview: 0, isReply: 0, offline: 'ready' },
      ]);
      await db.table('contents').bulkAdd([
        { id: 'a1', html: medium, text },
        { id: 'a2', html: '<p>plain</p>', text: 'plain' },
      ]);
      await db.table('kv').add({ key: 'settings', value: { theme: 'dark' } });
    });
    const db = new OffprintDB(name);
    await db.open();
    expect(db.verno).toBeGreaterThanOrEqual(3);
    const c = (await db.contents.get('a1'))!;
    expect(c.html).toBe('<p>Run:</p><pre>kubectl get pods\nkubectl describe pod api-0\nkubectl logs api-0</pre><p>Line<br>break outside code stays.</p>');
    expect(c.text).toBe(text);
    expect(await db.contents.get('a2')).toEqual({ id: 'a2', html: '<p>plain</p>', text: 'plain' });
    expect(await db.articles.get('a1')).toMatchObject({ box: 'archive', isRead: 1, starred: 1, progress: 0.7, tags: ['k8s'] });
    expect(await db.articles.count()).toBe(2);
    expect(await db.kv.get('settings')).toMatchObject({ value: { theme: 'dark' } });
    db.close();
  });

  it('upgrades a version 2 database to version 4 (highlights, issue 13) without losing data', async () => {
    const name = `migrate-v2-v4-${Math.random()}`;
    await createOldDatabase(name, [SCHEMA_V1, SCHEMA_V2], async (db) => {
      await db.table('articles').add({ id: 'a1', url: 'https://x.test/1', source: 'clip', box: 'saved', title: 'Helm hooks', tags: ['helm'], savedAt: 1, sortAt: 1, wordCount: 2, readingMinutes: 1, isRead: 0, starred: 1, progress: 0.3, isPreview: 0, isReply: 0, offline: 'ready' });
      await db.table('contents').add({ id: 'a1', html: '<p>pre-install hooks</p>', text: 'pre-install hooks' });
      await db.table('searchMeta').add({ key: 'state', version: 1, count: 1, revision: 7 });
      await db.table('kv').add({ key: 'settings', value: { theme: 'sepia' } });
    });
    const db = new OffprintDB(name);
    await db.open();
    expect(db.verno).toBeGreaterThanOrEqual(4);
    expect(await db.articles.get('a1')).toMatchObject({ title: 'Helm hooks', starred: 1, progress: 0.3, tags: ['helm'] });
    expect(await db.contents.get('a1')).toMatchObject({ text: 'pre-install hooks' });
    expect(await db.searchMeta.get('state')).toMatchObject({ revision: 7 });
    expect(await db.kv.get('settings')).toMatchObject({ value: { theme: 'sepia' } });
    expect(await db.highlights.count()).toBe(0);
    await db.highlights.add({ id: 'h1', articleId: 'a1', color: 'yellow', quote: { type: 'TextQuoteSelector', exact: 'hooks', prefix: 'pre-install ', suffix: '' }, position: { type: 'TextPositionSelector', start: 12, end: 17 }, note: '', createdAt: 2, updatedAt: 2, placed: 1 });
    expect(await db.highlights.where('articleId').equals('a1').count()).toBe(1);
    await db.articleNotes.put({ articleId: 'a1', note: 'n', updatedAt: 3 });
    expect(await db.articleNotes.get('a1')).toMatchObject({ note: 'n' });
    db.close();
  });

  it('upgrades a version 2 database to version 7 (sync log) without losing data; later writes are captured', async () => {
    const name = `migrate-v2-v7-${Math.random()}`;
    await createOldDatabase(name, [SCHEMA_V1, SCHEMA_V2], async (db) => {
      await db.table('feeds').add({ id: 'f1', url: 'https://medium.com/feed/@a', title: 'A', kind: 'medium-user', addedAt: 1, nextCheckAt: 2, failures: 0 });
      await db.table('articles').add({ id: 'a1', url: 'https://x.test/1', source: 'clip', box: 'archive', title: 'T', tags: ['k8s'], savedAt: 1, sortAt: 1, wordCount: 1, readingMinutes: 1, isRead: 1, starred: 0, progress: 0.4, isPreview: 0, isReply: 0, offline: 'ready' });
      await db.table('contents').add({ id: 'a1', html: '<p>x</p>', text: 'x' });
      await db.table('searchMeta').add({ key: 'state', value: 1 });
      await db.table('kv').add({ key: 'k', value: 42 });
    });
    const db = new OffprintDB(name);
    await db.open();
    expect(db.verno).toBeGreaterThanOrEqual(7);
    expect(await db.articles.get('a1')).toMatchObject({ title: 'T', box: 'archive', isRead: 1, progress: 0.4, tags: ['k8s'], offline: 'ready' });
    expect(await db.contents.get('a1')).toMatchObject({ html: '<p>x</p>' });
    expect(await db.feeds.get('f1')).toMatchObject({ title: 'A' });
    expect(await db.searchMeta.get('state')).toBeDefined();
    expect(await db.kv.get('k')).toMatchObject({ value: 42 });
    // Records from before sync get their log entries at the first sync (seedMissing), not at upgrade.
    expect(await db.syncLog.count()).toBe(0);
    await setStarred(db, ['a1'], 1);
    expect((await db.syncLog.get('articles:a1'))?.regs.starred?.v).toBe(1);
    db.close();
  });
});

describe('version 5 (full-text queue, issue 15)', () => {
  it('upgrades a version 2 database to version 5 keeping every record, with an empty queue that works', async () => {
    const { SCHEMA_V2, SCHEMA_V5 } = await import('../../../lib/db/schema');
    const name = `migrate-v2-v5-${Math.random()}`;
    await createOldDatabase(name, [SCHEMA_V1, { ...SCHEMA_V1, ...SCHEMA_V2 }], async (db) => {
      await db.table('articles').add({ id: 'a1', url: 'https://x.test/1', source: 'import', box: 'saved', title: 'Stub', tags: ['pocket'], savedAt: 1, sortAt: 1, wordCount: 5, readingMinutes: 1, isRead: 0, starred: 1, progress: 0, isPreview: 0, isReply: 0, offline: 'ready' });
      await db.table('contents').add({ id: 'a1', html: '<p>link</p>', text: 'link' });
      await db.table('kv').add({ key: 'settings', value: { pollMinutes: 60 } });
      await db.table('searchMeta').add({ key: 'meta', value: 1 });
    });
    const db = new OffprintDB(name);
    await db.open();
    expect(db.verno).toBeGreaterThanOrEqual(5);
    expect(Object.keys(SCHEMA_V5)).toEqual(['fulltextJobs']);
    expect(await db.articles.get('a1')).toMatchObject({ title: 'Stub', starred: 1, tags: ['pocket'] });
    expect(await db.contents.get('a1')).toMatchObject({ html: '<p>link</p>' });
    expect(await db.kv.get('settings')).toMatchObject({ value: { pollMinutes: 60 } });
    expect(await db.searchMeta.count()).toBe(1);
    expect(await db.fulltextJobs.count()).toBe(0);
    await db.fulltextJobs.add({ articleId: 'a1', url: 'https://x.test/1', host: 'x.test', state: 'queued', seq: 1, attempts: 0, notBefore: 0 });
    expect(await db.fulltextJobs.where('[state+seq]').between(['queued', 0], ['queued', Infinity]).count()).toBe(1);
    db.close();
  });

  it('upgrades a version 4 database (highlights and notes) to version 5 keeping them', async () => {
    const { SCHEMA_V4 } = await import('../../../lib/db/schema');
    const name = `migrate-v4-v5-${Math.random()}`;
    await createOldDatabase(name, [SCHEMA_V1, SCHEMA_V2, {}, SCHEMA_V4], async (db) => {
      await db.table('articles').add({ id: 'a1', url: 'https://x.test/1', source: 'clip', box: 'saved', title: 'Helm hooks', tags: [], savedAt: 1, sortAt: 1, wordCount: 2, readingMinutes: 1, isRead: 0, starred: 0, progress: 0.4, isPreview: 0, isReply: 0, offline: 'ready' });
      await db.table('contents').add({ id: 'a1', html: '<p>pre-install hooks</p>', text: 'pre-install hooks' });
      await db.table('highlights').add({ id: 'h1', articleId: 'a1', color: 'yellow', quote: { type: 'TextQuoteSelector', exact: 'hooks', prefix: 'pre-install ', suffix: '' }, position: { type: 'TextPositionSelector', start: 12, end: 17 }, note: 'why', createdAt: 2, updatedAt: 2, placed: 1 });
      await db.table('articleNotes').add({ articleId: 'a1', note: 'read again', updatedAt: 3 });
    });
    const db = new OffprintDB(name);
    await db.open();
    expect(db.verno).toBeGreaterThanOrEqual(5);
    expect(await db.articles.get('a1')).toMatchObject({ title: 'Helm hooks', progress: 0.4 });
    expect(await db.highlights.get('h1')).toMatchObject({ articleId: 'a1', note: 'why' });
    expect(await db.articleNotes.get('a1')).toMatchObject({ note: 'read again' });
    expect(await db.fulltextJobs.count()).toBe(0);
    db.close();
  });
});
