import { cleanUrl, isTrackingPixel } from '../urls/clean';
import { FeedError } from './errors';
import { mediumPostId } from './medium';
import { NS, child, childText, children, decodeEntities, parseXml, serializeChildren, textOf, type XmlElement } from './xml';

export { FeedError } from './errors';

export interface FeedItem {
  guid?: string;
  url: string;
  title: string;
  author?: string;
  publishedAt?: number;
  updatedAt?: number;
  /** NOT yet sanitized. */
  html: string;
  tags: string[];
  leadImage?: string;
  isPreview?: boolean;
  isReply?: boolean;
}

export interface ParsedFeed {
  title: string;
  siteUrl?: string;
  iconUrl?: string;
  items: FeedItem[];
}

export interface ParseOptions {
  /** The feed's URL: the base for relative links. */
  url: string;
  contentType?: string;
}

/** Larger than any real feed; refusing early keeps a hostile response cheap. */
export const MAX_FEED_CHARS = 5 * 1024 * 1024;
const MAX_ITEMS = 2000;

/**
 * Parses RSS 2.0, RSS 1.0 (RDF), Atom 1.0, JSON Feed 1.1 and the `{posts:[…]}`
 * JSON page, without a DOM. Throws FeedError with a plain-words message.
 */
export function parseFeed(body: string, opts: ParseOptions): ParsedFeed {
  if (body.length > MAX_FEED_CHARS) {
    throw new FeedError(`The feed is larger than ${MAX_FEED_CHARS / 1024 / 1024} MB, which is more than any real feed; it was not read.`);
  }
  const start = body.replace(/^\ufeff/, '').trimStart();
  if (start === '') throw new FeedError('The feed is empty.');
  const feed = start[0] === '{' || start[0] === '[' ? parseJson(start, opts) : parseXmlFeed(start, opts);
  feed.items = feed.items.slice(0, MAX_ITEMS);
  return feed;
}

// --- JSON -------------------------------------------------------------------

type Json = Record<string, unknown>;

