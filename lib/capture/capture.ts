import { isProbablyReaderable, Readability } from '@mozilla/readability';
import type { Sanitizer } from '../html/sanitize';
import { nodeToText } from '../html/text';
import { finishCodeBlocks, normalizeCodeBlocks } from './code';
import { escapeHtml, FALLBACK_WARNING, HUGE_PAGE_WARNING, hugePageHtml, mainTextHtml } from './fallback';
import { markGistEmbeds } from '../gists/embeds';
import { fixImages } from './images';
import { extractMetadata, type PageMetadata } from './metadata';
import { cleanPost, findPostRoot, isSocialUrl, removeBylines, removeNoise } from './noise';
import { selectionContainer, selectionUrl } from './selection';

/** What the capture script hands back to the background. */
export interface CapturedPage {
  kind: 'article' | 'social' | 'selection' | 'fallback';
  /** Canonical, tracking-free URL (a text-fragment link for selections). */
  url: string;
  guid?: string;
  title: string;
  author?: string;
  siteName?: string;
  publishedAt?: number;
  updatedAt?: number;
  lang?: string;
  excerpt?: string;
  leadImage?: string;
  /** Sanitized in the page, before it leaves it. */
  html: string;
  text: string;
  warning?: string;
}

export interface CaptureOptions {
  selectionOnly?: boolean;
  /** Past this many elements Readability is skipped, so capture stays quick. */
  maxElements?: number;
  /** The page's URL when the document was parsed from fetched HTML (full-text fetches). */
  pageUrl?: string;
  /** The document is a parsed copy nobody shows: work on it directly instead of on a clone. */
  disposable?: boolean;
}

/** Failures whose message is meant for the user. */
export class CaptureError extends Error {}

export const DEFAULT_MAX_ELEMENTS = 30_000;
/** Below this, a result only counts as an article if the page looked like one. */
const SHORT_ARTICLE_CHARS = 500;

/**
 * Captures the article a document shows. Works on a clone, never touching the
 * live page; the result is sanitized with `sanitize` (DOMPurify on the page's
 * window) before it is returned.
 */
export function captureDocument(doc: Document, sanitize: Sanitizer, options: CaptureOptions = {}): CapturedPage {
  const contentType = doc.contentType || 'text/html';
  if (contentType === 'application/pdf' || doc.querySelector('embed[type="application/pdf"]')) {
    throw new CaptureError('This is a PDF. Offprint can save web pages, not PDF files.');
  }
  const base = options.pageUrl ?? (doc.baseURI || doc.URL);
  const meta = extractMetadata(doc, options.pageUrl);
  if (contentType === 'text/plain') return plainText(doc, meta, sanitize);
  if (!/html|xml/.test(contentType)) throw new CaptureError(`This page is a ${contentType} file, not a web page Offprint can save.`);

  if (options.selectionOnly) return captureSelection(doc, meta, sanitize, base);

  // Counted on the live page, before anything costs in proportion to its size.
  if (doc.getElementsByTagName('*').length > (options.maxElements ?? DEFAULT_MAX_ELEMENTS)) {
    return finish('fallback', hugePageHtml(doc), meta, doc, sanitize, base, HUGE_PAGE_WARNING);
  }

  const liveSrcs = new Map<Element, string>();
  const clone = options.disposable ? doc : (doc.cloneNode(true) as Document);
  // The browser already picked each image's URL; the clone cannot know it.
  const liveImages = doc.images;
  const cloneImages = clone.images;
  for (let i = 0; i < liveImages.length && i < cloneImages.length; i++) {
    const src = (liveImages[i] as HTMLImageElement).currentSrc;
    if (src) liveSrcs.set(cloneImages[i]!, src);
  }

  const post = prepareCopy(clone, meta, base, liveSrcs);

  if (post?.isConnected) {
    // The poster's name is on the card above the text, which cleanPost drops.
    const poster = meta.author ?? posterFromCard(post);
    cleanPost(post, meta.postBody);
    finishCodeBlocks(post);
    const page = finish('social', post, meta, doc, sanitize, base);
    const firstLine = page.text.split('\n').find((l) => l.trim())?.trim() ?? '';
    // Social titles are "<post start> | <name> | <n> comments"; the post's first line reads better.
    if (!meta.title || meta.title.length > 120 || / \| /.test(meta.title)) page.title = truncate(firstLine, 100) || page.title;
    page.author ??= poster;
    return page;
  }

  removeBylines(clone);
  // Only a short result asks whether the page looked like an article. Readability consumes the
  // clone, so the question is put to a fresh copy prepared the same way; a disposable document,
  // the only copy there is, is asked now.
  const readerableNow = options.disposable ? isProbablyReaderable(clone) : undefined;
  const readerable = () => {
    if (readerableNow !== undefined) return readerableNow;
    const copy = doc.cloneNode(true) as Document;
    prepareCopy(copy, meta, base);
    removeBylines(copy);
    return isProbablyReaderable(copy);
  };
  const article = new Readability(clone, {
    charThreshold: 500,
    // The sanitizer drops every class but a code block's language anyway: Readability's own pass over them is spared.
    keepClasses: true,
    // Returns the element itself: no serialize/parse round trip before post-processing.
    serializer: (el: Node) => el as unknown as string,
  }).parse();
  const content = article?.content as unknown as Element | null | undefined;
  const length = (article?.textContent ?? '').trim().length;
  if (!article || !content || length === 0 || (length < SHORT_ARTICLE_CHARS && !readerable())) {
    // Readability consumed the clone; the rare fallback pays for a fresh one
    // (of a disposable document it consumed: full-text fetches report "not an article" then).
    const fresh = doc.cloneNode(true) as Document;
    markGistEmbeds(fresh);
    removeNoise(fresh);
    fixImages(fresh, base);
    normalizeCodeBlocks(fresh);
    finishCodeBlocks(fresh);
    return finish('fallback', mainTextHtml(fresh), meta, doc, sanitize, base, FALLBACK_WARNING);
  }
  finishCodeBlocks(content);
  const page = finish('article', content, meta, doc, sanitize, base);
  page.title = meta.title ?? headingTitle(doc) ?? article.title ?? page.title;
  page.author ??= article.byline?.replace(/^by\s+/i, '') || undefined;
  page.siteName ??= article.siteName || undefined;
  page.excerpt ??= article.excerpt || undefined;
  page.lang ??= article.lang || undefined;
  page.publishedAt ??= article.publishedTime ? Date.parse(article.publishedTime) || undefined : undefined;
  return page;
}

