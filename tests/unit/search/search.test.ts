import { beforeEach, describe, expect, it } from 'vitest';
import type { OffprintDB } from '../../../lib/db/schema';
import { storeArticles } from '../../../lib/library/store';
import type { NewArticle } from '../../../lib/messages';
import { LibrarySearch } from '../../../lib/search/search';
import { fixedDeps, freshDb, newArticle } from '../helpers/db';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

function post(n: number, o: Partial<NewArticle>): NewArticle {
  return newArticle({ url: `https://blog.example/${n}`, guid: `g${n}`, publishedAt: T0 + n * DAY, ...o });
}

let db: OffprintDB;
let search: LibrarySearch;
let deps: ReturnType<typeof fixedDeps>;
const titles = async (q: string, f = {}) => (await search.search(q, f)).hits.map((h) => h.article.title);

beforeEach(async () => {
  db = freshDb();
  search = new LibrarySearch(db);
  deps = fixedDeps();
  await storeArticles(
    db,
    [
      post(1, { title: 'Kubernetes Scheduler Explained', author: 'Ana Ops', text: 'How the scheduler picks a node for each pod.', tags: ['kubernetes'], source: 'feed', feedId: 'f1' }),
      post(2, { title: 'Backing up etcd', author: 'Bo Lee', text: 'Snapshots of etcd keep the control plane safe. The kubernetes scheduler is not involved.', source: 'clip' }),
      post(3, { title: 'Rolling updates', author: 'Cy Dev', text: 'Set maxUnavailable: 0 in the Deployment so pods in kube-system stay up.', tags: ['deployments'], source: 'feed', feedId: 'f2' }),
      post(4, { title: 'Terraform state', author: 'Kubernetes Fan', text: 'Remote state in S3 with locking.', source: 'import' }),
    ],
    deps,
  );
});

