import { startJob, updateJob, type JobDeps } from '../jobs/jobs';
import { importFile, type FileResult, type ImportDeps, type ImportFileInput, type ImportOptions } from './import';

export interface ImportJobDeps extends JobDeps {
  /** This page's instance id: a job of another instance that went silent was interrupted. */
  owner: string;
  /** How often the record is touched while the file imports (also between progress events). */
  heartbeatMs?: number;
}

/**
 * importFile, recorded as a job: its stage is written as it goes (at most
 * every half second, and on every stage change), and a heartbeat keeps it
 * fresh, so if the page closes mid-way the next options page shows
 * “interrupted at Saving 200 of 1000” with a way to retry. The file itself is
 * one transaction: an interrupted import stored nothing.
 */
export async function importFileAsJob(file: ImportFileInput, deps: ImportDeps, job: ImportJobDeps, opts: ImportOptions = {}): Promise<FileResult> {
  const { db } = deps;
  const record = await startJob(db, { kind: 'import', label: file.name, owner: job.owner, stage: 'reading' }, job);
  let last = { stage: '', at: 0, done: 0, total: 0 };
  const write = (force: boolean) => {
    const now = job.now();
    if (!force && now - last.at < 500) return;
    last.at = now;
    void updateJob(db, record.id, { stage: last.stage || 'reading', done: last.done, total: last.total }, now).catch(() => undefined);
  };
  const heartbeat = setInterval(() => write(true), job.heartbeatMs ?? 3000);
  try {
    const result = await importFile(file, deps, {
      ...opts,
      onProgress: (stage, done, total) => {
        const changed = stage !== last.stage;
        last = { ...last, stage, done, total };
        write(changed);
        opts.onProgress?.(stage, done, total);
      },
    });
    await updateJob(db, record.id, { status: result.status, message: result.message, ...(result.status === 'failed' ? { error: result.message } : {}) }, job.now());
    return result;
  } finally {
    clearInterval(heartbeat);
  }
}
