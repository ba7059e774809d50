import 'fake-indexeddb/auto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OffprintDB } from '../../../lib/db/schema';
import { addTag, moveToTrash, purgeArticles, removeTag, restoreFromTrash, saveProgress, setRead, setStarred } from '../../../lib/library/actions';
import { applyRemoteChanges } from '../../../lib/library/sync-apply';
import { addHighlight, deleteHighlight, setArticleNote, updateHighlight } from '../../../lib/library/highlights';
import { storeArticles } from '../../../lib/library/store';
import { fillPlaceholders } from '../../../lib/library/content';
import { gistFilesHtml } from '../../../lib/gists/gists';
import { runSync, type CompactionPolicy } from '../../../lib/sync/engine';
import { decodeFile } from '../../../lib/sync/format';
import { createDavClient } from '../../../lib/sync/webdav';
import type { SegmentPayload, WireChange } from '../../../lib/sync/wire';
import { startWebdav, type WebdavServer } from '../../webdav-server';
import { freshDb, newArticle } from '../helpers/db';

let server: WebdavServer;
beforeAll(async () => {
  server = await startWebdav();
});
afterAll(async () => {
  await server.dispose();
});

/** A small seeded generator, so a failing case can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The library as a user sees it: articles (without this device's image state), contents, highlights and notes. */
async function library(db: OffprintDB) {
  // JSON drops fields stored as undefined, which a record written here may have and one from elsewhere not.
  const articles = (await db.articles.toArray()).map(({ offline: _o, ...rest }) => JSON.parse(JSON.stringify(rest)) as typeof rest).sort((a, b) => a.id.localeCompare(b.id));
  const contents = (await db.contents.toArray()).filter((c) => articles.some((a) => a.id === c.id)).sort((a, b) => a.id.localeCompare(b.id));
  const highlights = (await db.highlights.toArray()).map((h) => JSON.parse(JSON.stringify(h)) as typeof h).sort((a, b) => a.id.localeCompare(b.id));
  const notes = (await db.articleNotes.toArray()).sort((a, b) => a.articleId.localeCompare(b.articleId));
  return { articles, contents, highlights, notes };
}

const GIST = 'https://gist.github.com/ops/0123456789abcdef';
const marker = `<pre data-offprint-gist="${GIST}"><code>Embedded code: ${GIST}</code></pre>`;
const filledGist = gistFilesHtml([{ filename: 'deploy.sh', language: 'Shell', content: 'kubectl rollout status deploy/api\n' }], GIST);
const filledGistText = 'deploy.sh\nkubectl rollout status deploy/api';

/** Content of different completeness: a link-only stub, a feed preview, a short or full text, a text with a gist placeholder. */
function content(kind: 'short' | 'stub' | 'preview' | 'full' | 'gist', url: string, tag: string, random: () => number): { html: string; text: string } {
  const words = (n: number) => Array.from({ length: n }, (_, i) => `${tag}w${i}`).join(' ');
  if (kind === 'short') return { html: `<p>${tag}</p>`, text: tag };
  if (kind === 'stub') return { html: `<p><a href="${url}">${tag}</a></p>`, text: tag };
  if (kind === 'preview') {
    const t = words(50 + Math.floor(random() * 30));
    return { html: `<p class="medium-feed-snippet">${t}</p><p><a href="${url}">Continue reading on Medium</a></p>`, text: `${t}\n\nContinue reading on Medium` };
  }
  const t = words(kind === 'gist' ? 150 + Math.floor(random() * 20) : 300 + Math.floor(random() * 300));
  if (kind === 'gist') return { html: `<p>${t}</p>${marker}`, text: `${t}\n\nEmbedded code: ${GIST}` };
  return { html: `<p>${t}</p>`, text: t };
}

const sleep = () => new Promise((r) => setTimeout(r, 2));