function parseJson(body: string, opts: ParseOptions): ParsedFeed {
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

// --- XML --------------------------------------------------------------------

function parseXmlFeed(body: string, opts: ParseOptions): ParsedFeed {
  if (/^<(!doctype\s+)?html[\s>]/i.test(body)) {
    throw new FeedError('This address is a web page, not a feed.');
  }
  const root = parseXml(body);
  if (root.name === 'rss') return parseRss(root, opts);
  if (root.name === 'RDF') return parseRdf(root, opts);
  if (root.name === 'feed' && root.ns === NS.atom) return parseAtom(root, opts);
  if (root.name === 'html') throw new FeedError('This address is a web page, not a feed.');
  throw new FeedError(`This is XML, but not a feed Offprint knows (its root element is <${root.name}>).`);
}

function parseRss(root: XmlElement, opts: ParseOptions): ParsedFeed {
  const channel = child(root, 'channel');
  if (!channel) throw new FeedError('This RSS feed has no <channel>.');
  const base = opts.url;
  const isMedium = childText(channel, 'generator') === 'Medium' || isMediumUrl(opts.url);
  const items = children(channel, 'item').flatMap((item) => {
    const parsed = rssItem(item, base, isMedium);
    return parsed ? [parsed] : [];
  });
  const image = child(channel, 'image');
  return {
    title: clean(childText(channel, 'title', '')) || hostTitle(opts.url),
    siteUrl: absUrl(childText(channel, 'link', ''), base, true),
    iconUrl: absUrl((image && childText(image, 'url')) ?? child(channel, 'image', NS.atom)?.attrs.href, base),
    items,
  };
}

function rssItem(item: XmlElement, base: string, isMedium: boolean): FeedItem | undefined {
  const guidEl = child(item, 'guid', '');
  const guid = textOf(guidEl).trim() || undefined;
  const permalink = guid && guidEl?.attrs.isPermaLink !== 'false' && /^https?:\/\//.test(guid) ? guid : undefined;
  const link = childText(item, 'link', '') ?? child(item, 'link', NS.atom)?.attrs.href ?? permalink ?? enclosureLink(item);
  if (!link) return undefined;
  const encoded = childText(item, 'encoded', NS.content);
  const description = childText(item, 'description', '');
  const html = encoded ?? description ?? '';
  const tags = children(item, 'category', '').map((c) => clean(textOf(c))).filter(Boolean);
  const author = childText(item, 'creator', NS.dc) ?? childText(item, 'author');
  return {
    guid: guid ?? cleanUrl(link, base),
    url: cleanUrl(link, base),
    title: clean(childText(item, 'title', '')) || titleFromHtml(html) || 'Untitled',
    author: author ? clean(author) : undefined,
    publishedAt: date(childText(item, 'pubDate') ?? childText(item, 'date', NS.dc)),
    updatedAt: date(childText(item, 'updated', NS.atom)),
    html,
    tags,
    leadImage: absUrl(mediaImage(item) ?? firstImage(html), base),
    isPreview: isMediumPreview(html, !!encoded) || undefined,
    isReply: (isMedium && tags.length === 0 && looksLikeReply(html)) || undefined,
  };
}

function parseRdf(root: XmlElement, opts: ParseOptions): ParsedFeed {
  const channel = child(root, 'channel');
  const base = opts.url;
  const items = children(root, 'item').flatMap((item): FeedItem[] => {
    const link = childText(item, 'link') ?? item.attrs['rdf:about'];
    if (!link) return [];
    const encoded = childText(item, 'encoded', NS.content);
    const html = encoded ?? childText(item, 'description') ?? '';
    return [
      {
        guid: item.attrs['rdf:about'] ?? cleanUrl(link, base),
        url: cleanUrl(link, base),
        title: clean(childText(item, 'title')) || titleFromHtml(html) || 'Untitled',
        author: childText(item, 'creator', NS.dc),
        publishedAt: date(childText(item, 'date', NS.dc)),
        html,
        tags: children(item, 'subject', NS.dc).map((c) => clean(textOf(c))).filter(Boolean),
        leadImage: absUrl(firstImage(html), base),
      },
    ];
  });
  return {
    title: clean(channel && childText(channel, 'title')) || hostTitle(opts.url),
    siteUrl: absUrl(channel && childText(channel, 'link'), base, true),
    iconUrl: absUrl(rdfImage(root), base),
    items,
  };
}

function rdfImage(root: XmlElement): string | undefined {
  const image = child(root, 'image');
  return image ? (childText(image, 'url') ?? image.attrs['rdf:about']) : undefined;
}

function parseAtom(feed: XmlElement, opts: ParseOptions): ParsedFeed {
  const feedBase = withBase(feed, opts.url);
  const feedAuthor = atomAuthor(feed);
  const items = children(feed, 'entry', NS.atom).flatMap((entry): FeedItem[] => {
    const base = withBase(entry, feedBase);
    const link = atomLink(entry, base);
    const id = childText(entry, 'id', NS.atom);
    const url = link ?? (id && /^https?:\/\//.test(id) ? id : undefined);
    if (!url) return [];
    const contentEl = child(entry, 'content', NS.atom);
    const content = contentEl && !contentEl.attrs.src ? atomText(contentEl, base) : undefined;
    const summaryEl = child(entry, 'summary', NS.atom);
    const html = content ?? (summaryEl ? atomText(summaryEl, base) : '');
    const titleEl = child(entry, 'title', NS.atom);
    return [
      {
        guid: id ?? url,
        url: cleanUrl(url),
        title: (titleEl ? htmlToPlain(atomText(titleEl, base)) : '') || titleFromHtml(html) || 'Untitled',
        author: atomAuthor(entry) ?? feedAuthor,
        publishedAt: date(childText(entry, 'published', NS.atom) ?? childText(entry, 'updated', NS.atom)),
        updatedAt: date(childText(entry, 'updated', NS.atom)),
        html,
        tags: children(entry, 'category', NS.atom)
          .map((c) => (c.attrs.label ?? c.attrs.term ?? '').trim())
          .filter(Boolean),
        leadImage: absUrl(mediaImage(entry) ?? firstImage(html), base),
      },
    ];
  });
  const titleEl = child(feed, 'title', NS.atom);
  return {
    title: (titleEl ? htmlToPlain(atomText(titleEl, feedBase)) : '') || hostTitle(opts.url),
    siteUrl: atomLink(feed, feedBase),
    iconUrl: absUrl(childText(feed, 'icon', NS.atom) ?? childText(feed, 'logo', NS.atom), feedBase),
    items,
  };
}

function withBase(el: XmlElement, base: string): string {
  const own = el.attrs['xml:base'];
  return own ? (absUrl(own, base) ?? base) : base;
}

function atomLink(el: XmlElement, base: string): string | undefined {
  const links = children(el, 'link', NS.atom);
  const alt = links.find((l) => (l.attrs.rel ?? 'alternate') === 'alternate' && (!l.attrs.type || /html/.test(l.attrs.type))) ?? links.find((l) => !l.attrs.rel);
  return alt?.attrs.href ? absUrl(alt.attrs.href, withBase(alt, base)) : undefined;
}

/** Atom text constructs as HTML: text is escaped, html is as given, xhtml is re-serialized. */
function atomText(el: XmlElement, base: string): string {
  const type = el.attrs.type ?? 'text';
  const own = withBase(el, base);
  if (type === 'xhtml') {
    const div = child(el, 'div', NS.xhtml);
    return absolutizeHtml(div ? serializeChildren(div) : serializeChildren(el), own);
  }
  if (type === 'html' || type === 'text/html') return absolutizeHtml(textOf(el).trim(), own);
  return textToHtml(textOf(el).trim());
}

function atomAuthor(el: XmlElement): string | undefined {
  const names = children(el, 'author', NS.atom)
    .map((a) => childText(a, 'name', NS.atom))
    .filter((n): n is string => !!n);
  return names.length ? names.join(', ') : undefined;
}

// --- Shared helpers ---------------------------------------------------------

/**
 * Medium sends member-only posts as a snippet: a `medium-feed-snippet`
 * paragraph and a "Continue reading on Medium" link instead of content.
 */
function isMediumPreview(html: string, hasFullContent: boolean): boolean {
  if (/class="medium-feed-snippet"/.test(html)) return true;
  return !hasFullContent && /Continue reading on [^<]{1,80}<\/a>/.test(html);
}

/**
 * Medium sends an author's replies as items without categories, but untagged
 * posts exist too: a reply is also short and has no headings, code or figures.
 */
function looksLikeReply(html: string): boolean {
  if (/<(?:h[1-6]|pre|figure)\b/i.test(html)) return false;
  return htmlToPlain(html).length < 1500;
}

function mediaImage(el: XmlElement): string | undefined {
  const thumb = child(el, 'thumbnail', NS.media)?.attrs.url;
  if (thumb) return thumb;
  const content = children(el, 'content', NS.media).find((c) => c.attrs.medium === 'image' || /^image\//.test(c.attrs.type ?? ''));
  if (content?.attrs.url) return content.attrs.url;
  for (const group of children(el, 'group', NS.media)) {
    const nested = mediaImage(group);
    if (nested) return nested;
  }
  const enclosure = children(el, 'enclosure').find((e) => /^image\//.test(e.attrs.type ?? ''));
  return enclosure?.attrs.url;
}

function enclosureLink(item: XmlElement): string | undefined {
  return child(item, 'enclosure')?.attrs.url;
}

/** The first real image in an HTML fragment (never a tracking pixel). */
function firstImage(html: string): string | undefined {
  for (const m of html.matchAll(/<img\b[^>]*?\ssrc\s*=\s*["']([^"']+)["'][^>]*>/gi)) {
    const src = decodeEntities(m[1]!);
    if (!isTrackingPixel(src) && !/\swidth=["']?1["'\s]/.test(m[0])) return src;
  }
  return undefined;
}

/** Makes href/src attributes absolute against an xml:base. */
function absolutizeHtml(html: string, base: string): string {
  return html.replace(/(\s(?:href|src)\s*=\s*)(["'])([^"']*)\2/gi, (whole, pre: string, q: string, value: string) => {
    if (/^(?:[a-z][a-z0-9+.-]*:|#)/i.test(value)) return whole;
    return `${pre}${q}${absUrl(decodeEntities(value), base) ?? value}${q}`;
  });
}

function textToHtml(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return escaped
    .split(/\n{2,}/)
    .map((p) => `<p>${p.replace(/\n/g, '<br>')}</p>`)
    .join('');
}

function htmlToPlain(html: string): string {
  return clean(decodeEntities(html.replace(/<\/?(?:p|div|br|li|h[1-6]|pre|blockquote)\b[^>]*>/gi, ' ').replace(/<[^>]*>/g, '')));
}

function titleFromHtml(html: string): string {
  const text = htmlToPlain(html);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function clean(s: string | undefined): string {
  return (s ?? '').replace(/\s+/g, ' ').trim();
}

function absUrl(value: string | undefined, base: string, clean = false): string | undefined {
  if (!value) return undefined;
  try {
    const href = new URL(value.trim(), base).href;
    return clean ? cleanUrl(href) : href;
  } catch {
    return undefined;
  }
}

function date(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const t = Date.parse(value.trim());
  return Number.isNaN(t) ? undefined : t;
}

function isMediumUrl(url: string): boolean {
  try {
    const h = new URL(url).hostname;
    return h === 'medium.com' || h.endsWith('.medium.com');
  } catch {
    return false;
  }
}

function hostTitle(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return 'Untitled feed';
  }
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
