// The browser's own HTML Sanitizer API (Document.parseHTML with a Sanitizer;
// Chromium 146+, Firefox 148+) configured like our DOMPurify setup, with the
// same URL and link rules applied in one walk afterwards (the API has no
// hooks). Measured against DOMPurify by `npm run bench -- sanitizer`; the
// capture keeps DOMPurify unless this is both faster and passes every
// hostile vector DOMPurify passes (see tests/bench/sanitizer-*.ts).
import { cleanUrl, isTrackingPixel } from '../urls/clean';
import { isWebOrAnchor } from '../urls/safe';
import type { Sanitize } from './sanitize';


const REMOVE_ELEMENTS = ['style', 'form', 'input', 'button', 'select', 'textarea', 'iframe', 'frame', 'object', 'embed', 'link', 'meta', 'base', 'script', 'noscript', 'template'];
const REMOVE_ATTRIBUTES = ['style', 'class', 'id', 'srcdoc', 'ping', 'formaction'];
/** Elements the API's safe default leaves out because they load things; an article needs its images. */
const ADD_ELEMENTS = [
  { name: 'img', attributes: ['src', 'alt', 'width', 'height', 'title', 'loading'] },
  { name: 'picture', attributes: [] },
  { name: 'source', attributes: ['src', 'srcset', 'sizes', 'type', 'media'] },
  // Only for the language class (language-yaml), which Markdown export fences with.
  { name: 'code', attributes: ['class'] },
  // data-offprint-gist marks an embedded gist whose code is still to be fetched (issue 15), as DOMPurify's ADD_ATTR keeps it.
  { name: 'pre', attributes: ['class', 'data-offprint-gist'] },
  // On a filled gist's figures (and the link of an embed that was not code): the embed they came from.
  { name: 'figure', attributes: ['data-offprint-gist'] },
  { name: 'p', attributes: ['data-offprint-gist'] },
];
const URL_ATTRS = ['href', 'src', 'poster', 'cite'];
const DATA_URI_TAGS = new Set(['IMG', 'SOURCE', 'VIDEO', 'AUDIO', 'TRACK']);
const SAFE_URL = /^(?:(?:https?|mailto|data|blob):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i;

interface SanitizerLike {
  allowElement(e: unknown): void;
  removeElement(e: string): void;
  setDataAttributes(on: boolean): void;
  setComments(on: boolean): void;
}
type NativeWindow = Window & {
  Sanitizer?: new () => SanitizerLike;
  Document: { parseHTML?: (html: string, opts: { sanitizer: SanitizerLike }) => Document };
};

/** A sanitizer on the browser's API, or undefined where the browser has none. */
export function createNativeSanitizer(win: Window): Sanitize | undefined {
  const toBody = createNativeSanitizerBody(win);
  return toBody && ((html: string, baseUrl?: string) => toBody(html, baseUrl).innerHTML);
}

/** The same, returning the clean body of an inert document (no serialize and re-parse for DOM callers). */
export function createNativeSanitizerBody(win: Window): ((html: string, baseUrl?: string) => HTMLElement) | undefined {
  const w = win as NativeWindow;
  if (!w.Sanitizer || typeof w.Document.parseHTML !== 'function') return undefined;
  let sanitizer: SanitizerLike;
  try {
    sanitizer = new w.Sanitizer();
    for (const e of ADD_ELEMENTS) sanitizer.allowElement(e);
    for (const e of REMOVE_ELEMENTS) sanitizer.removeElement(e);
    sanitizer.setDataAttributes(false);
    sanitizer.setComments(false);
  } catch {
    return undefined; // an earlier shape of the API: DOMPurify then
  }
  const parse = w.Document.parseHTML.bind(w.Document);
  return (html: string, baseUrl?: string) => {
    const doc = parse(html, { sanitizer });
    for (const el of doc.body.querySelectorAll('*')) {
      const isImg = el.nodeName === 'IMG';
      // Most elements of an article have no attributes: every rule below is then a no-op (images still get loading=lazy).
      if (!isImg && !el.hasAttributes()) continue;
      if (isImg) {
        const src = el.getAttribute('src') ?? '';
        if (isTrackingPixel(src) || (el.getAttribute('width') === '1' && el.getAttribute('height') === '1')) {
          el.remove();
          continue;
        }
      }
      for (const attr of URL_ATTRS) {
        const value = el.getAttribute(attr);
        if (!value) continue;
        const bare = value.replace(/[\s\p{Cc}]/gu, '');
        // data: URLs only as a media source, as DOMPurify allows them.
        if (!SAFE_URL.test(bare) || (/^data:/i.test(bare) && !(attr === 'src' && DATA_URI_TAGS.has(el.nodeName)))) el.removeAttribute(attr);
        else if (!value.startsWith('#') && !value.startsWith('data:') && !value.startsWith('blob:')) el.setAttribute(attr, attr === 'href' ? cleanUrl(value, baseUrl) : absolute(value, baseUrl));
      }
      // A link to anything but a web address (javascript:, data:, file:, mailto:…) is kept as its text only.
      if (el.nodeName === 'A' && el.hasAttribute('href') && !isWebOrAnchor(el.getAttribute('href')!)) el.removeAttribute('href');
      if (el.nodeName === 'A' && el.hasAttribute('href')) {
        el.setAttribute('target', '_blank');
        el.setAttribute('rel', 'noopener noreferrer');
      }
      if (isImg) el.setAttribute('loading', 'lazy');
      // Not in the API's safe default today; removed here (not by removeAttribute, which would also drop code's class) should that change.
      for (const a of REMOVE_ATTRIBUTES) if (a !== 'class' && el.hasAttribute(a)) el.removeAttribute(a);
      if (el.hasAttribute('class')) {
        const lang = /(?:^|\s)(?:language|lang)-([\w+#.-]+)/.exec(el.getAttribute('class')!)?.[1];
        if (lang) el.setAttribute('class', `language-${lang.toLowerCase()}`);
        else el.removeAttribute('class');
      }
    }
    return doc.body;
  };
}

function absolute(value: string, base?: string): string {
  try {
    return new URL(value, base).href;
  } catch {
    return value;
  }
}
