// Sync bench (issue 16): a 5,000-article library through a real WebDAV
// server (rclone serve webdav on 127.0.0.1): the first upload to an empty
// folder, the other device's first download, then one changed article
// from one device to the other: time and bytes on the wire.
import { OffprintDB } from '../../lib/db/schema';
import { setStarred } from '../../lib/library/actions';
import { storeImage } from '../../lib/library/images';
import { storeArticles } from '../../lib/library/store';
import type { NewArticle } from '../../lib/messages';
import { runSync } from '../../lib/sync/engine';
import { createDavClient } from '../../lib/sync/webdav';
import { startWebdav } from '../webdav-server';
import { round, type BenchResult } from './result';

const ARTICLES = 5_000;

function article(i: number): NewArticle {
  const words = ['kubernetes', 'terraform', 'rollout', 'canary', 'latency', 'budget', 'incident', 'pipeline', 'helm', 'etcd'];
  const para = (k: number) => `<p>${Array.from({ length: 80 }, (_, j) => words[(i * 7 + k * 3 + j) % words.length]).join(' ')}.</p>`;
  const html = Array.from({ length: 8 }, (_, k) => para(k)).join('');
  return {
    url: `https://bench.example.dev/posts/${i}`,
    guid: `https://bench.example.dev/p/${i}`,
    source: i % 3 ? 'feed' : 'clip',
    title: `Bench article ${i}: ${words[i % words.length]} at scale`,
    author: `Author ${i % 50}`,
    excerpt: 'A generated article for the sync bench.',
    html,
    text: html.replace(/<[^>]+>/g, ' '),
    savedAt: Date.UTC(2026, 0, 1) + i * 60_000,
    publishedAt: Date.UTC(2026, 0, 1) + i * 60_000,
    tags: i % 5 ? [] : ['sre'],
  };
}

export default async function syncBench(): Promise<BenchResult[]> {
  const server = await startWebdav();
  try {
    const a = new OffprintDB(`bench-sync-a-${Date.now()}`);
    const b = new OffprintDB(`bench-sync-b-${Date.now()}`);
    for (let i = 0; i < ARTICLES; i += 500) await storeArticles(a, Array.from({ length: Math.min(500, ARTICLES - i) }, (_, k) => article(i + k)));
    const url = `${server.url}bench/`;
    const davA = createDavClient({ url, user: server.user, password: server.pass }, fetch);
    const davB = createDavClient({ url, user: server.user, password: server.pass }, fetch);
    await davA.mkcol('');
    const sync = (db: OffprintDB, dav: typeof davA, id: string) => runSync({ db, dav, identity: { deviceId: id, deviceName: id }, now: Date.now });

    let t = performance.now();
    const first = await sync(a, davA, 'bench-a');
    const initial = performance.now() - t;
    const initialBytes = davA.traffic.sent;

    t = performance.now();
    const down = await sync(b, davB, 'bench-b');
    const download = performance.now() - t;
    if ((await b.articles.count()) !== ARTICLES) throw new Error(`B has ${await b.articles.count()} articles after its first sync`);

    // One changed article, A to B, several times: the median.
    const times: number[] = [];
    const bytes: number[] = [];
    const ids = (await a.articles.limit(5).primaryKeys()) as string[];
    for (const id of ids) {
      await setStarred(a, [id], 1);
      const before = davA.traffic.sent + davA.traffic.received + davB.traffic.sent + davB.traffic.received;
      t = performance.now();
      await sync(a, davA, 'bench-a');
      await sync(b, davB, 'bench-b');
      times.push(performance.now() - t);
      bytes.push(davA.traffic.sent + davA.traffic.received + davB.traffic.sent + davB.traffic.received - before);
      if ((await b.articles.get(id))?.starred !== 1) throw new Error('The change did not reach B');
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

    // A writes a snapshot of its whole state; a new device C then starts from it (not from every segment).
    await setStarred(a, [ids[0]!], 0);
    t = performance.now();
    const snapRun = await runSync({ db: a, dav: davA, identity: { deviceId: 'bench-a', deviceName: 'bench-a' }, now: Date.now, compaction: { snapshotAfterUploads: 1, snapshotMinBytes: 0 } });
    const snapshotMs = performance.now() - t;
    if (!snapRun.snapshot) throw new Error('A wrote no snapshot');
    const c = new OffprintDB(`bench-sync-c-${Date.now()}`);
    const davC = createDavClient({ url, user: server.user, password: server.pass }, fetch);
    t = performance.now();
    await sync(c, davC, 'bench-c');
    const fromSnapshot = performance.now() - t;
    if ((await c.articles.count()) !== ARTICLES) throw new Error(`C has ${await c.articles.count()} articles after starting from the snapshot`);
    a.close();
    b.close();
    c.close();
    const images = await imageBench(server);
    return [
      { name: 'sync.initial5000_ms', value: round(initial), unit: 'ms' },
      { name: 'sync.initial5000_upload_bytes', value: initialBytes, unit: 'bytes' },
      { name: 'sync.initial5000_changes', value: first.uploaded, unit: 'changes' },
      { name: 'sync.initial5000_download_ms', value: round(download), unit: 'ms' },
      { name: 'sync.initial5000_download_changes', value: down.applied, unit: 'changes' },
      { name: 'sync.one_change_ms', value: round(median(times)), unit: 'ms' },
      { name: 'sync.one_change_bytes', value: median(bytes), unit: 'bytes' },
      { name: 'sync.snapshot5000_write_ms', value: round(snapshotMs), unit: 'ms' },
      { name: 'sync.new_device_from_snapshot_ms', value: round(fromSnapshot), unit: 'ms' },
      { name: 'sync.new_device_from_snapshot_bytes', value: davC.traffic.received, unit: 'bytes' },
      ...images,
    ];
  } finally {
    await server.dispose();
  }
}

/** Image sync: 100 stored images (about 30 KB each) uploaded in one run, then a run with nothing new. */
async function imageBench(server: Awaited<ReturnType<typeof startWebdav>>): Promise<BenchResult[]> {
  const db = new OffprintDB(`bench-sync-img-${Date.now()}`);
  const stored = await storeArticles(db, Array.from({ length: 10 }, (_, i) => article(ARTICLES + i)));
  for (let i = 0; i < 100; i++) {
    const bytes = new Uint8Array(30_000);
    crypto.getRandomValues(bytes);
    await storeImage(db, stored[i % 10]!.id, `https://img.bench.example.dev/${i}.png`, new Blob([bytes], { type: 'image/png' }), Date.now());
  }
  const dav = createDavClient({ url: `${server.url}bench-images/`, user: server.user, password: server.pass }, fetch);
  await dav.mkcol('');
  const run = () => runSync({ db, dav, identity: { deviceId: 'bench-img', deviceName: 'bench-img' }, now: Date.now, images: true });
  let t = performance.now();
  const first = await run();
  const upload = performance.now() - t;
  if (first.images?.uploaded !== 100) throw new Error(`uploaded ${first.images?.uploaded} images`);
  const before = dav.traffic.requests;
  t = performance.now();
  await run();
  const quiet = performance.now() - t;
  db.close();
  return [
    { name: 'sync.images100_upload_ms', value: round(upload), unit: 'ms' },
    { name: 'sync.images100_nochange_ms', value: round(quiet), unit: 'ms' },
    { name: 'sync.images100_nochange_requests', value: dav.traffic.requests - before, unit: 'requests' },
  ];
}