/**
 * What every capture does to its copy of the page before reading it: gist
 * embeds become code placeholders (before anything drops iframes and
 * scripts), furniture goes, images get real URLs, code blocks exact text.
 * Returns the social post the page shows, if any.
 */
function prepareCopy(copy: Document, meta: PageMetadata, base: string, liveSrcs?: Map<Element, string>): Element | undefined {
  markGistEmbeds(copy);
  const post = meta.socialPost || isSocialUrl(meta.url) ? findPostRoot(copy, meta.postBody) : undefined;
  removeNoise(copy, post);
  fixImages(copy, base, liveSrcs);
  normalizeCodeBlocks(copy);
  return post;
}

function captureSelection(doc: Document, meta: PageMetadata, sanitize: Sanitizer, base: string): CapturedPage {
  const container = selectionContainer(doc, doc.getSelection());
  if (!container) throw new CaptureError('Nothing is selected on this page. Select some text, then save the selection.');
  fixImages(container, base);
  normalizeCodeBlocks(container);
  finishCodeBlocks(container);
  const page = finish('selection', container, meta, doc, sanitize, base);
  page.url = selectionUrl(meta.url, page.text);
  // A selection is not the post its page is: never merge it with the feed copy.
  page.guid = undefined;
  // Two selections of one page are two items: each is named by its own first words.
  page.title = `${meta.title ?? headingTitle(doc) ?? page.title} — “${collapsedStart(page.text, 60)}”`;
  page.excerpt = collapsedStart(page.text, 200);
  return page;
}

function plainText(doc: Document, meta: PageMetadata, sanitize: Sanitizer): CapturedPage {
  const body = doc.body?.textContent ?? '';
  return finish('article', `<pre>${escapeHtml(body)}</pre>`, meta, doc, sanitize, doc.URL);
}

/**
 * Sanitizes the content and builds the page. `content` is HTML, or a subtree
 * of a clone whose children are sanitized where they are (no serialize and
 * re-parse), their text read in the same walk.
 */
function finish(kind: CapturedPage['kind'], content: string | Element, meta: PageMetadata, doc: Document, sanitize: Sanitizer, base: string, warning?: string): CapturedPage {
  let clean: Element;
  let text: string;
  if (typeof content === 'string') {
    clean = sanitize.body(content, base);
    text = nodeToText(clean);
  } else {
    ({ root: clean, text } = sanitize.clean(content, base));
  }
  const html = clean.innerHTML;
  if (!text.trim() && !clean.querySelector('img')) throw new CaptureError('This page has no text Offprint could save.');
  const leadImage = meta.leadImage ?? (clean.querySelector('img[src]:not([src=""])')?.getAttribute('src') || undefined);
  return {
    kind,
    url: meta.url,
    guid: meta.guid,
    title: meta.title || doc.title.trim() || truncate(text.split('\n')[0] ?? '', 100) || meta.url,
    author: meta.author,
    siteName: meta.siteName,
    publishedAt: meta.publishedAt,
    updatedAt: meta.updatedAt,
    lang: meta.lang,
    excerpt: meta.excerpt ?? (collapsedStart(text, 200) || undefined),
    leadImage,
    html,
    text,
    warning,
  };
}

/** The page's one <h1>, when the document title starts with it ("Title - Site"). */
function headingTitle(doc: Document): string | undefined {
  const h1s = doc.querySelectorAll('h1');
  const h1 = h1s.length === 1 ? (h1s[0]!.textContent ?? '').replace(/\s+/g, ' ').trim() : '';
  return h1 && doc.title.trim().startsWith(h1) ? h1 : undefined;
}

function truncate(s: string, n: number): string {
  const t = s.trim();
  return t.length <= n ? t : `${t.slice(0, n - 1).trimEnd()}…`;
}

/**
 * `truncate(text.replace(/\s+/g, ' '), n)`, read from the start of the text
 * only: collapsing a prefix gives a prefix of the collapsed whole, and once
 * that holds more than n characters the rest cannot change the result.
 */
function collapsedStart(text: string, n: number): string {
  for (let size = 4 * n; size < text.length; size *= 4) {
    const start = text.slice(0, size).replace(/\s+/g, ' ').trim();
    if (start.length > n) return `${start.slice(0, n - 1).trimEnd()}…`;
  }
  return truncate(text.replace(/\s+/g, ' '), n);
}

/** The poster's name from a post's author card: the first link to a profile (/in/, /@name, /profile/) with a name as its text. */
function posterFromCard(post: Element): string | undefined {
  for (const a of post.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href') ?? '';
    if (!/\/in\/[^/?#]+|\/@[^/?#]+\/?$|\/profile\/[^/?#]+\/?$/.test(href)) continue;
    const name = (a.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (name.length >= 2 && name.length <= 80 && !/^(?:follow|\+ follow|connect|view profile|sign in|join now)$/i.test(name)) return name;
  }
  return undefined;
}
