import { customDomainFeed, mediumFeedFor, type FeedTarget } from './medium';

/** What the popup learns about the active tab (all optional but the URL). */
export interface PageInfo {
  url: string;
  title?: string;
  /** `<meta name="author">` (Medium posts). */
  author?: string;
  ogTitle?: string;
  siteName?: string;
  /** `al:android:app_name` / `twitter:app:name:iphone`: "Medium" on every Medium page. */
  appName?: string;
  feeds?: { href: string; title?: string; type: string }[];
}

const FEED_TYPE = /^(application\/(rss|atom|feed)\+(xml|json)|application\/json|application\/rdf\+xml|text\/xml|application\/xml)$/i;

/** "Rowan Vale – Medium" → "Rowan Vale". */
function stripMedium(title: string | undefined): string | undefined {
  const t = title?.replace(/\s+[–—|-]\s+Medium\s*$/, '').trim();
  return t || undefined;
}

/**
 * The feeds the popup offers to follow for a page: the right Medium feed
 * for Medium pages (custom domains included), else the feeds the page
 * announces with `<link rel="alternate">`.
 */
export function offersFor(page: PageInfo): FeedTarget[] {
  const medium = mediumFeedFor(page.url);
  if (medium) return [{ ...medium, name: mediumName(medium, page) }];
  if (page.appName === 'Medium') {
    const custom = customDomainFeed(page.url, page.siteName ?? stripMedium(page.ogTitle));
    return custom ? [custom] : [];
  }
  const seen = new Set<string>();
  return (page.feeds ?? [])
    .filter((f) => FEED_TYPE.test(f.type.trim()))
    .flatMap((f): FeedTarget[] => {
      let url: string;
      try {
        url = new URL(f.href, page.url).href;
      } catch {
        return [];
      }
      if (seen.has(url)) return [];
      seen.add(url);
      return [{ url, kind: mediumFeedFor(url)?.kind ?? 'web', name: f.title?.trim() || page.siteName || page.title || new URL(url).hostname }];
    });
}

function mediumName(target: FeedTarget, page: PageInfo): string {
  const path = (() => {
    try {
      return new URL(page.url).pathname.split('/').filter(Boolean);
    } catch {
      return [];
    }
  })();
  const onHome = path.length <= 1 || (path[0] === 'tag' && path.length <= 2);
  if (target.kind === 'medium-user') return (onHome ? stripMedium(page.ogTitle ?? page.title) : page.author) ?? target.name;
  if (target.kind === 'medium-publication' && onHome) return stripMedium(page.ogTitle ?? page.title) ?? target.name;
  return target.name;
}

/** Runs in the page (scripting.executeScript): must not use anything from outside. */
export function collectPageInfo(): PageInfo {
  const meta = (selector: string) => document.querySelector(selector)?.getAttribute('content') ?? undefined;
  return {
    url: location.href,
    title: document.title,
    author: meta('meta[name="author"]'),
    ogTitle: meta('meta[property="og:title"]'),
    siteName: meta('meta[property="og:site_name"]'),
    appName: meta('meta[property="al:android:app_name"]') ?? meta('meta[name="twitter:app:name:iphone"]'),
    feeds: Array.from(document.querySelectorAll('link[rel~="alternate"][href]')).map((l) => ({
      href: (l as HTMLLinkElement).href,
      title: l.getAttribute('title') ?? undefined,
      type: l.getAttribute('type') ?? '',
    })),
  };
}

/** Hosts Offprint may read without asking (granted at install). */
export function needsHostPermission(feedUrl: string): boolean {
  try {
    const host = new URL(feedUrl).hostname;
    return !(host === 'medium.com' || host.endsWith('.medium.com'));
  } catch {
    return false;
  }
}

export function originPattern(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.hostname}/*`;
}
