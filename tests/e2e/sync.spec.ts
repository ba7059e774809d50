import { startWebdav, type WebdavServer } from '../webdav-server';
import { expect, test } from './harness/fixtures';
import { SyncDevice } from './sync.helpers';

let dav: WebdavServer;
test.beforeAll(async () => {
  dav = await startWebdav();
});
test.afterAll(async () => {
  await dav.dispose();
});
let n = 0;
const folder = () => ({ url: `${dav.url}e2e-${process.pid}-${++n}/`, user: dav.user, password: dav.pass });

test('probe: options sync panel tests the connection', async ({ server }) => {
  const a = await SyncDevice.launch(server.port);
  try {
    const f = folder();
    await a.fill(f);
    await a.options.getByRole('button', { name: 'Test connection' }).click();
    await expect(a.options.getByRole('alert', { name: 'Connection' })).toContainText('does not exist');
    await a.options.screenshot({ path: 'test-results/sync-probe.png', fullPage: true });
  } finally {
    await a.close();
  }
});