async function randomHistory(seed: number, compaction?: Partial<CompactionPolicy>, kinds = false) {
  const random = rng(seed);
  const pick = <T,>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
  const url = `${server.url}order-${seed}/`;
  const devices = ['a', 'b', 'c'].map((name) => {
    const db = freshDb();
    const dav = createDavClient({ url, user: server.user, password: server.pass }, fetch);
    return { name, db, sync: async () => { await dav.mkcol(''); await runSync({ db, dav, identity: { deviceId: `dev-${name}`, deviceName: name }, now: Date.now, compaction }); } };
  });
  // With tombstone cleanup every device is known from the start: one that has never synced is not
  // waited for, and a clip it made before a purge everyone has forgotten would come back (README).
  if (compaction) for (const d of devices) await d.sync();
  const urls = ['https://p.test/1', 'https://p.test/2', 'https://p.test/3', 'https://p.test/4'];
  for (let step = 0; step < 40; step++) {
    const d = pick(devices);
    const ids = (await d.db.articles.toCollection().primaryKeys()) as string[];
    const op = random();
    await sleep();
    if (op < 0.15 || ids.length === 0) {
      const u = pick(urls);
      const kind = kinds ? pick(['short', 'stub', 'preview', 'full', 'full', 'gist', 'fill'] as const) : 'short';
      if (kind === 'fill') {
        // Gist code fetched here for a copy that still has the placeholder.
        const withMarker = (await d.db.contents.toArray()).filter((c) => c.html.includes(marker));
        if (withMarker.length === 0) continue;
        const c = pick(withMarker);
        await fillPlaceholders(d.db, c.id, c.html, c.html.replace(marker, filledGist), c.text.replace(`Embedded code: ${GIST}`, filledGistText));
      } else {
        const body = content(kind, u, `${d.name}${step}`, random);
        await storeArticles(d.db, [newArticle({ url: u, title: `${u} from ${d.name}`, isPreview: kind === 'preview' ? 1 : 0, ...body })]);
      }
    } else if (op < 0.25) await addTag(d.db, [pick(ids)], pick(['k8s', 'sre', 'ci']));
    else if (op < 0.3) await removeTag(d.db, [pick(ids)], pick(['k8s', 'sre', 'ci']));
    else if (op < 0.4) await setStarred(d.db, [pick(ids)], random() < 0.5 ? 1 : 0);
    else if (op < 0.5) await saveProgress(d.db, pick(ids), Math.round(random() * 100) / 100);
    else if (op < 0.55) await setRead(d.db, [pick(ids)], random() < 0.5 ? 1 : 0);
    else if (op < 0.65) await moveToTrash(d.db, [pick(ids)], Date.UTC(2026, 10, 1) + step);
    else if (op < 0.7) await restoreFromTrash(d.db, [pick(ids)]);
    // Not with content of different completeness: see lib/sync/README.md (a purge, a copy saved again after it, and richer content from before it).
    else if (op < 0.73) await (kinds ? moveToTrash(d.db, [pick(ids)], Date.UTC(2026, 10, 1) + step) : purgeArticles(d.db, [pick(ids)]));
    else if (op < 0.8) await addHighlight(d.db, { articleId: pick(ids), quote: { type: 'TextQuoteSelector', exact: `q${step}`, prefix: '', suffix: '' }, position: { type: 'TextPositionSelector', start: step, end: step + 3 } });
    else if (op < 0.86) {
      const hs = await d.db.highlights.toArray();
      if (hs.length === 0) continue;
      const h = pick(hs);
      if (random() < 0.4) await deleteHighlight(d.db, h.id);
      else await updateHighlight(d.db, h.id, random() < 0.5 ? { note: `${d.name} ${step}` } : { color: pick(['green', 'blue', 'pink'] as const) });
    } else if (op < 0.9) await setArticleNote(d.db, pick(ids), random() < 0.2 ? '' : `note ${d.name} ${step}`);
    else await d.sync();
  }
  // Everyone meets twice: then every device holds the same library.
  for (let round = 0; round < 2; round++) for (const d of devices) await d.sync();
  const segments: WireChange[][] = [];
  if (compaction) return { devices, segments, random, url };
  for (const d of devices) {
    const dir = join(server.dir, `order-${seed}`, `dev-${d.name}`);
    for (const file of readdirSync(dir).filter((f) => f.startsWith('seg-'))) {
      const seq = Number(file.slice(4, 12));
      const { payload } = await decodeFile<SegmentPayload>(new Uint8Array(readFileSync(join(dir, file))), undefined, { kind: 'seg', device: `dev-${d.name}`, seq });
      segments.push(payload.changes);
    }
  }
  return { devices, segments, random, url };
}

describe('merge is independent of the order segments are applied in', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`random history ${seed}: every device converges, and any order of the same segments gives that library`, async () => {
      const { devices, segments, random } = await randomHistory(seed);
      const expected = await library(devices[0]!.db);
      for (const d of devices.slice(1)) expect(await library(d.db)).toEqual(expected);
      for (let trial = 0; trial < 4; trial++) {
        const order = [...segments].sort(() => random() - 0.5);
        const db = freshDb();
        for (const changes of order) await applyRemoteChanges(db, changes);
        expect(await library(db)).toEqual(expected);
      }
    }, 60_000);
  }
});

describe('content of different completeness (stub, preview, text, gist placeholders and filled code) converges in any order', () => {
  for (const seed of [31, 32, 33, 34, 35, 36, 37, 38]) {
    it(`random history ${seed}: every device converges, and any order of the same segments gives that library`, async () => {
      const { devices, segments, random } = await randomHistory(seed, undefined, true);
      const expected = await library(devices[0]!.db);
      for (const d of devices.slice(1)) expect(await library(d.db)).toEqual(expected);
      for (let trial = 0; trial < 4; trial++) {
        const order = [...segments].sort(() => random() - 0.5);
        const db = freshDb();
        for (const changes of order) await applyRemoteChanges(db, changes);
        expect(await library(db)).toEqual(expected);
      }
    }, 60_000);
  }
});

describe('with snapshots, compaction and tombstone cleanup', () => {
  for (const seed of [11, 12, 13, 14, 15, 16]) {
    it(`random history ${seed}: every device converges, and a new device reading snapshots and the rest gets that library`, async () => {
      const { devices, url } = await randomHistory(seed, { snapshotAfterUploads: 2, snapshotMinBytes: 0, tombstoneMinAgeMs: 0, cleanupEveryMs: 0 });
      const expected = await library(devices[0]!.db);
      for (const d of devices.slice(1)) expect(await library(d.db)).toEqual(expected);
      const db = freshDb();
      const dav = createDavClient({ url, user: server.user, password: server.pass }, fetch);
      const r = await runSync({ db, dav, identity: { deviceId: 'dev-new', deviceName: 'new' }, now: Date.now });
      expect(r.problems).toEqual([]);
      expect(await library(db)).toEqual(expected);
    }, 60_000);
  }
});
