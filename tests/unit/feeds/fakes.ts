import { vi } from 'vitest';
import type { Fetch } from '../../../lib/feeds/fetch';
import type { FollowDeps } from '../../../lib/feeds/follow';
import { createLocalPrepare } from '../../../lib/dom/prepare';
import type { OffprintDB } from '../../../lib/db/schema';
import { fixedDeps } from '../helpers/db';

export type Route = (init: RequestInit | undefined, url: string) => Response | Promise<Response>;

/** A fetch that answers from a table of URLs and logs every request. */
export function fakeFetch(routes: Record<string, Route | string>) {
  const log: { url: string; headers: Record<string, string> }[] = [];
  const fn: Fetch = async (url, init) => {
    log.push({ url, headers: { ...(init?.headers as Record<string, string>) } });
    const route = routes[url];
    if (route === undefined) return new Response('Not found', { status: 404 });
    return typeof route === 'string' ? xml(route) : route(init, url);
  };
  return { fetch: fn, log };
}

export function xml(body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status: 200, headers: { 'content-type': 'application/rss+xml; charset=utf-8', ...headers } });
}

export const MINUTE = 60_000;
export const T0 = Date.UTC(2026, 5, 1, 12);

/** Deps for polling/following with a real sanitizer on this test's DOM and a settable clock. */
export function feedDeps(db: OffprintDB, fetch: Fetch, overrides: Partial<FollowDeps> = {}) {
  const clock = { t: T0 };
  const ids = fixedDeps();
  const prepare = vi.fn(createLocalPrepare(window));
  const deps: FollowDeps = {
    db,
    fetch,
    now: () => clock.t,
    prepare,
    settings: async () => ({ pollMinutes: 30, hideReplies: true }),
    random: () => 0.5,
    newId: () => `feed-${ids.newId()}`,
    store: ids,
    ...overrides,
  };
  return { deps, clock, prepare };
}
