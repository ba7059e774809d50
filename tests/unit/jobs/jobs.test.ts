// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../lib/feeds/parse';
import { importFileAsJob } from '../../../lib/io/import-job';
import { describeStage, listJobs, markInterrupted, startJob, updateJob } from '../../../lib/jobs/jobs';
import { PROGRESS_KEY, recoverOfflineRun, runOfflineJob } from '../../../lib/offline/images';
import { storeArticles } from '../../../lib/library/store';
import { fixedDeps, freshDb, newArticle } from '../helpers/db';
import { fileOf, fixture, importDeps } from '../io/helpers';

const ids = () => {
  let n = 0;
  return () => `job-${++n}`;
};

describe('persisted job records', () => {
  it('an import records its stage as it goes and how it ended', async () => {
    const db = freshDb();
    const deps = importDeps(db, parseFeed);
    const stages: string[] = [];
    const result = await importFileAsJob(fileOf('part_000000.csv', fixture('pocket-export.csv')), deps, { owner: 'page-1', now: () => Date.now(), newId: ids() }, { onProgress: (s) => stages.push(s) });
    expect(result.status).toBe('done');
    const [job] = await listJobs(db, 'import');
    expect(job).toMatchObject({ kind: 'import', label: 'part_000000.csv', status: 'done', owner: 'page-1', message: result.message });
    expect(stages).toContain('saving');
  });

  it('a running import whose page went silent is shown as interrupted, with its stage', async () => {
    const db = freshDb();
    const t0 = 1_000_000;
    const job = await startJob(db, { kind: 'import', label: 'big.csv', owner: 'closed-page' }, { now: () => t0, newId: ids() });
    await updateJob(db, job.id, { stage: 'saving', done: 200, total: 1000 }, t0 + 1000);
    // Another page opens soon after: the job may still be alive elsewhere.
    expect(await markInterrupted(db, 'import', { alive: 'new-page', now: t0 + 5000 })).toEqual([]);
    const gone = await markInterrupted(db, 'import', { alive: 'new-page', now: t0 + 60_000 });
    expect(gone.map((j) => j.label)).toEqual(['big.csv']);
    const [after] = await listJobs(db, 'import');
    expect(after).toMatchObject({ status: 'interrupted', stage: 'saving', done: 200, total: 1000 });
    expect(describeStage(after!)).toBe('Saving, 200 of 1000');
    // Its own page never counts as gone.
    const mine = await startJob(db, { kind: 'import', label: 'mine.csv', owner: 'new-page' }, { now: () => t0, newId: ids() });
    await markInterrupted(db, 'import', { alive: 'new-page', now: t0 + 60_000 });
    expect((await listJobs(db)).find((j) => j.id === mine.id)!.status).toBe('running');
  });

  it('“Make all unread offline-ready” left running by a stopped background is interrupted at the next start, and Retry finishes it', async () => {
    const db = freshDb();
    await storeArticles(db, [newArticle({ html: '<p>x</p><img src="https://img.example/a.png">' })], fixedDeps());
    await startJob(db, { kind: 'offline', label: 'Make all unread offline-ready', owner: 'old-worker' }, { now: () => 1, newId: ids() });
    await db.kv.put({ key: PROGRESS_KEY, value: { running: true, done: 3, total: 10, incomplete: 0 } });
    expect(await recoverOfflineRun(db, 'new-worker', 2)).toBe(true);
    expect((await db.kv.get(PROGRESS_KEY))!.value).toMatchObject({ running: false, interrupted: true, done: 3, total: 10 });
    expect((await listJobs(db, 'offline'))[0]).toMatchObject({ status: 'interrupted' });

    const png = new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' });
    const result = await runOfflineJob(db, { fetch: async () => new Response(png, { headers: { 'content-type': 'image/png' } }) }, { owner: 'new-worker', now: () => 3, newId: ids() }, (value) => db.kv.put({ key: PROGRESS_KEY, value }));
    expect(result).toMatchObject({ running: false, done: 1, total: 1 });
    expect((await db.kv.get(PROGRESS_KEY))!.value).not.toHaveProperty('interrupted');
    expect((await listJobs(db, 'offline'))[0]).toMatchObject({ status: 'done', owner: 'new-worker' });
  });
});
