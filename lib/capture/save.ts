import type { StoreOutcome } from '../library/store';
import type { NewArticle } from '../messages';
import type { CapturedPage } from './capture';
import { explainInjectionError, MESSAGES, unclippableReason } from './clippable';

/** The answer to 'capture:tab'. */
export interface SaveResult {
  status: 'added' | 'updated';
  id: string;
  title: string;
  warning?: string;
  /** An update that kept the stored text (the merge rule): why, in words. */
  keptBecause?: string;
}

export interface CaptureTabRequest {
  tabId: number;
  selectionOnly?: boolean;
}

/** What captureTab touches, so tests pass fakes. */
export interface CaptureTabDeps {
  /** The tab's URL when the extension may know it. */
  tabUrl(tabId: number): Promise<string | undefined>;
  /** Runs the capture script in the tab and returns what it captured. */
  capture(tabId: number, options: { selectionOnly?: boolean }): Promise<CapturedPage>;
  store(articles: NewArticle[]): Promise<(StoreOutcome & { keptBecause?: string })[]>;
  now(): number;
  /** Upper bound for the whole capture; the page keeps running, we stop waiting. */
  timeoutMs?: number;
}

export const CAPTURE_TIMEOUT_MS = 30_000;

/** Errors the capture script itself reports are already in plain words. */
export class PageCaptureError extends Error {}

export function toNewArticle(page: CapturedPage, now: number): NewArticle {
  return {
    url: page.url,
    guid: page.guid,
    source: 'clip',
    title: page.title,
    author: page.author,
    siteName: page.siteName,
    lang: page.lang,
    excerpt: page.excerpt,
    leadImage: page.leadImage,
    publishedAt: page.publishedAt,
    updatedAt: page.updatedAt,
    savedAt: now,
    html: page.html,
    text: page.text,
    captureWarning: page.warning,
    // A clip is the full text: it upgrades a stored feed preview.
    isPreview: 0,
  };
}

/**
 * Clips a tab: refuses pages no extension may read, runs the capture script
 * (time-bounded), and stores the result — an already saved URL or Medium post
 * is updated in place, keeping the reader's read state, tags, star and progress.
 */
export async function captureTab(deps: CaptureTabDeps, request: CaptureTabRequest): Promise<SaveResult> {
  const url = await deps.tabUrl(request.tabId).catch(() => undefined);
  const reason = unclippableReason(url);
  if (reason) throw new Error(reason);
  let page: CapturedPage;
  try {
    page = await withTimeout(deps.capture(request.tabId, { selectionOnly: request.selectionOnly }), deps.timeoutMs ?? CAPTURE_TIMEOUT_MS);
  } catch (err) {
    if (err instanceof PageCaptureError) throw err;
    throw new Error(explainInjectionError(err, url), { cause: err });
  }
  const [outcome] = await deps.store([toNewArticle(page, deps.now())]);
  if (!outcome) throw new Error('The article could not be stored.');
  return { status: outcome.status, id: outcome.id, title: page.title, warning: page.warning, ...(outcome.keptBecause ? { keptBecause: outcome.keptBecause } : {}) };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PageCaptureError(MESSAGES.timeout)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
