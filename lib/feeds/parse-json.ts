// JSON Feed 1.1 and the `{posts:[…]}` JSON page of a Medium mirror.
import { cleanUrl } from '../urls/clean';
import { FeedError } from './errors';
import { absUrl, date, firstImage, hostTitle, textToHtml, titleFromHtml } from './feed-util';
import { mediumPostId } from './medium';
import type { FeedItem, ParsedFeed, ParseOptions } from './parse';

type Json = Record<string, unknown>;

export function parseJson(body: string, opts: ParseOptions): ParsedFeed {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    throw new FeedError('The feed is not valid JSON.');
  }
  if (isObject(data) && typeof data.version === 'string' && data.version.startsWith('https://jsonfeed.org/version/')) {
    return parseJsonFeed(data, opts);
  }
  if (isObject(data) && Array.isArray(data.posts)) return parsePostsPage(data.posts, opts);
  throw new FeedError('This JSON is neither a JSON Feed nor a list of posts.');
}

function parseJsonFeed(data: Json, opts: ParseOptions): ParsedFeed {
  const base = opts.url;
  const feedAuthor = jsonAuthor(data);
  const items = (Array.isArray(data.items) ? data.items : []).filter(isObject).flatMap((it): FeedItem[] => {
    const url = str(it.url) ?? str(it.external_url) ?? (str(it.id)?.startsWith('http') ? str(it.id) : undefined);
    if (!url) return [];
    const html = str(it.content_html) ?? (str(it.content_text) ? textToHtml(str(it.content_text)!) : str(it.summary) ? textToHtml(str(it.summary)!) : '');
    return [
      {
        guid: str(it.id) ?? url,
        url: cleanUrl(url, base),
        title: str(it.title)?.trim() || titleFromHtml(html) || 'Untitled',
        author: jsonAuthor(it) ?? feedAuthor,
        publishedAt: date(str(it.date_published)),
        updatedAt: date(str(it.date_modified)),
        html,
        tags: strings(it.tags),
        leadImage: absUrl(str(it.image) ?? str(it.banner_image) ?? firstImage(html), base),
      },
    ];
  });
  return {
    title: str(data.title)?.trim() || hostTitle(opts.url),
    siteUrl: absUrl(str(data.home_page_url), base),
    iconUrl: absUrl(str(data.icon) ?? str(data.favicon), base),
    items,
  };
}

function jsonAuthor(o: Json): string | undefined {
  const authors = Array.isArray(o.authors) ? o.authors : isObject(o.author) ? [o.author] : [];
  const names = authors.filter(isObject).map((a) => str(a.name)).filter((n): n is string => !!n);
  return names.length ? names.join(', ') : undefined;
}

/** The JSON page of a service that mirrors a Medium author's posts. */
function parsePostsPage(posts: unknown[], opts: ParseOptions): ParsedFeed {
  let username: string | undefined;
  const items = posts.filter(isObject).flatMap((p): FeedItem[] => {
    const slug = str(p.slug);
    const url = str(p.url) ?? (slug && str(p.mediumUsername) ? `https://medium.com/@${str(p.mediumUsername)}/${slug}` : undefined);
    if (!url) return [];
    username ??= str(p.mediumUsername);
    const postId = mediumPostId(slug ?? url);
    const html = str(p.content) ?? (str(p.excerpt) ? textToHtml(str(p.excerpt)!) : '');
    return [
      {
        guid: postId ? `https://medium.com/p/${postId}` : (str(p.id) ?? url),
        url: cleanUrl(url, opts.url),
        title: str(p.title)?.trim() || 'Untitled',
        author: str(p.author) ?? (str(p.mediumUsername) ? `@${str(p.mediumUsername)}` : undefined),
        publishedAt: date(str(p.publishedAt)),
        updatedAt: date(str(p.updatedAt)),
        html,
        tags: strings(p.tags),
        leadImage: absUrl(str(p.thumbnail) ?? firstImage(html), opts.url),
        isPreview: !str(p.content) || undefined,
      },
    ];
  });
  return {
    title: username ? `Posts by @${username}` : hostTitle(opts.url),
    siteUrl: username ? `https://medium.com/@${username}` : undefined,
    items,
  };
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string' && t.trim() !== '').map((t) => t.trim()) : [];
}
