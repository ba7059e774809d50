import Dexie from 'dexie';
import type { OffprintDB } from '../db/schema';
import type { FullTextJob, JobState } from '../fulltext/jobs';

// Writes to the persisted "Fetch full text" queue (issue 15). The queue holds a row per article
// (lib/library/tables.ts: per-article-rows), so, like every table holding article rows, it is
// written only from lib/library/: purge and duplicate merge keep it in step with the articles.
// The scheduling itself lives in lib/fulltext/.

/** Stores job records as given (new, requeued or finished). */
export async function putJobs(db: OffprintDB, jobs: FullTextJob[]): Promise<void> {
  if (jobs.length) await db.fulltextJobs.bulkPut(jobs);
}

/** Changes fields of one job; a field set to undefined is removed. */
export async function patchJob(db: OffprintDB, articleId: string, patch: Partial<FullTextJob>): Promise<void> {
  await db.fulltextJobs.update(articleId, patch);
}

/** Keeps fetched pages in their jobs, in one transaction; only jobs still queued (not finished meanwhile, not purged). */
export async function keepPages(db: OffprintDB, pages: Map<string, { html: string; url: string }>): Promise<void> {
  if (!pages.size) return;
  await db.fulltextJobs
    .where(':id')
    .anyOf([...pages.keys()])
    .modify((job) => {
      if (job.state === 'queued') job.fetched = pages.get(job.articleId);
    });
}

/** Forgets every job in a state (a finished batch). */
export async function deleteJobsIn(db: OffprintDB, state: JobState): Promise<void> {
  await db.fulltextJobs.where('[state+seq]').between([state, Dexie.minKey], [state, Dexie.maxKey]).delete();
}
