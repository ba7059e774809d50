import Dexie from 'dexie';
import type { OffprintDB } from '../db/schema';
import type { Article } from '../db/types';
import { deleteJobsIn, putJobs } from '../library/fulltext-jobs';

/**
 * One "Fetch full text" job, persisted so the queue survives the service
 * worker stopping and the browser restarting. Kept small: 20,000 queued
 * links stay within a few MB. See lib/fulltext/README.md for the invariants.
 */
export interface FullTextJob {
  articleId: string;
  url: string;
  host: string;
  state: JobState;
  /** Queue order (enqueue time plus a counter): FIFO within a state. */
  seq: number;
  attempts: number;
  /** Not before this time (Retry-After, backoff). */
  notBefore: number;
  /** Why it failed, in plain words. */
  error?: string;
  /** The fetched page, kept until its article is stored, so a stopped worker never fetches it again. */
  fetched?: { html: string; url: string };
  finishedAt?: number;
}

export type JobState = 'queued' | 'running' | 'done' | 'failed';

/** Run-wide state in kv: paused or not, and when the current batch started. */
export interface RunState {
  paused: boolean;
  startedAt: number;
}

export const RUN_KEY = 'fulltext:run';
export const PROGRESS_KEY = 'fulltext:progress';

export interface FullTextProgress {
  queued: number;
  running: number;
  done: number;
  failed: number;
  paused: boolean;
  /** Milliseconds left at the recent rate; undefined until it is known. */
  etaMs?: number;
}

/** Fewer words than this, and an article is only its link (Pocket stubs, URL lists, summaries). */
export const LINK_ONLY_WORDS = 40;

export function isLinkOnly(a: Pick<Article, 'url' | 'wordCount' | 'isPreview' | 'box' | 'source'>): boolean {
  return /^https?:\/\//i.test(a.url) && a.wordCount <= LINK_ONLY_WORDS && !a.isPreview && a.box !== 'trash' && a.source !== 'clip';
}

export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}

const range = (state: JobState) => [
  [state, Dexie.minKey],
  [state, Dexie.maxKey],
] as const;

export function jobsIn(db: OffprintDB, state: JobState) {
  const [lo, hi] = range(state);
  return db.fulltextJobs.where('[state+seq]').between(lo, hi);
}

export async function countJobs(db: OffprintDB): Promise<Record<JobState, number>> {
  const [queued, running, done, failed] = await Promise.all((['queued', 'running', 'done', 'failed'] as const).map((s) => jobsIn(db, s).count()));
  return { queued: queued!, running: running!, done: done!, failed: failed! };
}

/** Link-only articles of the library, or of the given ids. */
export async function linkOnlyArticles(db: OffprintDB, ids?: string[]): Promise<Pick<Article, 'id' | 'url'>[]> {
  const rows = ids ? (await db.articles.bulkGet(ids)).filter((a): a is Article => !!a) : await db.articles.filter((a) => isLinkOnly(a)).toArray();
  return rows.filter(isLinkOnly).map((a) => ({ id: a.id, url: a.url }));
}

/**
 * Queues articles for fetching. An article already queued, running or done
 * is left alone (nothing is fetched twice); a failed one is queued again,
 * since the reader asked again.
 */
export async function enqueue(db: OffprintDB, articles: Pick<Article, 'id' | 'url'>[], now: number): Promise<number> {
  return db.transaction('rw', db.fulltextJobs, db.kv, async () => {
    const active = (await jobsIn(db, 'queued').count()) + (await jobsIn(db, 'running').count());
    if (active === 0) {
      // A new batch: the last one's outcome was seen; progress starts from here.
      await deleteJobsIn(db, 'done');
      await deleteJobsIn(db, 'failed');
      await db.kv.put({ key: RUN_KEY, value: { paused: false, startedAt: now } satisfies RunState });
    }
    const existing = await db.fulltextJobs.bulkGet(articles.map((a) => a.id));
    const fresh: FullTextJob[] = [];
    articles.forEach((a, i) => {
      const job = existing[i];
      if (job && job.state !== 'failed') return;
      fresh.push({ articleId: a.id, url: a.url, host: hostOf(a.url), state: 'queued', seq: now * 1000 + i, attempts: 0, notBefore: 0 });
    });
    await putJobs(db, fresh);
    return fresh.length;
  });
}

export async function runState(db: OffprintDB): Promise<RunState | undefined> {
  return (await db.kv.get(RUN_KEY))?.value as RunState | undefined;
}

export async function setPaused(db: OffprintDB, paused: boolean): Promise<void> {
  const run = (await runState(db)) ?? { paused, startedAt: 0 };
  await db.kv.put({ key: RUN_KEY, value: { ...run, paused } });
}

/** Forgets finished jobs (after the reader saw the outcome); failures can be cleared too. */
export async function clearFinished(db: OffprintDB, withFailures: boolean): Promise<void> {
  await deleteJobsIn(db, 'done');
  if (withFailures) await deleteJobsIn(db, 'failed');
}

/** Jobs a worker was running when it stopped: queued again (their fetch never finished). */
export async function requeueInterrupted(db: OffprintDB): Promise<number> {
  return db.transaction('rw', db.fulltextJobs, async () => {
    const stale = await jobsIn(db, 'running').toArray();
    await putJobs(db, stale.map((j) => ({ ...j, state: 'queued' as const })));
    return stale.length;
  });
}
