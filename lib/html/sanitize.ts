import DOMPurify from 'dompurify';
import { cleanUrl, isTrackingPixel } from '../urls/clean';
import { sanitizeInPlace, type CleanDom } from './sanitize-dom';
import { createNativeSanitizerBody } from './sanitize-native';
import { preBreaksToNewlines } from './pre-breaks';
import { isWebOrAnchor } from '../urls/safe';

export type Sanitize = (html: string, baseUrl?: string) => string;

/** A sanitizer that also takes a DOM subtree, saving a serialize and re-parse. */
export interface Sanitizer extends Sanitize {
  /**
   * Sanitizes the children of `root` where they are (callers pass a
   * disposable copy in an inert document, such as Readability's result on a
   * cloned document) and reads their text in the same walk: no serialize and
   * re-parse (lib/html/sanitize-dom.ts; the same policy on every browser).
   */
  clean(root: ParentNode, baseUrl?: string): CleanDom;
  /** `clean` without the text. */
  children(root: ParentNode, baseUrl?: string): HTMLElement;
  /**
   * Sanitizes HTML into a clean element of an inert document, whose
   * innerHTML is what the string form returns: callers that also need the
   * text read it from this element instead of parsing the output again.
   */
  body(html: string, baseUrl?: string): HTMLElement;
}

const FORBID_TAGS = ['style', 'form', 'input', 'button', 'select', 'textarea', 'iframe', 'frame', 'object', 'embed', 'link', 'meta', 'base', 'script', 'noscript', 'template'];
const FORBID_ATTR = ['style', 'class', 'id', 'srcdoc', 'ping', 'formaction'];
const URL_ATTRS = ['href', 'src', 'poster', 'cite'];
const CONFIG = {
  FORBID_TAGS,
  FORBID_ATTR,
  // data-offprint-gist marks an embedded gist whose code is still to be fetched (issue 15).
  ADD_ATTR: ['target', 'data-offprint-gist'],
  ALLOW_DATA_ATTR: false,
  ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto|data|blob):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
};

/** DOM input takes the in-place path whichever sanitizer handles strings. */
const DOM_INPUT = {
  clean: sanitizeInPlace,
  children: (root: ParentNode, baseUrl?: string): HTMLElement => sanitizeInPlace(root, baseUrl).root,
};

/**
 * Builds a sanitizer on a real DOM window (page, offscreen document, jsdom).
 * It keeps article markup only: no scripts, handlers, styles or frames;
 * tracking pixels are dropped, links and image URLs made absolute and
 * tracking-free, and links open in a new tab without an opener.
 */
export function createSanitizer(win: Window, opts: { native?: boolean } = {}): Sanitizer {
  // The string path is built on first use: a capture cleans its DOM in place and usually never needs it.
  let strings: StringSanitizer | undefined;
  const impl = () => (strings ??= createStringSanitizer(win, opts));
  const sanitize = (html: string, baseUrl?: string) => impl().sanitize(html, baseUrl);
  const body = (html: string, baseUrl?: string) => impl().body(html, baseUrl);
  return Object.assign(sanitize, { body, ...DOM_INPUT });
}

interface StringSanitizer {
  sanitize: Sanitize;
  body(html: string, baseUrl?: string): HTMLElement;
}

function createStringSanitizer(win: Window, opts: { native?: boolean }): StringSanitizer {
  // The browser's own Sanitizer API where it has one: measured 3× faster than
  // DOMPurify on a long article, with the same output and every hostile
  // vector DOMPurify stops also stopped (`npm run bench -- sanitizer`).
  const native = opts.native === false ? undefined : createNativeSanitizerBody(win);
  if (native) {
    // Code lines broken with <br> inside <pre> become newlines on this path too.
    const body = (html: string, baseUrl?: string) => native(preBreaksToNewlines(html), baseUrl);
    const sanitize = (html: string, baseUrl?: string) => body(html, baseUrl).innerHTML;
    return { sanitize, body };
  }
  const purify = DOMPurify(win as unknown as Parameters<typeof DOMPurify>[0]);
  if (!purify.isSupported) throw new Error('DOMPurify is not supported in this context');
  let base: string | undefined;

  // Code keeps its language class (language-yaml), which Markdown export fences with.
  purify.addHook('uponSanitizeAttribute', (node, data) => {
    if (data.attrName !== 'class' || (node.nodeName !== 'CODE' && node.nodeName !== 'PRE')) return;
    const lang = /(?:^|\s)(?:language|lang)-([\w+#.-]+)/.exec(data.attrValue)?.[1];
    if (lang) {
      // A kept attribute is not rewritten by DOMPurify, so set the cleaned value here.
      (node as Element).setAttribute('class', `language-${lang.toLowerCase()}`);
      data.forceKeepAttr = true;
    }
  });
  // One hook per element, and only elements (DOMPurify also walks every text
  // node): hooks run for each node, so their cost scales with the article.
  purify.addHook('afterSanitizeAttributes', (node) => {
    const el = node as Element;
    const isImg = el.nodeName === 'IMG';
    if (isImg) {
      const src = el.getAttribute('src') ?? '';
      if (isTrackingPixel(src) || (el.getAttribute('width') === '1' && el.getAttribute('height') === '1')) {
        el.remove();
        return;
      }
    }
    if (el.hasAttributes()) {
      for (const attr of URL_ATTRS) {
        const value = el.getAttribute(attr);
        if (value && !value.startsWith('#') && !value.startsWith('data:') && !value.startsWith('blob:')) {
          el.setAttribute(attr, attr === 'href' ? cleanUrl(value, base) : absolute(value, base));
        }
      }
      // A link to anything but a web address (javascript:, data:, file:, mailto:…) is kept as its text only.
      if (el.nodeName === 'A' && el.hasAttribute('href') && !isWebOrAnchor(el.getAttribute('href')!)) el.removeAttribute('href');
      if (el.nodeName === 'A' && el.hasAttribute('href')) {
        el.setAttribute('target', '_blank');
        el.setAttribute('rel', 'noopener noreferrer');
      }
    }
    if (isImg) {
      el.setAttribute('loading', 'lazy');
      // srcset can point back to trackers or the network; the offline copy uses src.
      el.removeAttribute('srcset');
      el.removeAttribute('sizes');
    }
  });

  const sanitize = (html: string, baseUrl?: string) => {
    base = baseUrl;
    try {
      return purify.sanitize(preBreaksToNewlines(html), CONFIG);
    } finally {
      base = undefined;
    }
  };
  const body = (html: string, baseUrl?: string): HTMLElement => {
    base = baseUrl;
    try {
      return purify.sanitize(preBreaksToNewlines(html), { ...CONFIG, RETURN_DOM: true }) as HTMLElement;
    } finally {
      base = undefined;
    }
  };
  return { sanitize, body };
}

function absolute(value: string, base?: string): string {
  try {
    return new URL(value, base).href;
  } catch {
    return value;
  }
}
