import { FeedError } from './errors';
import { parseJson } from './parse-json';
import { parseXmlFeed } from './parse-xml';

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
