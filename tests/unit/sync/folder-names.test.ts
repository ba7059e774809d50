import 'fake-indexeddb/auto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeArticles } from '../../../lib/library/store';
import { runSync } from '../../../lib/sync/engine';
import { createDavClient } from '../../../lib/sync/webdav';
import { startWebdav, type WebdavServer } from '../../webdav-server';
import { freshDb, newArticle } from '../helpers/db';

// Real folder URLs are not tidy: Nextcloud's hold the login (often an e-mail
// address, with "@"), and people name folders with spaces and accents. The
// server answers PROPFIND with those paths percent-encoded its own way.
let server: WebdavServer;
beforeAll(async () => {
  server = await startWebdav();
});
afterAll(async () => {
  await server.dispose();
});

describe.each([
  ['a space and an accent', 'Offprint Bibliothèque', 'Offprint%20Biblioth%C3%A8que'],
  ['an e-mail login and a nested folder', 'files/jane@example.com/Reading (sync)', 'files/jane%40example.com/Reading%20(sync)'],
])('a folder with %s', (_, onDisk, inUrl) => {
  it('syncs an article from A to B, and B finds nothing new on its next run', async () => {
    const url = `${server.url}${inUrl}/`;
    const device = (name: string) => {
      const db = freshDb();
      const dav = createDavClient({ url, user: server.user, password: server.pass }, fetch);
      return { db, dav, sync: () => runSync({ db, dav, identity: { deviceId: `dev-${name}`, deviceName: name }, now: Date.now }) };
    };
    const a = device('a');
    const b = device('b');
    // Make each level, as a user (or the options page's "Create the folder") would.
    const parts = inUrl.split('/');
    for (let i = 1; i <= parts.length; i++) await createDavClient({ url: `${server.url}${parts.slice(0, i).join('/')}/`, user: server.user, password: server.pass }, fetch).mkcol('');
    await storeArticles(a.db, [newArticle({ title: 'Rollouts with Argo', html: '<p>canary steps</p>', text: 'canary steps' })]);
    expect((await a.sync()).problems).toEqual([]);
    expect(existsSync(join(server.dir, onDisk, 'dev-a'))).toBe(true);
    const r = await b.sync();
    expect(r.problems).toEqual([]);
    expect((await b.db.articles.toArray()).map((x) => x.title)).toEqual(['Rollouts with Argo']);
    const again = await b.sync();
    expect(again.problems).toEqual([]);
    expect(await b.db.articles.count()).toBe(1);
  });
});
