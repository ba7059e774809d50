// Runs inside Chromium (bundled by import.ts): a generated backup restored
// through the real path (parse, validate, sanitize with the page's DOM,
// merge, index) against writing the same records straight into IndexedDB,
// each into a fresh database of the same page.
import { OffprintDB } from '../../lib/db/schema';
import type { Article } from '../../lib/db/types';
import { createLocalPrepare } from '../../lib/dom/prepare';
import { restoreBackup, serializeBackup, validateBackup } from '../../lib/io/backup';
import { generateBackup } from './import-backup';

export interface ImportFigures {
  restoreMs: number;
  directMs: number;
  added: number;
}

async function importRound(count: number, round: number): Promise<ImportFigures> {
  const json = serializeBackup(generateBackup(count));
  const raw = generateBackup(count).articles;
  const directly = async () => {
    const direct = new OffprintDB(`bench-import-direct-${round}-${Date.now()}`);
    const t0 = performance.now();
    await direct.transaction('rw', direct.articles, direct.contents, async () => {
      await direct.articles.bulkPut(raw.map(({ html: _h, text: _t, ...a }) => a as Article));
      await direct.contents.bulkPut(raw.map((a) => ({ id: a.id, html: a.html, text: a.text })));
    });
    const ms = performance.now() - t0;
    direct.close();
    await OffprintDB.delete(direct.name);
    return ms;
  };
  const restoring = async () => {
    const db = new OffprintDB(`bench-import-restore-${round}-${Date.now()}`);
    await db.open();
    const t0 = performance.now();
    const summary = await restoreBackup(db, validateBackup(JSON.parse(json)), { prepare: createLocalPrepare(window) });
    const ms = performance.now() - t0;
    db.close();
    await OffprintDB.delete(db.name);
    return { ms, added: summary.added };
  };
  // Odd rounds restore first, so neither side always runs on the warmer (or the busier) page.
  if (round % 2) {
    const restore = await restoring();
    return { restoreMs: restore.ms, directMs: await directly(), added: restore.added };
  }
  const directMs = await directly();
  const restore = await restoring();
  return { restoreMs: restore.ms, directMs, added: restore.added };
}

Object.assign(globalThis, { importRound });
