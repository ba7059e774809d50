// RSS 2.0, RSS 1.0 (RDF) and Atom 1.0, read from the DOM-free XML tree.
import { cleanUrl } from '../urls/clean';
import { FeedError } from './errors';
import { absolutizeHtml, absUrl, clean, date, firstImage, hostTitle, htmlToPlain, isMediumUrl, textToHtml, titleFromHtml } from './feed-util';
import type { FeedItem, ParsedFeed, ParseOptions } from './parse';
import { NS, child, childText, children, parseXml, serializeChildren, textOf, type XmlElement } from './xml';

export function parseXmlFeed(body: string, opts: ParseOptions): ParsedFeed {
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
