import { afterAll, beforeAll, expect } from 'vitest';
import { runSync } from '../../../lib/sync/engine';
import { createDavClient } from '../../../lib/sync/webdav';
import { startWebdav, type WebdavServer } from '../../webdav-server';
import { freshDb } from '../helpers/db';

/**
 * A real WebDAV server for the file's tests, and devices that sync through a
 * new folder on it; every run must end without problems.
 */
export function syncDevices(prefix: string) {
  let server: WebdavServer;
  beforeAll(async () => {
    server = await startWebdav();
  });
  afterAll(async () => {
    await server.dispose();
  });
  let folderN = 0;
  return function folder() {
    const url = `${server.url}${prefix}-${++folderN}/`;
    return {
      device(name: string) {
        const db = freshDb();
        const dav = createDavClient({ url, user: server.user, password: server.pass }, fetch);
        const sync = async () => {
          await dav.mkcol('');
          const r = await runSync({ db, dav, identity: { deviceId: `dev-${name}`, deviceName: `Browser ${name}` }, now: Date.now });
          expect(r.problems).toEqual([]);
          return r;
        };
        return { db, sync };
      },
    };
  };
}
