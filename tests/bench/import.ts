// Import bench: restoring a generated 5,000-article backup (the path a
// Pocket or Omnivore refugee's whole library takes), against a same-run
// baseline of writing the same records straight into IndexedDB.
import { OffprintDB } from '../../lib/db/schema';
import type { Article } from '../../lib/db/types';
import { BACKUP_FORMAT, BACKUP_VERSION, restoreBackup, serializeBackup, validateBackup, type Backup, type BackupArticle } from '../../lib/io/backup';
import { measurePeakHeap, withRatio, type BenchArea } from './result';

const COUNT = 5000;

function paragraph(i: number, p: number): string {
  return `Paragraph ${p} of post ${i}: rolling updates, readiness probes and pod disruption budgets keep service ${i % 97} available while nodes drain and images roll forward.`;
}

export function generateBackup(count: number): Backup {
  const articles: BackupArticle[] = [];
  for (let i = 0; i < count; i++) {
    const paras = Array.from({ length: 8 }, (_, p) => paragraph(i, p));
    const text = paras.join('\n\n') + '\n\nkubectl rollout status deployment/web';
    const html = paras.map((t) => `<p>${t}</p>`).join('') + '<pre>kubectl rollout status deployment/web</pre>';
    const at = Date.UTC(2025, 0, 1) + i * 60_000;
    articles.push({
      id: `bench-${i}`,
      url: `https://blog.example.dev/post-${i}`,
      guid: i % 2 ? `https://medium.com/p/${i.toString(16)}` : undefined,
      source: i % 3 === 0 ? 'feed' : i % 3 === 1 ? 'clip' : 'import',
      box: i % 10 === 0 ? 'archive' : i % 3 === 0 ? 'inbox' : 'saved',
      title: `Post ${i}: keeping deployments boring`,
      author: `Author ${i % 40}`,
      tags: i % 4 ? ['kubernetes', `t${i % 9}`] : [],
      publishedAt: at,
      savedAt: at + 1000,
      sortAt: at,
      wordCount: 200,
      readingMinutes: 1,
      isRead: (i % 2) as 0 | 1,
      starred: (i % 7 === 0 ? 1 : 0) as 0 | 1,
      progress: (i % 5) / 5,
      isPreview: 0,
      isReply: 0,
      offline: 'ready',
      html,
      text,
    });
  }
  return { format: BACKUP_FORMAT, version: BACKUP_VERSION, exportedAt: Date.UTC(2026, 0, 1), settings: {}, feeds: [], articles };
}

let dbCounter = 0;
const freshDb = () => new OffprintDB(`bench-import-${++dbCounter}-${Date.now()}`);

const area: BenchArea = async () => {
  const json = serializeBackup(generateBackup(COUNT));
  console.log(`  backup file: ${(json.length / 1024 / 1024).toFixed(1)} MB, ${COUNT} articles`);

  // Baseline: the same records written with two bulkPuts, no parsing, checks or merging.
  const raw = generateBackup(COUNT).articles;
  const baseDb = freshDb();
  const baseline = await measurePeakHeap(async () => {
    await baseDb.transaction('rw', baseDb.articles, baseDb.contents, async () => {
      await baseDb.articles.bulkPut(raw.map(({ html: _h, text: _t, ...a }) => a as Article));
      await baseDb.contents.bulkPut(raw.map((a) => ({ id: a.id, html: a.html, text: a.text })));
    });
  });
  baseDb.close();

  const db = freshDb();
  const run = await measurePeakHeap(async () => {
    const backup = validateBackup(JSON.parse(json));
    return restoreBackup(db, backup);
  });
  if (run.result.added !== COUNT) throw new Error(`restored ${run.result.added} of ${COUNT}`);
  if ((await db.articles.count()) !== COUNT) throw new Error('article count mismatch after restore');
  db.close();

  const mb = (bytes: number) => bytes / 1024 / 1024;
  return [withRatio('import.backup5000.ms', run.ms, baseline.ms), withRatio('import.backup5000_peak_mb', mb(run.peakBytes), Math.max(mb(baseline.peakBytes), 0.01), 'MB')];
};

export default area;