describe('search', () => {
  it('finds a title despite typos in every word', async () => {
    expect((await titles('kubernets schedular'))[0]).toBe('Kubernetes Scheduler Explained');
  });

  it('ranks title and author matches above body matches', async () => {
    const got = await titles('kubernetes');
    expect(got.slice(0, 2).sort()).toEqual(['Kubernetes Scheduler Explained', 'Terraform state']);
    expect(got.indexOf('Backing up etcd')).toBe(2);
  });

  it('puts the more recent article first when matches are equal', async () => {
    await storeArticles(db, [post(9, { title: 'Kubernetes Scheduler Explained again', text: 'x' })], deps);
    await storeArticles(db, [post(0, { title: 'Kubernetes Scheduler Explained, old', text: 'x' })], deps);
    const got = await titles('kubernetes scheduler explained');
    expect(got.slice(0, 3)).toEqual(['Kubernetes Scheduler Explained again', 'Kubernetes Scheduler Explained', 'Kubernetes Scheduler Explained, old']);
  });

  it('matches prefixes while typing and narrows with more words', async () => {
    expect(await titles('etc')).toEqual(['Backing up etcd']);
    expect((await titles('sched')).length).toBe(2);
    expect(await titles('sched snapsh')).toEqual(['Backing up etcd']);
    expect(await titles('kubernetes nosuchword')).toEqual([]);
  });

  it('finds code tokens and their parts in the body', async () => {
    expect(await titles('maxUnavailable')).toEqual(['Rolling updates']);
    expect(await titles('kube-system')).toEqual(['Rolling updates']);
    expect(await titles('unavailable')).toEqual(['Rolling updates']);
  });

  it('matches text written in mathematical bold and with accents', async () => {
    await storeArticles(db, [post(5, { title: '𝐇𝐞𝐥𝐦 𝐜𝐡𝐚𝐫𝐭𝐬 𝐟𝐨𝐫 𝐞𝐯𝐞𝐫𝐲𝐨𝐧𝐞', text: 'Déploiement with Helm.' })], deps);
    const bold = '𝐇𝐞𝐥𝐦 𝐜𝐡𝐚𝐫𝐭𝐬 𝐟𝐨𝐫 𝐞𝐯𝐞𝐫𝐲𝐨𝐧𝐞';
    expect(await titles('helm charts')).toEqual([bold]);
    // "Deployment" is two typos away, so it may follow, but the exact match leads.
    expect((await titles('deploiement'))[0]).toBe(bold);
    // Highlighted titles are shown in their compatible (plain) form.
    const [hit] = (await search.search('helm')).hits;
    expect(hit!.title).toEqual([{ text: 'Helm', hit: true }, { text: ' charts for everyone', hit: false }]);
  });

  it('returns a snippet around the match with the matched words marked', async () => {
    const [hit] = (await search.search('snapshots')).hits;
    expect(hit!.snippet.filter((s) => s.hit).map((s) => s.text)).toEqual(['Snapshots']);
    expect(hit!.snippet.map((s) => s.text).join('')).toContain('Snapshots of etcd keep the control plane safe');
    const [title] = (await search.search('kubernets schedular')).hits;
    expect(title!.title.filter((s) => s.hit).map((s) => s.text)).toEqual(['Kubernetes', 'Scheduler']);
  });

  it('combines filters with the query', async () => {
    expect(await titles('kubernetes', { source: 'clip' })).toEqual(['Backing up etcd']);
    expect(await titles('kubernetes', { feedId: 'f1' })).toEqual(['Kubernetes Scheduler Explained']);
    expect(await titles('kubernetes', { tag: 'kubernetes' })).toEqual(['Kubernetes Scheduler Explained']);
    expect(await titles('kubernetes', { from: T0 + 2 * DAY, to: T0 + 3 * DAY })).toEqual(['Backing up etcd']);
    const id = (await db.articles.where('guid').equals('g2').first())!.id;
    await db.articles.update(id, { isRead: 1, starred: 1 });
    expect(await titles('kubernetes', { unread: true })).not.toContain('Backing up etcd');
    expect(await titles('kubernetes', { starred: true })).toEqual(['Backing up etcd']);
    expect(await titles('', { source: 'feed' })).toEqual(['Rolling updates', 'Kubernetes Scheduler Explained']);
  });

  it('leaves articles in Trash out', async () => {
    const id = (await db.articles.where('guid').equals('g2').first())!.id;
    await db.articles.update(id, { box: 'trash', deletedAt: T0 });
    expect(await titles('etcd')).toEqual([]);
  });

  it('goes down the ranking when a best match is in Trash and the page is small', async () => {
    const first = (await search.search('kubernetes', {}, { limit: 1 })).hits[0]!.article;
    await db.articles.update(first.id, { box: 'trash', deletedAt: T0 });
    const res = await search.search('kubernetes', {}, { limit: 1 });
    expect(res.hits).toHaveLength(1);
    expect(res.hits[0]!.article.id).not.toBe(first.id);
    expect(res.more).toBe(true);
  });

  it('shows a changed text, not the one kept from an earlier keystroke', async () => {
    expect((await search.search('snapshots')).hits[0]!.snippet.map((s) => s.text).join('')).toContain('control plane safe');
    await storeArticles(db, [post(2, { title: 'Backing up etcd', author: 'Bo Lee', text: 'Snapshots of etcd, now taken hourly, keep the control plane safe. The kubernetes scheduler is not involved.', source: 'clip' })], deps);
    const [hit] = (await search.search('snapshots')).hits;
    expect(hit!.snippet.map((s) => s.text).join('')).toContain('now taken hourly');
    expect(await titles('hourly')).toEqual(['Backing up etcd']);
  });

  it('says the index is being built when there is none yet', async () => {
    await db.searchMeta.clear();
    expect((await new LibrarySearch(db).search('etcd')).index).toBe('building');
  });

  it('caps results and says there are more', async () => {
    const res = await search.search('the', {}, { limit: 1 });
    expect(res.hits).toHaveLength(1);
    expect(res.more).toBe(true);
  });
});

describe('index stays current after library edits', () => {
  it('finds an article by a tag added later, and not after the tag is removed', async () => {
    const { addTag, removeTag } = await import('../../../lib/library/actions');
    const [id] = (await db.articles.where('guid').equals('g4').primaryKeys()) as string[];
    expect(await titles('observability')).toEqual([]);
    await addTag(db, [id!], 'observability');
    expect(await new LibrarySearch(db).search('observability', {}).then((r) => r.hits.map((h) => h.article.title))).toEqual(['Terraform state']);
    await removeTag(db, [id!], 'observability');
    expect(await new LibrarySearch(db).search('observability', {}).then((r) => r.hits.length)).toBe(0);
  });
});
