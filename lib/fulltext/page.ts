import type { CapturedPage } from '../capture/capture';
import { isMediumHost } from '../feeds/medium';

/** What fetching one link-only article came to. */
export type FetchOutcome =
  | { kind: 'html'; html: string; url: string }
  | Exclude<PageOutcome, { kind: 'page' }>;

/** What fetching and extracting one link-only article came to. */
export type PageOutcome =
  | { kind: 'page'; page: CapturedPage }
  /** Try again later: Retry-After, a server error, the network. `hostWide` holds back the whole host. */
  | { kind: 'retry'; at: number; reason: string; hostWide?: boolean }
  | { kind: 'failed'; reason: string }
  /** Needs the reader's own session (member-only posts): the background-tab path. */
  | { kind: 'tab' };

export interface PageDeps {
  fetch: typeof fetch;
  now: () => number;
  /** Readability on fetched HTML: the clipper's extraction (offscreen document in Chrome). */
  extract: (html: string, url: string) => Promise<CapturedPage>;
  timeoutMs?: number;
}

export const MAX_ATTEMPTS = 5;
/** Retry-After longer than this is treated as "try much later". */
const MAX_WAIT_MS = 60 * 60_000;

export const FAILURES = {
  gone: (status: number) => `The page is gone (the site answered ${status} ${status === 410 ? 'Gone' : 'Not Found'}).`,
  loginWall: 'The site asks you to sign in before it shows this page (login wall).',
  paywall: 'Paywall or login wall: the site shows visitors without an account only the start of this article.',
  notArticle: 'Not an article: Offprint found no article text on this page.',
  notHtml: (type: string) => `Not an article: this link is a ${type || 'non-web-page'} file, not a web page.`,
  gaveUp: (why: string) => `${why} Offprint tried ${MAX_ATTEMPTS} times and gave up.`,
  memberOnly: 'This is a member-only post and your browser is not signed in as a member.',
};

/** Retry-After in seconds or as an HTTP date, as a time; undefined when absent. */
export function retryAfterAt(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const secs = Number(value.trim());
  if (Number.isFinite(secs)) return now + Math.max(0, secs) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : at;
}

/** Exponential backoff with jitter: 2 s, 4 s, 8 s… capped at 5 minutes. */
export function backoffMs(attempts: number, random = Math.random): number {
  return Math.min(5 * 60_000, 2000 * 2 ** Math.max(0, attempts - 1)) * (0.8 + 0.4 * random());
}

const MEMBER_ONLY = /member-only story|this story is only available to medium members|become a member to read/i;
const PAYWALL = /subscribe to (?:continue|read)|subscribers only|already a subscriber|sign in to (?:read|continue)|log in to (?:read|continue)|create a free account to (?:read|continue)|to continue reading|paywall/i;

const MEMBER_PAYWALL = /this story is only available to medium members|become a member to read|made this story available to medium members only/i;

/**
 * Whether a page captured in the reader's own tab still is the member-only preview (not signed in
 * as a member). Members see the "Member-only story" badge too, so the badge alone says nothing:
 * the paywall's call to become a member does, and so does a short text under the badge.
 */
export function stillMemberOnly(page: Pick<CapturedPage, 'text'>): boolean {
  if (MEMBER_PAYWALL.test(page.text)) return true;
  const words = page.text.split(/\s+/).filter(Boolean).length;
  return words < 150 && MEMBER_ONLY.test(page.text);
}

/** Medium pages: medium.com or a publication on its own domain (they carry Medium's app meta). */
function isMediumPage(url: string, html: string): boolean {
  try {
    if (isMediumHost(new URL(url).hostname)) return true;
  } catch {
    return false;
  }
  return /<meta[^>]+content="Medium"[^>]*>/i.test(html.slice(0, 20_000));
}

/** Fetches and extracts one page (fetchPage, then extractArticle). */
export async function fetchArticlePage(url: string, attempts: number, deps: PageDeps): Promise<PageOutcome> {
  const fetched = await fetchPage(url, attempts, deps);
  return fetched.kind === 'html' ? extractArticle(fetched.html, fetched.url, deps) : fetched;
}

/**
 * Fetches one page without the reader's cookies. Failures come back in
 * plain words; transient ones as a time to retry.
 */
export async function fetchPage(url: string, attempts: number, deps: Pick<PageDeps, 'fetch' | 'now' | 'timeoutMs'>): Promise<FetchOutcome> {
  const now = deps.now();
  const retry = (why: string, at?: number, hostWide?: boolean): FetchOutcome =>
    attempts + 1 >= MAX_ATTEMPTS ? { kind: 'failed', reason: FAILURES.gaveUp(why) } : { kind: 'retry', at: Math.min(at ?? now + backoffMs(attempts + 1), now + MAX_WAIT_MS), reason: why, hostWide };
  let res: Response;
  try {
    const signal = typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(deps.timeoutMs ?? 30_000) : undefined;
    res = await deps.fetch(url, { credentials: 'omit', redirect: 'follow', signal, headers: { accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5' } });
  } catch (err) {
    const timeout = (err as { name?: string })?.name === 'TimeoutError';
    return retry(timeout ? 'The site did not answer within 30 seconds.' : 'The site could not be reached (offline, or it refused the connection).');
  }
  const at = retryAfterAt(res.headers.get('retry-after'), now);
  if (res.status === 429) return retry('The site asked Offprint to slow down (429 Too Many Requests).', at, true);
  if (res.status === 503 || res.status === 502 || res.status === 504 || res.status >= 500) return retry(`The site had an error (${res.status}).`, at, res.status === 503 && at !== undefined);
  if (res.status === 404 || res.status === 410) return { kind: 'failed', reason: FAILURES.gone(res.status) };
  if (res.status === 401 || res.status === 403) return isMediumPage(url, '') ? { kind: 'tab' } : { kind: 'failed', reason: FAILURES.loginWall };
  if (!res.ok) return { kind: 'failed', reason: `The site answered ${res.status}.` };
  const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type && !/html|xml/.test(type)) return { kind: 'failed', reason: FAILURES.notHtml(type === 'application/pdf' ? 'PDF' : type) };
  let html: string;
  try {
    html = await res.text();
  } catch {
    return retry('The connection broke while the page was loading.');
  }
  return { kind: 'html', html, url: res.url || url };
}

/** The article in fetched HTML, extracted the way a clip is; paywalls and non-articles are explained. */
export async function extractArticle(html: string, finalUrl: string, deps: Pick<PageDeps, 'extract'>): Promise<PageOutcome> {
  if (MEMBER_ONLY.test(html) && isMediumPage(finalUrl, html)) return { kind: 'tab' };
  // An extraction that throws is Offprint's side failing (its offscreen document, the browser
  // closing), not the page: the error goes to the runner, which tries the job again later.
  const page: CapturedPage = await deps.extract(html, finalUrl);
  const words = page.text.split(/\s+/).filter(Boolean).length;
  if (words < 150 && PAYWALL.test(html)) return { kind: 'failed', reason: FAILURES.paywall };
  if (page.kind === 'fallback' || words < 20) return { kind: 'failed', reason: FAILURES.notArticle };
  return { kind: 'page', page };
}
