import { decodeEntities } from './xml';

export interface DiscoveredFeed {
  url: string;
  title?: string;
  type: string;
}

const FEED_TYPES = /^(application\/(rss|atom|feed)\+(xml|json)|application\/json|application\/rdf\+xml|text\/xml|application\/xml)$/i;

/**
 * Feeds a page announces with `<link rel="alternate" type="…">`, read from
 * its HTML without a DOM (the background may have none).
 */
export function discoverFeeds(html: string, pageUrl: string): DiscoveredFeed[] {
  const head = html.slice(0, 512 * 1024);
  const found: DiscoveredFeed[] = [];
  for (const m of head.matchAll(/<link\b([^>]*)>/gi)) {
    const attrs = readAttrs(m[1]!);
    const rel = (attrs.rel ?? '').toLowerCase().split(/\s+/);
    const type = (attrs.type ?? '').trim();
    if (!rel.includes('alternate') || !FEED_TYPES.test(type) || !attrs.href) continue;
    try {
      const url = new URL(attrs.href, pageUrl).href;
      if (!found.some((f) => f.url === url)) found.push({ url, title: attrs.title?.trim() || undefined, type });
    } catch {
      // An unusable href is no feed.
    }
  }
  return found;
}

function readAttrs(source: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of source.matchAll(/([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g)) {
    attrs[m[1]!.toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return attrs;
}

/** Whether a page is served by Medium (a publication on its own domain included). */
export function looksLikeMediumPage(html: string): boolean {
  return /<meta[^>]+(?:property|name)=["'](?:al:android:app_name|al:ios:app_name|twitter:app:name:iphone)["'][^>]+content=["']Medium["']/i.test(html) ||
    /<meta[^>]+content=["']Medium["'][^>]+(?:property|name)=["']al:(?:android|ios):app_name["']/i.test(html);
}
