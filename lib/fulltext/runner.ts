import type { CapturedPage } from '../capture/capture';
import type { OffprintDB } from '../db/schema';
import { storeArticles } from '../library/store';
import type { NewArticle } from '../messages';
import { searchTables } from '../search/indexer';
import { countJobs, jobsIn, PROGRESS_KEY, requeueInterrupted, runState, type FullTextJob, type FullTextProgress } from './jobs';
import { fetchArticlePage, FAILURES, type PageDeps } from './page';

export interface RunnerDeps extends PageDeps {
  db: OffprintDB;
  /** The background-tab path of "Get full text": the reader's own session; undefined when it showed no more. */
  captureInTab?: (url: string) => Promise<CapturedPage | undefined>;
  /** After an article was upgraded: images for offline, gists, badge. */
  afterStore?: (ids: string[]) => Promise<void>;
  /** Keeps Chrome's service worker alive while jobs run (an extension API call). */
  keepAlive?: () => unknown;
  perHost?: number;
  overall?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

/** How far into the queue one scheduling pass looks for a job whose host is free. */
const SCAN_WINDOW = 2000;

/**
 * Runs the persisted full-text queue: at most `perHost` fetches per host and
 * `overall` in all, Retry-After and backoff respected per job and per host.
 * Progress is written to kv after every job so any open page shows it.
 * Every state change is in IndexedDB first, so a stopped worker resumes
 * where it was (interrupted fetches are queued again; finished ones never).
 */
export function createFullTextRunner(deps: RunnerDeps) {
  const { db } = deps;
  const perHost = deps.perHost ?? 2;
  const overall = deps.overall ?? 6;
  const setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = deps.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
  const running = new Map<string, number>();
  const hostHeldUntil = new Map<string, number>();
  let active = 0;
  let started = false;
  let pumping: Promise<void> | undefined;
  let again = false;
  let wake: unknown;
  let keepAliveTimer: ReturnType<typeof setInterval> | undefined;
  let idleResolvers: (() => void)[] = [];
  const recent: number[] = [];
  let tabLock: Promise<unknown> = Promise.resolve();

  async function progress(): Promise<FullTextProgress> {
    const c = await countJobs(db);
    const run = await runState(db);
    let etaMs: number | undefined;
    const left = c.queued + c.running;
    // The recent pace (last 30 jobs), so a pause or a slow start does not skew it.
    if (recent.length >= 3 && left > 0) etaMs = Math.round(((recent[recent.length - 1]! - recent[0]!) / (recent.length - 1)) * left);
    return { ...c, paused: run?.paused ?? false, etaMs };
  }

  async function publish(): Promise<void> {
    await db.kv.put({ key: PROGRESS_KEY, value: await progress() });
  }

  async function pickJobs(slots: number): Promise<FullTextJob[]> {
    const now = deps.now();
    const taken = new Map(running);
    const picked: FullTextJob[] = [];
    await jobsIn(db, 'queued')
      .limit(SCAN_WINDOW)
      .until(() => picked.length >= slots)
      .each((job) => {
        if (picked.length >= slots) return;
        if (job.notBefore > now || (hostHeldUntil.get(job.host) ?? 0) > now) return;
        const n = taken.get(job.host) ?? 0;
        if (n >= perHost) return;
        taken.set(job.host, n + 1);
        picked.push(job);
      });
    return picked;
  }

  /** The earliest time a held-back job may run, to wake up then. */
  async function nextWake(): Promise<number | undefined> {
    let earliest: number | undefined;
    const now = deps.now();
    await jobsIn(db, 'queued')
      .limit(SCAN_WINDOW)
      .each((job) => {
        const t = Math.max(job.notBefore, hostHeldUntil.get(job.host) ?? 0);
        if (t > now && (earliest === undefined || t < earliest)) earliest = t;
      });
    return earliest;
  }

  async function pumpOnce(): Promise<void> {
    if ((await runState(db))?.paused) return;
    const slots = overall - active;
    if (slots <= 0) return;
    const jobs = await pickJobs(slots);
    for (const job of jobs) {
      // Claimed in IndexedDB before the fetch starts.
      await db.fulltextJobs.update(job.articleId, { state: 'running' });
      active += 1;
      running.set(job.host, (running.get(job.host) ?? 0) + 1);
      void runJob(job).finally(() => {
        active -= 1;
        const n = (running.get(job.host) ?? 1) - 1;
        if (n > 0) running.set(job.host, n);
        else running.delete(job.host);
        void pump();
      });
    }
    if (active === 0) {
      const at = await nextWake();
      if (at !== undefined) {
        if (wake) clearTimer(wake);
        wake = setTimer(() => {
          wake = undefined;
          void pump();
        }, at - deps.now());
      } else {
        stopKeepAlive();
        const resolvers = idleResolvers;
        idleResolvers = [];
        resolvers.forEach((r) => r());
      }
    }
  }

  /** Schedules as many jobs as the limits allow; concurrent calls coalesce. */
  function pump(): Promise<void> {
    if (pumping) {
      again = true;
      return pumping;
    }
    pumping = (async () => {
      do {
        again = false;
        await pumpOnce();
      } while (again);
    })().finally(() => {
      pumping = undefined;
    });
    return pumping;
  }

  function startKeepAlive() {
    if (keepAliveTimer || !deps.keepAlive) return;
    keepAliveTimer = setInterval(() => void deps.keepAlive!(), 20_000);
  }
  function stopKeepAlive() {
    if (keepAliveTimer) clearInterval(keepAliveTimer);
    keepAliveTimer = undefined;
  }

  async function finish(job: FullTextJob, patch: Partial<FullTextJob>): Promise<void> {
    await db.fulltextJobs.update(job.articleId, patch);
  }

  async function inTab(url: string): Promise<CapturedPage | undefined> {
    if (!deps.captureInTab) return undefined;
    // One background tab at a time.
    const run = tabLock.then(() => deps.captureInTab!(url));
    tabLock = run.catch(() => undefined);
    return run;
  }

  async function runJob(job: FullTextJob): Promise<void> {
    try {
      let outcome = await fetchArticlePage(job.url, job.attempts, deps);
      if (outcome.kind === 'tab') {
        const page = await inTab(job.url).catch(() => undefined);
        outcome = page && !/member-only/i.test(page.text.slice(0, 400)) ? { kind: 'page', page } : { kind: 'failed', reason: FAILURES.memberOnly };
      }
      const now = deps.now();
      if (outcome.kind === 'retry') {
        if (outcome.hostWide) hostHeldUntil.set(job.host, Math.max(hostHeldUntil.get(job.host) ?? 0, outcome.at));
        await finish(job, { state: 'queued', attempts: job.attempts + 1, notBefore: outcome.at, error: outcome.reason });
      } else if (outcome.kind === 'failed') {
        await finish(job, { state: 'failed', attempts: job.attempts + 1, error: outcome.reason, finishedAt: now });
      } else if (outcome.kind === 'page') {
        const stored = await upgrade(job, outcome.page, now);
        if (stored) await deps.afterStore?.([job.articleId]).catch(() => undefined);
      }
    } catch (err) {
      await finish(job, { state: 'failed', error: `Offprint could not store this article: ${err instanceof Error ? err.message : String(err)}`, finishedAt: deps.now() }).catch(() => undefined);
    }
    recent.push(deps.now());
    if (recent.length > 30) recent.shift();
    await publish().catch(() => undefined);
  }

  /**
   * Stores the fetched article over the stub, through the library's
   * storeArticles (richer content replaces a stub), and marks the job done
   * in the same transaction: either both happened or neither.
   */
  async function upgrade(job: FullTextJob, page: CapturedPage, now: number): Promise<boolean> {
    return db.transaction('rw', [db.articles, db.contents, db.fulltextJobs, ...searchTables(db)], async () => {
      const stub = await db.articles.get(job.articleId);
      if (!stub || stub.box === 'trash') {
        await db.fulltextJobs.update(job.articleId, { state: 'failed', error: 'The article was deleted before its text arrived.', finishedAt: now });
        return false;
      }
      const input: NewArticle = {
        // The stub's URL and guid, so the text lands on it (a canonical URL may differ).
        url: stub.url,
        guid: stub.guid,
        feedId: stub.feedId,
        source: stub.source,
        title: page.title || stub.title,
        author: page.author ?? stub.author,
        siteName: page.siteName ?? stub.siteName,
        lang: page.lang ?? stub.lang,
        excerpt: page.excerpt ?? stub.excerpt,
        leadImage: page.leadImage ?? stub.leadImage,
        publishedAt: page.publishedAt ?? stub.publishedAt,
        updatedAt: page.updatedAt ?? stub.updatedAt,
        savedAt: stub.savedAt,
        tags: stub.tags,
        html: page.html,
        text: page.text,
        captureWarning: page.warning,
        isPreview: 0,
      };
      await storeArticles(db, [input]);
      await db.fulltextJobs.update(job.articleId, { state: 'done', attempts: job.attempts + 1, finishedAt: now, error: undefined });
      return true;
    });
  }

  return {
    /** Resumes after a worker start: interrupted jobs are queued again, then the queue runs. */
    async start(): Promise<void> {
      if (!started) {
        started = true;
        await requeueInterrupted(db);
      }
      startKeepAlive();
      await pump();
      await publish();
    },
    /** Runs until nothing is left to do now (tests, bench). */
    async idle(): Promise<void> {
      await this.start();
      if (active === 0 && !wake) return;
      await new Promise<void>((r) => idleResolvers.push(r));
    },
    progress,
    publish,
    get active() {
      return active;
    },
  };
}
