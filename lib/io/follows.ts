import type { OffprintDB } from '../db/schema';
import type { Feed, FeedKind } from '../db/types';
import { plainText } from '../text/plain';
import { isWebUrl } from '../urls/safe';
import type { OpmlFeed } from './opml';

/** The kind of a feed URL, so imported follows poll like ones added by hand. */
export function feedKind(url: string): FeedKind {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'web';
  }
  if (!/(^|\.)medium\.com$/i.test(u.hostname)) return 'web';
  if (u.hostname.toLowerCase() !== 'medium.com') return 'medium-user';
  if (/^\/feed\/@/.test(u.pathname)) return 'medium-user';
  if (/^\/feed\/tag\//.test(u.pathname)) return 'medium-tag';
  return 'medium-publication';
}

/** The form of a feed URL used to recognise the same follow twice. */
export function followKey(url: string): string {
  try {
    const u = new URL(url.trim());
    u.hash = '';
    u.hostname = u.hostname.toLowerCase();
    if (u.protocol === 'http:') u.protocol = 'https:';
    return u.href.replace(/\/$/, '');
  } catch {
    return url.trim();
  }
}

export function feedsToOpml(feeds: Feed[]): OpmlFeed[] {
  return feeds.map((f) => ({ url: f.url, title: f.title, siteUrl: f.siteUrl, folder: f.folder }));
}

export interface FollowDeps {
  now: () => number;
  newId: () => string;
}

/**
 * Follows every feed not followed yet; a feed already followed keeps its
 * state and only gains a folder if it had none. Returns how many were new.
 */
export async function addFollows(db: OffprintDB, feeds: OpmlFeed[], deps: FollowDeps): Promise<{ added: number; existing: number }> {
  return db.transaction('rw', db.feeds, async () => {
    const current = await db.feeds.toArray();
    const byKey = new Map(current.map((f) => [followKey(f.url), f]));
    let added = 0;
    let existing = 0;
    for (const incoming of feeds) {
      const key = followKey(incoming.url);
      const found = byKey.get(key);
      if (found) {
        existing += 1;
        if (!found.folder && incoming.folder) await db.feeds.update(found.id, { folder: incoming.folder });
        continue;
      }
      const now = deps.now();
      const feed: Feed = {
        id: deps.newId(),
        url: incoming.url.trim(),
        siteUrl: incoming.siteUrl,
        title: plainText(incoming.title) || incoming.url.trim(),
        ...(isWebUrl(incoming.siteUrl) ? {} : { siteUrl: undefined }),
        kind: feedKind(incoming.url),
        folder: incoming.folder,
        addedAt: now,
        nextCheckAt: now,
        failures: 0,
      };
      await db.feeds.add(feed);
      byKey.set(key, feed);
      added += 1;
    }
    return { added, existing };
  });
}
