import DOMPurify from 'dompurify';
import { cleanUrl, isTrackingPixel } from '../urls/clean';

export type Sanitize = (html: string, baseUrl?: string) => string;

const FORBID_TAGS = ['style', 'form', 'input', 'button', 'select', 'textarea', 'iframe', 'frame', 'object', 'embed', 'link', 'meta', 'base', 'script', 'noscript', 'template'];
const FORBID_ATTR = ['style', 'class', 'id', 'srcdoc', 'ping', 'formaction'];
const URL_ATTRS = ['href', 'src', 'poster', 'cite'];

/**
 * Builds a sanitizer on a real DOM window (page, offscreen document, jsdom).
 * It keeps article markup only: no scripts, handlers, styles or frames;
 * tracking pixels are dropped, links and image URLs made absolute and
 * tracking-free, and links open in a new tab without an opener.
 */
export function createSanitizer(win: Window): Sanitize {
  const purify = DOMPurify(win as unknown as Parameters<typeof DOMPurify>[0]);
  if (!purify.isSupported) throw new Error('DOMPurify is not supported in this context');
  let base: string | undefined;

  purify.addHook('uponSanitizeElement', (node, data) => {
    if (data.tagName === 'img') {
      const img = node as Element;
      const src = img.getAttribute('src') ?? '';
      if (isTrackingPixel(src) || (img.getAttribute('width') === '1' && img.getAttribute('height') === '1')) {
        img.parentNode?.removeChild(img);
      }
    }
  });
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
  purify.addHook('afterSanitizeAttributes', (node) => {
    const el = node as Element;
    for (const attr of URL_ATTRS) {
      const value = el.getAttribute?.(attr);
      if (value && !value.startsWith('#') && !value.startsWith('data:') && !value.startsWith('blob:')) {
        el.setAttribute(attr, attr === 'href' ? cleanUrl(value, base) : absolute(value, base));
      }
    }
    if (el.tagName === 'A' && el.hasAttribute('href')) {
      el.setAttribute('target', '_blank');
      el.setAttribute('rel', 'noopener noreferrer');
    }
    if (el.tagName === 'IMG') {
      el.setAttribute('loading', 'lazy');
      // srcset can point back to trackers or the network; the offline copy uses src.
      el.removeAttribute('srcset');
      el.removeAttribute('sizes');
    }
  });

  return (html, baseUrl) => {
    base = baseUrl;
    try {
      return purify.sanitize(html, {
        FORBID_TAGS,
        FORBID_ATTR,
        ADD_ATTR: ['target'],
        ALLOW_DATA_ATTR: false,
        ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto|data|blob):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
      });
    } finally {
      base = undefined;
    }
  };
}

function absolute(value: string, base?: string): string {
  try {
    return new URL(value, base).href;
  } catch {
    return value;
  }
}
