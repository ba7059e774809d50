import type { FeedKind } from '../db/types';

export interface FeedTarget {
  url: string;
  kind: FeedKind;
  /** A name to show before the feed's own title is known. */
  name: string;
}

// medium.com paths that are site pages, not publications.
const RESERVED = new Set([
  'about', 'creators', 'membership', 'plans', 'me', 'm', 'search', 'jobs-at-medium', 'policy', 'partner-program', 'topics',
  'new-story', 'signin', 'login', 'logout', 'home', 'followers', 'following', 'lists', 'library', 'notifications', 'p',
  'verified-authors', 'business', '_', 'feed', 'sitemap', 'gift',
]);
// *.medium.com hosts that are not author subdomains.
const NON_AUTHOR_SUBDOMAINS = new Set(['www', 'cdn-images-1', 'miro', 'help', 'policy', 'blog', 'glyph', 'cdn', 'link']);

export function isMediumHost(host: string): boolean {
  return host === 'medium.com' || host.endsWith('.medium.com');
}

/**
 * The feed behind a Medium URL: author (`/@user`, `user.medium.com`),
 * publication (`/<publication>`), tag (`/tag/<tag>`) or an existing
 * `/feed/...` URL. Undefined for anything that is not a Medium page.
 */
export function mediumFeedFor(pageUrl: string): FeedTarget | undefined {
  let u: URL;
  try {
    u = new URL(pageUrl);
  } catch {
    return undefined;
  }
  const host = u.hostname.toLowerCase();
  if (!isMediumHost(host)) return undefined;
  const parts = u.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (host !== 'medium.com' && host !== 'www.medium.com') {
    const sub = host.slice(0, -'.medium.com'.length);
    if (NON_AUTHOR_SUBDOMAINS.has(sub) || sub.includes('.')) return undefined;
    return { url: `https://medium.com/feed/@${sub}`, kind: 'medium-user', name: `@${sub}` };
  }
  if (parts[0] === 'feed') parts.shift();
  const [first, second] = parts;
  if (!first) return undefined;
  if (first.startsWith('@') && first.length > 1) {
    return { url: `https://medium.com/feed/${first}`, kind: 'medium-user', name: first };
  }
  if ((first === 'tag' || first === 'tags') && second) {
    return { url: `https://medium.com/feed/tag/${second.toLowerCase()}`, kind: 'medium-tag', name: `#${second}` };
  }
  if (RESERVED.has(first) || !/^[\w.-]+$/.test(first)) return undefined;
  return { url: `https://medium.com/feed/${first}`, kind: 'medium-publication', name: first };
}

/** A Medium publication on its own domain publishes its feed at /feed. */
export function customDomainFeed(pageUrl: string, name?: string): FeedTarget | undefined {
  try {
    const u = new URL(pageUrl);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
    return { url: `${u.origin}/feed`, kind: 'medium-custom-domain', name: name || u.hostname };
  } catch {
    return undefined;
  }
}

/**
 * What a reader typed into the follow box: an `@handle`, a Medium URL, or any
 * other URL (a feed, or a page whose feed autodiscovery finds). Bare hosts get
 * https://. Undefined when it cannot be a URL at all.
 */
export function targetFromInput(input: string): FeedTarget | undefined {
  const text = input.trim();
  if (/^@[\w.-]+$/.test(text)) return mediumFeedFor(`https://medium.com/${text}`);
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : /^[\w-]+(\.[\w-]+)+(\/|$|\?)/.test(text) ? `https://${text}` : '';
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
  return mediumFeedFor(u.href) ?? { url: u.href, kind: 'web', name: u.hostname };
}

/** Medium's post id from a guid (`https://medium.com/p/<id>`) or a post URL slug ending in `-<id>`. */
export function mediumPostId(guidOrUrl: string): string | undefined {
  const p = /^https?:\/\/medium\.com\/p\/([0-9a-f]{8,16})$/i.exec(guidOrUrl);
  if (p) return p[1]!.toLowerCase();
  const slug = /-([0-9a-f]{10,16})(?:[?#].*)?$/i.exec(guidOrUrl);
  return slug ? slug[1]!.toLowerCase() : undefined;
}
