import { decodeFeedBytes } from './charset';
import { FeedError } from './errors';

export const FETCH_TIMEOUT_MS = 15_000;
export const MAX_FEED_BYTES = 5 * 1024 * 1024;
const MAX_REDIRECTS = 5;

export interface FetchRequest {
  url: string;
  etag?: string;
  lastModified?: string;
}

export interface FetchLimits {
  timeoutMs?: number;
  maxBytes?: number;
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export type FetchOutcome =
  | { kind: 'not-modified' }
  | {
      kind: 'ok';
      body: string;
      contentType?: string;
      etag?: string;
      lastModified?: string;
      /** Set when a permanent redirect (301/308) moved the feed. */
      movedTo?: string;
    };

/** An HTTP failure with what the poller needs to schedule the next try. */
export class FeedHttpError extends FeedError {
  constructor(
    message: string,
    readonly status: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * Fetches a feed with a conditional request, a timeout covering the whole
 * download, and a size cap checked while reading (so a huge or endless
 * response is cut off, not buffered). Redirects are followed by hand so a
 * permanent one can update the stored feed URL.
 */
export async function fetchFeed(req: FetchRequest, fetchFn: Fetch, limits: FetchLimits = {}, now = Date.now): Promise<FetchOutcome> {
  const timeoutMs = limits.timeoutMs ?? FETCH_TIMEOUT_MS;
  const maxBytes = limits.maxBytes ?? MAX_FEED_BYTES;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    let url = req.url;
    let movedTo: string | undefined;
    let permanentSoFar = true;
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = {
        accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5',
      };
      // Validators belong to the URL they came from.
      if (hop === 0 && req.etag) headers['if-none-match'] = req.etag;
      if (hop === 0 && req.lastModified) headers['if-modified-since'] = req.lastModified;
      let res: Response;
      try {
        res = await fetchFn(url, { headers, redirect: 'manual', signal: controller.signal, credentials: 'omit', cache: 'no-store' });
      } catch (err) {
        throw networkError(err, controller.signal.aborted, timeoutMs);
      }
      if (res.type === 'opaqueredirect') {
        // Browsers hide the Location of a manual redirect: follow it, but
        // since we cannot tell whether it is permanent, keep the stored URL.
        try {
          res = await fetchFn(url, { headers, redirect: 'follow', signal: controller.signal, credentials: 'omit', cache: 'no-store' });
        } catch (err) {
          throw networkError(err, controller.signal.aborted, timeoutMs);
        }
      } else if (res.status >= 300 && res.status < 400 && res.status !== 304) {
        const location = res.headers.get('location');
        if (!location) throw new FeedHttpError(`The feed answered with a redirect (HTTP ${res.status}) that leads nowhere.`, res.status);
        if (hop >= MAX_REDIRECTS) throw new FeedHttpError('The feed redirects too many times.', res.status);
        await res.body?.cancel().catch(() => undefined);
        url = new URL(location, url).href;
        permanentSoFar &&= res.status === 301 || res.status === 308;
        if (permanentSoFar) movedTo = url;
        continue;
      }
      if (res.status === 304) return { kind: 'not-modified' };
      if (!res.ok) throw httpError(res, now());
      const contentType = res.headers.get('content-type') ?? undefined;
      const bytes = await readCapped(res, maxBytes, controller.signal, timeoutMs);
      return {
        kind: 'ok',
        body: decodeFeedBytes(bytes, contentType),
        contentType,
        etag: res.headers.get('etag') ?? undefined,
        lastModified: res.headers.get('last-modified') ?? undefined,
        movedTo,
      };
    }
  } finally {
    clearTimeout(timer);
  }
}

async function readCapped(res: Response, maxBytes: number, signal: AbortSignal, timeoutMs: number): Promise<Uint8Array> {
  const tooBig = () => new FeedError(`The feed is larger than ${Math.round(maxBytes / 1024 / 1024)} MB, which is more than any real feed; it was not downloaded.`);
  const declared = Number(res.headers.get('content-length'));
  if (declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooBig();
  }
  try {
    if (!res.body) return new Uint8Array(await res.arrayBuffer());
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooBig();
      }
      chunks.push(value);
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.byteLength;
    }
    return out;
  } catch (err) {
    if (err instanceof FeedError) throw err;
    throw networkError(err, signal.aborted, timeoutMs);
  }
}

function networkError(err: unknown, timedOut: boolean, timeoutMs: number): FeedError {
  if (timedOut) return new FeedError(`The feed did not answer within ${Math.round(timeoutMs / 1000)} seconds.`);
  // Browsers say only "Failed to fetch" (Node: "fetch failed"): no words for a reader.
  const message = err instanceof Error ? err.message : '';
  const detail = message && !/^(failed to fetch|fetch failed|networkerror|load failed)/i.test(message) ? ` (${message})` : '';
  return new FeedError(`Could not reach the feed: you may be offline, or the site is down${detail}. Offprint will try again later.`);
}

function httpError(res: Response, now: number): FeedHttpError {
  const s = res.status;
  const retryAfterMs = s === 429 || s === 503 ? parseRetryAfter(res.headers.get('retry-after'), now) : undefined;
  const message =
    s === 404
      ? 'The feed was not found (HTTP 404). The author or site may have moved or removed it.'
      : s === 410
        ? 'The feed is gone (HTTP 410): the site says it was removed for good.'
        : s === 401 || s === 403
          ? `The site refused access to the feed (HTTP ${s}).`
          : s === 429
            ? 'The site asked Offprint to slow down (HTTP 429); it will try again later.'
            : s >= 500
              ? `The site had a problem answering (HTTP ${s}); it will try again later.`
              : `The feed could not be loaded (HTTP ${s}).`;
  return new FeedHttpError(message, s, retryAfterMs);
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
