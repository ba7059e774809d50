import type { CapturedPage } from '../capture/capture';
import type { OffprintDB } from '../db/schema';
import type { Article } from '../db/types';
import { keepPages, patchJob, putJobs } from '../library/fulltext-jobs';
import { mergeArticles } from '../library/store';
import type { NewArticle } from '../messages';
import { searchTables } from '../search/indexer';
import { countJobs, jobsIn, PROGRESS_KEY, requeueInterrupted, runState, setPaused, type FullTextJob, type FullTextProgress } from './jobs';
import { backoffMs, extractArticle, fetchPage, FAILURES, MAX_ATTEMPTS, stillMemberOnly, type PageDeps, type PageOutcome } from './page';

export interface RunnerDeps extends PageDeps {
  db: OffprintDB;
  /** The background-tab path of "Get full text": the reader's own session; undefined when it showed no more. */
  captureInTab?: (url: string) => Promise<CapturedPage | undefined>;
  /** After an article was upgraded: images for offline, gists, badge. */
  afterStore?: (ids: string[]) => Promise<void>;
  /** Readies the extraction context (Chrome's offscreen document) while the first pages are fetched. */
  warmUp?: () => Promise<void>;
  /** Keeps Chrome's service worker alive while jobs run (an extension API call). */
  keepAlive?: () => unknown;
  perHost?: number;
  overall?: number;
  /** Queued jobs held in memory (tests use a small one). */
  windowSize?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

/**
 * kv note of jobs whose articles were stored but whose job records were not yet marked done, from
 * builds that stored them in two transactions; settled on start (now both are in one).
 */
const STORED_KEY = 'fulltext:stored';

/** Marks done the jobs a stopped worker had stored the articles of: they are never fetched again. */
async function settleStoredNote(db: OffprintDB, now: number): Promise<void> {
  const ids = (await db.kv.get(STORED_KEY))?.value as string[] | undefined;
  if (!ids?.length) return;
  const jobs = (await db.fulltextJobs.bulkGet(ids)).filter((j): j is FullTextJob => !!j && j.state !== 'done');
  await putJobs(db, jobs.map((j) => ({ ...withoutPage(j), state: 'done' as const, finishedAt: now, error: undefined })));
  await db.kv.delete(STORED_KEY);
}

function withoutPage(job: FullTextJob): FullTextJob {
  const { fetched: _page, ...rest } = job;
  return rest;
}

/** The fetched article as a producer's input, landing on the stub (its URL and guid: a canonical URL may differ). */
function upgradeInput(stub: Article, page: CapturedPage): NewArticle {
  return {
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
}

/** How many queued jobs the scheduler holds in memory (oldest first); it reads more when they run low. */
const WINDOW = 2000;
/** Fetched articles stored per transaction, and how many may wait to be extracted and stored before fetching pauses. */
const STORE_BATCH = 25;
const MAX_BUFFERED = 30;
/** How long a fetched page may wait for others to be stored with it. */
const GATHER_MS = 100;
/** Progress is written at most this often (and once more when the queue goes idle). */
const PUBLISH_EVERY_MS = 250;

/**
 * Runs the persisted full-text queue: at most `perHost` fetches per host and
 * `overall` in all, Retry-After and backoff respected per job and per host.
 * Every state change is in IndexedDB first, so a stopped worker resumes
 * where it was (interrupted fetches are queued again; finished ones never).
 *
 * Scheduling happens in memory, on a window of the queued jobs read from
 * IndexedDB: a fetch slot is given to the next job the moment a response
 * body has been read, without waiting for any database work (extracting and
 * storing run on their own, batched; progress is written at most 4 times a second).
 */
export function createFullTextRunner(deps: RunnerDeps) {
  const { db } = deps;
  const perHost = deps.perHost ?? 2;
  const overall = deps.overall ?? 6;
  const windowSize = deps.windowSize ?? WINDOW;
  const setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = deps.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
  const running = new Map<string, number>();
  /** Jobs being fetched or waiting to be stored, by article id. */
  const claimed = new Set<string>();
  /** Fetched jobs waiting in the store buffer. */
  const storing = new Set<string>();
  const hostHeldUntil = new Map<string, number>();
  /** Queued jobs not claimed, by article id, in queue order: the scheduler's view of the table. */
  const waiting = new Map<string, FullTextJob>();
  /** Whether `waiting` holds every queued job of the table (the last read found fewer than the window). */
  let complete = false;
  let refilling: Promise<void> | undefined;
  /** Jobs finished while a read of the table was under way: that read may still see them queued. */
  let finishedDuringRead: Set<string> | undefined;
  let paused = false;
  let active = 0;
  let started = false;
  let wake: unknown;
  let keepAliveTimer: ReturnType<typeof setInterval> | undefined;
  let idleResolvers: (() => void)[] = [];
  const recent: number[] = [];
  let tabLock: Promise<unknown> = Promise.resolve();
  const buffer: { job: FullTextJob; page: CapturedPage }[] = [];
  let flushing: Promise<void> | undefined;
  /** Ends the wait for more pages before a store (set while waiting). */
  let gathered: (() => void) | undefined;
  let publishing: Promise<void> | undefined;
  let publishTimer: ReturnType<typeof setTimeout> | undefined;
  let lastPublish = -Infinity;
  const keeping = new Map<string, { html: string; url: string }>();
  /** afterStore calls (images, gists, badge), one after another, off the storing path. */
  let afterChain: Promise<unknown> = Promise.resolve();

  async function progress(): Promise<FullTextProgress> {
    const stored = await countJobs(db);
    // Running jobs stay "queued" in IndexedDB (claims are in memory): a stopped worker leaves nothing half-claimed.
    const busy = claimed.size + [...storing].filter((id) => !claimed.has(id)).length;
    const c = { ...stored, queued: Math.max(0, stored.queued - busy), running: stored.running + busy };
    const run = await runState(db);
    let etaMs: number | undefined;
    const left = c.queued + c.running;
    // The recent pace (last 30 jobs), so a pause or a slow start does not skew it.
    if (recent.length >= 3 && left > 0) etaMs = Math.round(((recent[recent.length - 1]! - recent[0]!) / (recent.length - 1)) * left);
    return { ...c, paused: run?.paused ?? false, etaMs };
  }

  async function publish(): Promise<void> {
    if (publishTimer !== undefined) clearTimeout(publishTimer);
    publishTimer = undefined;
    lastPublish = Date.now();
    const write = (publishing ?? Promise.resolve()).then(async () => db.kv.put({ key: PROGRESS_KEY, value: await progress() }));
    publishing = write.then(() => undefined, () => undefined);
    await write;
  }

  /** Progress after a job: at once if the last write is old enough, else a little later (one write for many jobs). */
  function publishSoon(): void {
    if (publishTimer !== undefined) return;
    // Wall-clock time, not the queue's clock: this only spaces out writes.
    const wait = Math.max(0, lastPublish + PUBLISH_EVERY_MS - Date.now());
    if (wait === 0) return void publish().catch(() => undefined);
    publishTimer = setTimeout(() => {
      publishTimer = undefined;
      void publish().catch(() => undefined);
    }, wait);
  }

  /** Adds jobs to the window, keeping queue order (a retried job keeps its place). */
  function addWaiting(jobs: FullTextJob[]): void {
    if (!jobs.length) return;
    const all = [...waiting.values(), ...jobs].sort((a, b) => a.seq - b.seq);
    waiting.clear();
    for (const job of all) waiting.set(job.articleId, job);
  }

  function forgetFinished(id: string): void {
    waiting.delete(id);
    finishedDuringRead?.add(id);
  }

  /**
   * Reads the oldest queued jobs into the window (jobs in memory keep their newer state). Calls
   * while a read is under way share it; `fresh` waits for it and reads again (jobs just queued).
   */
  function refill(fresh = false): Promise<void> {
    if (refilling && fresh) return refilling.then(() => refill());
    refilling ??= (async () => {
      const seen = (finishedDuringRead = new Set());
      try {
        const rows = await jobsIn(db, 'queued').limit(windowSize).toArray();
        complete = rows.length < windowSize;
        addWaiting(rows.filter((job) => !seen.has(job.articleId) && !claimed.has(job.articleId) && !storing.has(job.articleId) && !waiting.has(job.articleId)));
      } finally {
        finishedDuringRead = undefined;
        refilling = undefined;
      }
    })();
    return refilling;
  }

  function pickJobs(slots: number): FullTextJob[] {
    const now = deps.now();
    const taken = new Map(running);
    const picked: FullTextJob[] = [];
    for (const job of waiting.values()) {
      if (picked.length >= slots) break;
      if (claimed.has(job.articleId) || storing.has(job.articleId)) continue;
      // Already fetched before a stop: only extracting and storing are left, the site is not asked again.
      if (job.fetched) {
        picked.push(job);
        continue;
      }
      if (job.notBefore > now || (hostHeldUntil.get(job.host) ?? 0) > now) continue;
      const n = taken.get(job.host) ?? 0;
      if (n >= perHost) continue;
      taken.set(job.host, n + 1);
      picked.push(job);
    }
    return picked;
  }

  /** The earliest time a held-back job may run, to wake up then. */
  function nextWake(): number | undefined {
    let earliest: number | undefined;
    const now = deps.now();
    for (const job of waiting.values()) {
      const t = Math.max(job.notBefore, hostHeldUntil.get(job.host) ?? 0);
      if (t > now && (earliest === undefined || t < earliest)) earliest = t;
    }
    return earliest;
  }

  /** Schedules as many jobs as the limits allow, at once, from memory. */
  function pump(): void {
    if (paused) return;
    for (const job of active < overall ? pickJobs(overall - active) : []) {
      waiting.delete(job.articleId);
      claimed.add(job.articleId);
      active += 1;
      running.set(job.host, (running.get(job.host) ?? 0) + 1);
      void runJob(job).finally(() => {
        active -= 1;
        claimed.delete(job.articleId);
        const n = (running.get(job.host) ?? 1) - 1;
        if (n > 0) running.set(job.host, n);
        else running.delete(job.host);
        pump();
      });
    }
    // More of the table when the window runs low.
    if (!complete && waiting.size < windowSize / 2) {
      void refill()
        .then(pump)
        .catch((err: unknown) => console.warn('Offprint: full-text queue stopped', err));
      return;
    }
    if (active === 0 && !flushing && storing.size === 0 && !refilling) {
      const at = nextWake();
      if (wake) clearTimer(wake);
      wake = undefined;
      if (at !== undefined) {
        wake = setTimer(() => {
          wake = undefined;
          pump();
        }, at - deps.now());
      } else {
        stopKeepAlive();
        const resolvers = idleResolvers;
        idleResolvers = [];
        void Promise.all([publish().catch(() => undefined), afterChain]).then(() => resolvers.forEach((r) => r()));
      }
    }
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
    // The kept page goes with any outcome.
    await patchJob(db, job.articleId, { ...patch, fetched: undefined });
  }

  async function inTab(url: string): Promise<CapturedPage | undefined> {
    if (!deps.captureInTab) return undefined;
    // One background tab at a time.
    const run = tabLock.then(() => deps.captureInTab!(url));
    tabLock = run.catch(() => undefined);
    return run;
  }

  /**
   * One job's fetch, within the host and overall limits. The page's HTML is
   * then extracted and stored outside them: the site is done with by then.
   */
  async function runJob(job: FullTextJob): Promise<void> {
    try {
      const fetched = job.fetched ? ({ kind: 'html', ...job.fetched } as const) : await fetchPage(job.url, job.attempts, deps);
      if (fetched.kind === 'html') {
        // Kept without holding the fetch slot, with the other pages fetched meanwhile, in one write.
        if (!job.fetched) keepPage(job.articleId, { html: fetched.html, url: fetched.url });
        storing.add(job.articleId);
        // The page travels with the job: a retry after Offprint's side failed does not fetch it again.
        const processed = extractAndStore({ ...job, fetched: { html: fetched.html, url: fetched.url } }, fetched.html, fetched.url);
        // Fetching waits when extracting and storing fall behind.
        if (storing.size >= MAX_BUFFERED) await processed;
        return;
      }
      await settle(job, fetched);
    } catch (err) {
      await failJob(job, err);
    }
  }

  async function extractAndStore(job: FullTextJob, html: string, url: string): Promise<void> {
    try {
      let outcome: PageOutcome = await extractArticle(html, url, deps);
      if (outcome.kind === 'tab') {
        const page = await inTab(job.url).catch(() => undefined);
        outcome = page && !stillMemberOnly(page) ? { kind: 'page', page } : { kind: 'failed', reason: FAILURES.memberOnly };
      }
      if (outcome.kind === 'page') return await queueStore(job, outcome.page);
      storing.delete(job.articleId);
      await settle(job, outcome);
    } catch (err) {
      storing.delete(job.articleId);
      await failJob(job, err);
    }
  }

  /** Records a job that did not end with an article: to retry later, or failed for good. */
  async function settle(job: FullTextJob, outcome: Exclude<PageOutcome, { kind: 'page' }>): Promise<void> {
    const now = deps.now();
    if (outcome.kind === 'retry') {
      if (outcome.hostWide) hostHeldUntil.set(job.host, Math.max(hostHeldUntil.get(job.host) ?? 0, outcome.at));
      const patch = { state: 'queued', attempts: job.attempts + 1, notBefore: outcome.at, error: outcome.reason } as const;
      await finish(job, patch);
      addWaiting([{ ...withoutPage(job), ...patch }]);
    } else {
      await finish(job, { state: 'failed', attempts: job.attempts + 1, error: outcome.kind === 'failed' ? outcome.reason : FAILURES.memberOnly, finishedAt: now });
      forgetFinished(job.articleId);
    }
    finished(1);
    publishSoon();
    pump();
  }

  /**
   * Offprint's own side failed (extraction threw, the browser was closing), not the page: the job is
   * tried again after a backoff, keeping a page already fetched, and fails only after MAX_ATTEMPTS.
   */
  async function failJob(job: FullTextJob, err: unknown): Promise<void> {
    const why = `Offprint could not store this article: ${err instanceof Error ? err.message : String(err)}`;
    const now = deps.now();
    const attempts = job.attempts + 1;
    const patch: Partial<FullTextJob> =
      attempts >= MAX_ATTEMPTS ? { state: 'failed', attempts, error: FAILURES.gaveUp(why), finishedAt: now, fetched: undefined } : { state: 'queued', attempts, notBefore: now + backoffMs(attempts), error: why };
    await patchJob(db, job.articleId, patch).catch(() => undefined);
    if (patch.state === 'queued') addWaiting([{ ...job, ...patch }]);
    else forgetFinished(job.articleId);
    finished(1);
    publishSoon();
    pump();
  }

  /**
   * Pages fetched in the same moment are written to their jobs in one transaction (each job still
   * queued: a job stored or failed meanwhile has no page to keep), so a worker that stops before
   * they are stored finds them on its next start instead of asking the sites again.
   */
  function keepPage(id: string, page: { html: string; url: string }): void {
    const flush = !keeping.size;
    keeping.set(id, page);
    if (!flush) return;
    // The next task, not later: the page is unkept only as long as a fetch cut off mid-response would be.
    setTimeout(() => {
      const pages = new Map(keeping);
      keeping.clear();
      void keepPages(db, pages).catch(() => undefined);
    }, 0);
  }

  function finished(n: number) {
    const now = deps.now();
    for (let i = 0; i < n; i++) recent.push(now);
    while (recent.length > 30) recent.shift();
  }

  /** Nothing is being fetched or extracted: no more pages will join the buffer now. */
  const nothingElseComing = () => claimed.size === 0 && storing.size <= buffer.length;

  /**
   * Fetched articles wait a moment (up to GATHER_MS, or until a batch is full, or until nothing
   * else is coming) so they are stored in a few larger transactions rather than one each.
   */
  function queueStore(job: FullTextJob, page: CapturedPage): Promise<void> {
    buffer.push({ job, page });
    if (buffer.length >= STORE_BATCH || nothingElseComing()) gathered?.();
    flushing ??= (async () => {
      if (buffer.length < STORE_BATCH && !nothingElseComing()) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => gathered?.(), GATHER_MS);
          gathered = () => {
            clearTimeout(timer);
            gathered = undefined;
            resolve();
          };
        });
      }
      await flushLoop();
    })().finally(() => {
      flushing = undefined;
      pump();
    });
    return flushing;
  }

  async function flushLoop(): Promise<void> {
    while (buffer.length) {
      const batch = buffer.splice(0, STORE_BATCH);
      let ids: string[] = [];
      try {
        ids = await upgrade(batch, deps.now());
      } catch (err) {
        const reason = `Offprint could not store this article: ${err instanceof Error ? err.message : String(err)}`;
        for (const { job } of batch) await finish(job, { state: 'failed', error: reason, finishedAt: deps.now() }).catch(() => undefined);
      }
      for (const { job } of batch) {
        forgetFinished(job.articleId);
        storing.delete(job.articleId);
      }
      finished(batch.length);
      publishSoon();
      if (ids.length && deps.afterStore) afterChain = afterChain.then(() => deps.afterStore!(ids)).catch(() => undefined);
    }
  }

  /**
   * Stores fetched articles over their stubs, through the library's
   * mergeArticles (richer content replaces a stub; a poorer page fails its job, saying so), and marks their jobs done
   * in the same transaction: for each, either both happened or neither.
   */
  async function upgrade(batch: { job: FullTextJob; page: CapturedPage }[], now: number): Promise<string[]> {
    return db.transaction('rw', [db.articles, db.contents, db.fulltextJobs, ...searchTables(db)], async () => {
      const stubs = await db.articles.bulkGet(batch.map((b) => b.job.articleId));
      const inputs: NewArticle[] = [];
      const done: FullTextJob[] = [];
      const gone: FullTextJob[] = [];
      batch.forEach(({ job, page }, i) => {
        const stub = stubs[i];
        // Purged meanwhile: its job went with it, and is not written back.
        if (!stub) return;
        if (stub.box === 'trash') {
          gone.push({ ...withoutPage(job), state: 'failed', error: 'The article was deleted before its text arrived.', finishedAt: now });
          return;
        }
        inputs.push(upgradeInput(stub, page));
        done.push({ ...withoutPage(job), state: 'done', attempts: job.attempts + 1, finishedAt: now, error: undefined });
      });
      // The library's merge rule decides (issue 10): a page with less text than the saved copy does not replace it.
      const merged = inputs.length ? await mergeArticles(db, inputs, undefined, 'fulltext') : [];
      merged.forEach((m, i) => {
        if (m.contentReplaced || !m.keptBecause) return;
        gone.push({ ...done[i]!, state: 'failed', error: `The saved copy was kept: the fetched page has less text (${m.keptBecause}).` });
      });
      const upgraded = done.filter((_, i) => merged[i]?.contentReplaced || !merged[i]?.keptBecause);
      await putJobs(db, [...upgraded, ...gone]);
      return upgraded.map((j) => j.articleId);
    });
  }

  return {
    /** Resumes after a worker start: interrupted jobs are queued again, then the queue runs. */
    async start(): Promise<void> {
      if (!started) {
        started = true;
        await requeueInterrupted(db);
        await settleStoredNote(db, deps.now());
      }
      // An empty queue (most worker starts) costs one count and no writes.
      if ((await db.fulltextJobs.count()) === 0) return;
      paused = (await runState(db))?.paused ?? false;
      // Jobs queued since the last read (a new batch, a retry) join the window.
      await refill(true);
      if (!paused && waiting.size) void deps.warmUp?.().catch(() => undefined);
      startKeepAlive();
      pump();
      await publish();
    },
    /** Holds the queue: fetches under way finish, no new ones start. */
    async pause(): Promise<void> {
      paused = true;
      await setPaused(db, true);
      await publish();
    },
    async resume(): Promise<void> {
      paused = false;
      await setPaused(db, false);
      await this.start();
    },
    /** Runs until nothing is left to do now (tests, bench). */
    async idle(): Promise<void> {
      await this.start();
      if (paused || (active === 0 && !wake && !flushing && storing.size === 0 && !refilling)) return;
      await new Promise<void>((r) => idleResolvers.push(r));
    },
    progress,
    publish,
    get active() {
      return active;
    },
  };
}
