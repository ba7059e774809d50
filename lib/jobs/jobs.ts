import type { OffprintDB } from '../db/schema';

/**
 * Persisted records of long work that a closing page or a stopped service
 * worker can interrupt (imports, “Make all unread offline-ready”). Each
 * records its stage as it goes; one still “running” whose owner is gone is
 * shown to the user as interrupted, with a way to retry. The work itself
 * never leaves anything half-applied (an import writes each file in one
 * transaction; offline images are stored one by one and simply resume).
 * Stored in kv under `jobs:<id>`: no schema change.
 */
export type JobKind = 'import' | 'offline';
export type JobStatus = 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export interface JobRecord {
  id: string;
  kind: JobKind;
  /** What it works on, in words (a file name). */
  label: string;
  stage: string;
  done: number;
  total: number;
  status: JobStatus;
  error?: string;
  /** What the result message said, when it finished. */
  message?: string;
  startedAt: number;
  updatedAt: number;
  /** The page or worker instance running it. */
  owner: string;
}

const PREFIX = 'jobs:';
/** A running job not heard from for this long has lost its owner. */
export const JOB_STALE_MS = 15_000;
const KEEP = 20;

export interface JobDeps {
  now: () => number;
  newId: () => string;
}

export async function startJob(db: OffprintDB, job: Pick<JobRecord, 'kind' | 'label' | 'owner'> & { stage?: string; total?: number }, deps: JobDeps): Promise<JobRecord> {
  const now = deps.now();
  const record: JobRecord = { id: deps.newId(), stage: 'starting', done: 0, total: 0, status: 'running', startedAt: now, updatedAt: now, ...job };
  await db.kv.put({ key: PREFIX + record.id, value: record });
  await prune(db);
  return record;
}

/** Records progress (and is the heartbeat: call it at least every few seconds while running). */
export async function updateJob(db: OffprintDB, id: string, patch: Partial<Omit<JobRecord, 'id' | 'kind' | 'owner' | 'startedAt'>>, now: number): Promise<void> {
  await db.transaction('rw', db.kv, async () => {
    const current = (await db.kv.get(PREFIX + id))?.value as JobRecord | undefined;
    if (!current) return;
    await db.kv.put({ key: PREFIX + id, value: { ...current, ...patch, updatedAt: now } });
  });
}

export async function listJobs(db: OffprintDB, kind?: JobKind): Promise<JobRecord[]> {
  const rows = await db.kv.where('key').startsWith(PREFIX).toArray();
  return rows
    .map((r) => r.value as JobRecord)
    .filter((j) => !kind || j.kind === kind)
    .sort((a, b) => b.startedAt - a.startedAt);
}

/**
 * Marks running jobs whose owner is gone as interrupted: owned by another
 * instance and silent for JOB_STALE_MS, or (for a worker that restarted)
 * owned by any instance but `alive`.
 */
export async function markInterrupted(db: OffprintDB, kind: JobKind, opts: { alive: string; now: number; staleMs?: number }): Promise<JobRecord[]> {
  const stale = opts.staleMs ?? JOB_STALE_MS;
  const gone = (await listJobs(db, kind)).filter((j) => j.status === 'running' && j.owner !== opts.alive && opts.now - j.updatedAt >= stale);
  for (const j of gone) await updateJob(db, j.id, { status: 'interrupted' }, opts.now);
  return gone;
}

export async function dismissJob(db: OffprintDB, id: string): Promise<void> {
  await db.kv.delete(PREFIX + id);
}

/** Keeps the newest records only. */
async function prune(db: OffprintDB): Promise<void> {
  const jobs = await listJobs(db);
  const old = jobs.slice(KEEP).map((j) => PREFIX + j.id);
  if (old.length) await db.kv.bulkDelete(old);
}

/** “Saving 200 of 1000” */
export function describeStage(job: Pick<JobRecord, 'stage' | 'done' | 'total'>): string {
  const stage = job.stage.charAt(0).toUpperCase() + job.stage.slice(1);
  return job.total > 1 ? `${stage}, ${job.done} of ${job.total}` : stage;
}
