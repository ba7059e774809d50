// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../lib/feeds/parse';
import { limitDepth, limitDepthInSlices, MAX_DEPTH } from '../../../lib/io/html-depth';
import { importFile } from '../../../lib/io/import';
import { freshDb } from '../helpers/db';
import { fileOf, importDeps } from './helpers';

const prose = Array.from({ length: 12 }, (_, i) => `<p>Paragraph ${i} about draining nodes before an upgrade, with enough words to read as an article.</p>`).join('');
/** A saved page whose markup nests `depth` divs around the article. */
const nested = (depth: number) => `<!doctype html><html><head><title>Deep page</title></head><body>${'<div>'.repeat(depth)}<article><h1>Deep page</h1>${prose}</article>${'</div>'.repeat(depth)}</body></html>`;

describe('pathological nesting is flattened before any DOM work', () => {
  it('keeps ordinary markup as it is', () => {
    const html = '<div><p>a<p>b<ul><li>x<li>y</ul><br><img src=x><script>if (a<b) {}</script><!-- <div> --></div>';
    expect(limitDepth(html)).toMatchObject({ html, flattened: 0 });
  });

  it('drops tags deeper than the limit and keeps their text, in linear time', () => {
    const started = performance.now();
    const report = limitDepth(nested(60_000));
    expect(performance.now() - started).toBeLessThan(3000);
    expect(report.maxDepth).toBeGreaterThan(60_000);
    expect(report.flattened).toBeGreaterThan(100_000);
    expect((report.html.match(/<div>/g) ?? []).length).toBeLessThanOrEqual(MAX_DEPTH);
    expect(report.html).toContain('Paragraph 11 about draining nodes');
  });

  it('stops at once when cancelled between slices', async () => {
    const controller = new AbortController();
    let slices = 0;
    const run = limitDepthInSlices(nested(60_000), { signal: controller.signal, slice: 10_000, onProgress: () => ++slices === 2 && controller.abort() });
    await expect(run).rejects.toThrow(/Cancelled/);
    expect(slices).toBe(2);
  });

  it('imports such a file with a note, and Cancel during it stores nothing', async () => {
    const db = freshDb();
    const r = await importFile(fileOf('deep.html', nested(20_000)), importDeps(db, parseFeed));
    expect(r).toMatchObject({ status: 'done', added: 1 });
    const article = (await db.articles.toArray())[0]!;
    expect(article.captureWarning).toMatch(/nested \d+ levels deep/);
    expect((await db.contents.get(article.id))!.text).toContain('Paragraph 11');

    const other = freshDb();
    const controller = new AbortController();
    const cancelled = await importFile(fileOf('deep.html', nested(60_000)), importDeps(other, parseFeed), { signal: controller.signal, onProgress: (stage) => stage === 'reading' && controller.abort() });
    expect(cancelled.status).toBe('cancelled');
    expect(await other.articles.count()).toBe(0);
  });
});
