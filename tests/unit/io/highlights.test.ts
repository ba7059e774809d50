// @vitest-environment jsdom
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../lib/feeds/parse';
import { describeSpan } from '../../../lib/highlights/anchor';
import { createBackup, restoreBackup, serializeBackup, validateBackup } from '../../../lib/io/backup';
import { exportArticles } from '../../../lib/io/export';
import { annotationsToMarkdown, exportAllHighlights, parseOmnivoreHighlights, parseReadwiseCsv } from '../../../lib/io/highlights';
import { importFile } from '../../../lib/io/import';
import { addHighlight, highlightsOf, setArticleNote, articleNoteOf } from '../../../lib/library/highlights';
import { storeArticles } from '../../../lib/library/store';
import { createSanitizer } from '../../../lib/html/sanitize';
import { fixedDeps, freshDb, newArticle } from '../helpers/db';
import { fileOf, importDeps } from './helpers';

const TEXT = 'Drain the node first.\nThen run the upgrade.\nspec:\n  replicas: 3\n  strategy: Recreate';

async function library() {
  const db = freshDb();
  const deps = fixedDeps();
  const [a] = await storeArticles(db, [newArticle({ url: 'https://ops.example/upgrade', title: 'Node upgrades', text: TEXT, html: '<p>Drain the node first.</p><p>Then run the upgrade.</p><pre><code>spec:\n  replicas: 3\n  strategy: Recreate</code></pre>' })], deps);
  const span = (exact: string) => describeSpan(TEXT, { start: TEXT.indexOf(exact), end: TEXT.indexOf(exact) + exact.length });
  await addHighlight(db, { articleId: a!.id, ...span('node first.\nThen run'), note: 'Cordon **before** draining' }, deps);
  await addHighlight(db, { articleId: a!.id, ...span('  replicas: 3\n  strategy'), color: 'blue' }, deps);
  await setArticleNote(db, a!.id, 'Worth a runbook.', deps);
  return { db, deps, id: a!.id };
}

describe('highlights in exports and imports', () => {
  it('writes Markdown quotes with the note under each, code fenced with its exact characters', async () => {
    const { db, id } = await library();
    const md = annotationsToMarkdown({ highlights: await highlightsOf(db, id), articleNote: await articleNoteOf(db, id) });
    expect(md).toContain('## Notes\n\nWorth a runbook.');
    expect(md).toContain('> node first.\n>\n> Then run\n\nCordon **before** draining');
    expect(md).toContain('> ```\n>   replicas: 3\n>   strategy\n> ```\n\n*colour: blue*');
    const file = await exportArticles(db, [id], 'markdown', { doc: document, sanitize: createSanitizer(window) });
    expect(String(file.data)).toContain('## Highlights');
    const zip = await exportAllHighlights(db);
    const files = unzipSync(zip.data);
    expect(Object.keys(files)).toEqual(['Node upgrades.md']);
    expect(new TextDecoder().decode(files['Node upgrades.md'])).toContain('[Source](https://ops.example/upgrade)');
  });

  it('carries highlights and notes through a backup losslessly', async () => {
    const { db, id } = await library();
    const backup = await createBackup(db, { includeImages: false });
    const fresh = freshDb();
    const summary = await restoreBackup(fresh, validateBackup(JSON.parse(serializeBackup(backup))));
    expect(summary.highlights).toBe(2);
    expect(await highlightsOf(fresh, id)).toEqual(await highlightsOf(db, id));
    expect(await articleNoteOf(fresh, id)).toBe('Worth a runbook.');
    // Restoring again changes nothing.
    await restoreBackup(fresh, validateBackup(JSON.parse(serializeBackup(backup))));
    expect(await fresh.highlights.count()).toBe(2);
    expect(await articleNoteOf(fresh, id)).toBe('Worth a runbook.');
    expect(() => validateBackup({ ...backup, records: { ...backup.records, highlights: [{ id: 'x' }] } })).toThrow(/Highlight 1 in this backup is damaged/);
  });

  it('parses Omnivore highlight files: quotes without the back link, labels dropped, notes kept', () => {
    const md = '> Pin the chart version [⤴️](https://omnivore.app/me/helm#a1)\n\n#helm\n\nAlways pin it.\n\n> Second line one\n> line two [⤴️](https://omnivore.app/me/helm#a2)\n';
    expect(parseOmnivoreHighlights(md)).toEqual([
      { exact: 'Pin the chart version', note: 'Always pin it.' },
      { exact: 'Second line one\nline two', note: undefined },
    ]);
  });

  it('imports an Omnivore zip with its highlights and says what it could not keep', async () => {
    const db = freshDb();
    const meta = [{ id: '1', slug: 'helm-pins', title: 'Pin your charts', url: 'https://charts.example/pins', savedAt: '2024-05-01T10:00:00Z', state: 'Succeeded' }];
    const zip = zipSync({
      'metadata_0_to_1.json': strToU8(JSON.stringify(meta)),
      'content/helm-pins.html': strToU8('<p>Always pin the chart version in CI.</p><p>Upgrades then stay boring.</p>'),
      'highlights/helm-pins.md': strToU8('> pin the chart version [⤴️](https://omnivore.app/me/helm-pins#h1)\n\nUse helm lock files too.\n\n> A sentence the article no longer has\n'),
      'highlights/gone.md': strToU8('> orphan quote\n'),
    });
    const r = await importFile(fileOf('omnivore.zip', zip), importDeps(db, parseFeed));
    expect(r.status).toBe('done');
    expect(r.message).toContain('2 highlights kept');
    expect(r.message).toContain('1 highlight in highlights/ belong to no article');
    expect(r.message).toContain('1 highlight is not in its article’s text; kept and listed as “could not be placed”');
    const hs = (await db.highlights.toArray()).sort((a, b) => b.placed - a.placed);
    expect(hs).toMatchObject([
      { articleId: r.ids[0], note: 'Use helm lock files too.', quote: { exact: 'pin the chart version' }, placed: 1 },
      { quote: { exact: 'A sentence the article no longer has' }, placed: 0 },
    ]);
    // Importing again does not double them.
    await importFile(fileOf('omnivore.zip', zip), importDeps(db, parseFeed));
    expect(await db.highlights.count()).toBe(2);
  });

  it('imports Readwise highlight CSV onto articles already here and names those it could not', async () => {
    const { db } = await library();
    const csv = 'Highlight,Book Title,Book Author,Note,Color,Highlighted at\n"Then run the upgrade.",Node upgrades,Ops,"Check PDBs",green,2024-03-01 10:00:00\n"Something",Unknown article,X,,,\n';
    expect(parseReadwiseCsv(csv)[0]).toMatchObject({ exact: 'Then run the upgrade.', title: 'Node upgrades', note: 'Check PDBs', color: 'green' });
    const r = await importFile(fileOf('readwise.csv', strToU8(csv)), importDeps(db, parseFeed));
    expect(r.message).toMatch(/Imported 1 highlight onto articles in your library\. 1 highlight from 1 article not in your library was not imported .*“Unknown article”/);
    expect(await db.highlights.filter((h) => h.note === 'Check PDBs').count()).toBe(1);
  });
});
