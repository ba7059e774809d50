// Sanitizing a DOM subtree where it is, for content that is already a DOM in
// an inert document (the clipper's clone after Readability, a parsed feed
// item): no serialize and re-parse, which cost a capture more than all the
// rest of its sanitizing (issue 12). The policy is an allowlist no wider
// than the browser's own safe Sanitizer configuration (tests/e2e/sanitizer.spec.ts
// checks it against `new Sanitizer().get()`), with the same URL and link
// rules as the string sanitizers, and the text read in the same walk.
//
// Why this is safe to serialize and parse again: only HTML elements of the
// list below survive (no SVG, MathML, raw-text or form elements, no
// comments), so text is always escaped by the serializer and a later parse
// can only regroup the same elements, never make new ones or new attributes.
import { cleanUrl, isTrackingPixel } from '../urls/clean';
import { isWebOrAnchor } from '../urls/safe';

const HTML_NS = 'http://www.w3.org/1999/xhtml';

/** Allowed elements and their own attributes (beside GLOBAL_ATTRS); the browser's safe list for articles, plus images. */
const ELEMENTS: Record<string, string[]> = {
  a: ['href', 'hreflang', 'type'],
  abbr: [], address: [], article: [], aside: [], b: [], bdi: [], bdo: [], br: [], caption: [], cite: [], dd: [], dfn: [], div: [], dl: [], dt: [], em: [],
  figcaption: [], footer: [], h1: [], h2: [], h3: [], h4: [], h5: [], h6: [], header: [], hgroup: [], hr: [], i: [], kbd: [], main: [], mark: [],
  menu: [], nav: [], rp: [], rt: [], ruby: [], s: [], samp: [], search: [], section: [], small: [], span: [], strong: [], sub: [], sup: [], table: [],
  tbody: [], tfoot: [], thead: [], tr: [], u: [], ul: [], var: [], wbr: [],
  blockquote: ['cite'],
  q: [],
  del: ['cite', 'datetime'],
  ins: ['cite', 'datetime'],
  col: ['span'],
  colgroup: ['span'],
  data: ['value'],
  li: ['value'],
  ol: ['reversed', 'start', 'type'],
  td: ['colspan', 'headers', 'rowspan'],
  th: ['abbr', 'colspan', 'headers', 'rowspan', 'scope'],
  time: ['datetime'],
  // Not in the browser's default (they load things); an article needs its images.
  img: ['src', 'alt', 'width', 'height', 'title', 'loading'],
  picture: [],
  source: ['src', 'srcset', 'sizes', 'type', 'media'],
  // class only for the language (language-yaml), which Markdown export fences with.
  code: ['class'],
  // data-offprint-gist marks an embedded gist (issue 15), on its placeholder and on filled figures.
  pre: ['class', 'data-offprint-gist'],
  figure: ['data-offprint-gist'],
  p: ['data-offprint-gist'],
};
const GLOBAL_ATTRS = ['dir', 'lang', 'title'];
/** The elements and attributes kept beyond the browser's safe default, on purpose (checked by tests/e2e/sanitizer.spec.ts). */
export const BEYOND_BROWSER_DEFAULT = ['img', 'picture', 'source', 'code[class]', 'pre[class]', 'pre[data-offprint-gist]', 'figure[data-offprint-gist]', 'p[data-offprint-gist]', 'img[loading]'];

/** Every element and attribute the in-place path keeps, as `name` and `name[attribute]`. */
export function inPlaceAllowlist(): string[] {
  return Object.entries(ELEMENTS).flatMap(([name, attrs]) => [name, ...attrs.map((a) => `${name}[${a}]`)]).concat(GLOBAL_ATTRS.map((a) => `*[${a}]`));
}
const ALLOWED = new Map(Object.entries(ELEMENTS).map(([name, attrs]) => [name, new Set([...attrs, ...GLOBAL_ATTRS])]));
/** Removed with everything in them (any namespace); any other element not allowed is replaced by its children. */
const DROP = new Set(
  'script style template noscript iframe frame frameset object embed applet form input button select option optgroup textarea datalist output link meta base head title xmp noembed noframes plaintext svg canvas dialog slot audio video track map area param portal fencedframe'.split(' '),
);
const SPACE_OR_CONTROL = /[\s\p{Cc}]/u;
const SPACES_AND_CONTROLS = /[\s\p{Cc}]/gu;
const DATA_URI_TAGS = new Set(['img', 'source']);
const SAFE_URL = /^(?:(?:https?|mailto|data|blob):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i;
const LANG_CLASS = /(?:^|\s)(?:language|lang)-([\w+#.-]+)/;
const CAPITAL = /[A-Z]/;

// The text rules of lib/html/text.ts (nodeToText), applied in the same walk.
const BLOCK = new Set(['address', 'article', 'aside', 'blockquote', 'dd', 'div', 'dl', 'dt', 'figcaption', 'figure', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'table', 'tr', 'ul']);
const COLLAPSIBLE = /[^\S ]| {2}/;

export interface CleanDom {
  /** The sanitized element: `root` itself, or its copy in an inert document when `root` was in a live one. */
  root: HTMLElement;
  /** Its plain text, as nodeToText would read it. */
  text: string;
}

/**
 * Sanitizes the children of `root` in place and reads their text. `root`
 * should be in an inert document (a clone, a DOMParser document); if it is
 * in a live one, its children are first moved into an inert document, so
 * nothing they hold ever loads or runs while they are cleaned.
 */
export function sanitizeInPlace(root: ParentNode, baseUrl?: string): CleanDom {
  let el = root as HTMLElement;
  const doc = el.ownerDocument ?? (root as unknown as Document);
  if (doc.defaultView) {
    const inert = doc.implementation.createHTMLDocument('');
    const holder = inert.createElement('div');
    while (el.firstChild) holder.appendChild(inert.adoptNode(el.firstChild));
    el = holder;
  }
  const state = { text: '', base: baseUrl };
  clean(el, false, state);
  const text = state.text
    .replace(/[ \t\u00a0]*\n[ \t\u00a0]*(?=\n)/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { root: el, text };
}

function clean(parent: Node, inPre: boolean, state: { text: string; base?: string }): void {
  let child = parent.firstChild;
  while (child) {
    const type = child.nodeType;
    if (type === 3) {
      const value = child.nodeValue ?? '';
      state.text += inPre || !COLLAPSIBLE.test(value) ? value : value.replace(/\s+/g, ' ');
      child = child.nextSibling;
      continue;
    }
    const next = child.nextSibling;
    if (type !== 1) {
      // Comments, processing instructions, CDATA: never content.
      parent.removeChild(child);
      child = next;
      continue;
    }
    const el = child as Element;
    const name = el.localName;
    const html = el.namespaceURI === HTML_NS;
    const allowed = html ? ALLOWED.get(name) : undefined;
    if (!allowed) {
      if (DROP.has(name)) {
        parent.removeChild(el);
        child = next;
        continue;
      }
      // Unknown or foreign (font, center, custom elements, MathML): its children take its place and are cleaned in turn.
      const first = el.firstChild;
      while (el.firstChild) parent.insertBefore(el.firstChild, el);
      parent.removeChild(el);
      child = first ?? next;
      continue;
    }
    if (el.hasAttributes() && !cleanAttributes(el, name, allowed, state.base)) {
      parent.removeChild(el); // a tracking pixel
      child = next;
      continue;
    }
    if (name === 'img') el.setAttribute('loading', 'lazy');
    if (name === 'br') {
      // Code lines broken with <br> become newlines, as preBreaksToNewlines does for strings.
      if (inPre) parent.replaceChild(el.ownerDocument.createTextNode('\n'), el);
      state.text += '\n';
      child = next;
      continue;
    }
    const block = BLOCK.has(name);
    if (block) state.text += '\n\n';
    else if (name === 'td' || name === 'th') state.text += ' ';
    clean(el, inPre || name === 'pre', state);
    if (block) state.text += '\n\n';
    child = next;
  }
}

/** Applies the attribute and URL rules; false when the element itself must go (a tracking pixel). */
function cleanAttributes(el: Element, name: string, allowed: Set<string>, base: string | undefined): boolean {
  // By name rather than through `attributes`, whose every item the browser makes an Attr object for.
  const names = el.getAttributeNames();
  if (ambiguousByName(names)) cleanAttributeNodes(el, name, allowed, base);
  else {
    for (let i = names.length - 1; i >= 0; i--) {
      const key = names[i]!;
      // The name is that of one attribute: remove it if not allowed, or allowed but in a namespace (setAttributeNS).
      if (!allowed.has(key) || !el.hasAttributeNS(null, key)) el.removeAttribute(key);
      else if (key === 'href' || key === 'src' || key === 'cite') {
        const value = el.getAttribute(key)!;
        const fixed = cleanUrlAttribute(value, key, name, base);
        if (fixed === undefined) el.removeAttribute(key);
        else if (fixed !== value) el.setAttribute(key, fixed);
      }
    }
  }
  if (name === 'img') {
    const src = el.getAttribute('src') ?? '';
    if (isTrackingPixel(src) || (el.getAttribute('width') === '1' && el.getAttribute('height') === '1')) return false;
  } else if (name === 'a') {
    const href = el.getAttribute('href');
    // A link to anything but a web address (javascript:, data:, file:, mailto:…) is kept as its text only.
    if (href !== null && !isWebOrAnchor(href)) el.removeAttribute('href');
    else if (href !== null) {
      el.setAttribute('target', '_blank');
      el.setAttribute('rel', 'noopener noreferrer');
    }
  } else if (name === 'code' || name === 'pre') {
    const cls = el.getAttribute('class');
    if (cls !== null) {
      const lang = LANG_CLASS.exec(cls)?.[1];
      if (lang) el.setAttribute('class', `language-${lang.toLowerCase()}`);
      else el.removeAttribute('class');
    }
  }
  return true;
}

/**
 * Names that do not each stand for one attribute: a name twice (in two
 * namespaces), or capitals (setAttributeNS keeps them, while name lookups in
 * an HTML document lowercase theirs). Only scripts make such attributes;
 * their elements are cleaned through Attr nodes.
 */
function ambiguousByName(names: string[]): boolean {
  for (let i = 0; i < names.length; i++) {
    const key = names[i]!;
    if (CAPITAL.test(key) || names.indexOf(key, i + 1) >= 0) return true;
  }
  return false;
}

/** The attribute loop on Attr nodes, which tell namespaces apart. */
function cleanAttributeNodes(el: Element, name: string, allowed: Set<string>, base: string | undefined): void {
  const attrs = el.attributes;
  // One pass, from the end so that removing an attribute never skips the next.
  for (let i = attrs.length - 1; i >= 0; i--) {
    const attr = attrs[i]!;
    const key = attr.name;
    if (attr.namespaceURI !== null || !allowed.has(key)) {
      el.removeAttributeNode(attr);
      continue;
    }
    if (key !== 'href' && key !== 'src' && key !== 'cite') continue;
    const value = attr.value;
    const fixed = cleanUrlAttribute(value, key, name, base);
    if (fixed === undefined) el.removeAttributeNode(attr);
    else if (fixed !== value) attr.value = fixed;
  }
}

/** A URL attribute's cleaned value (absolute, tracking-free), or undefined when it must go. */
function cleanUrlAttribute(value: string, key: string, name: string, base: string | undefined): string | undefined {
  if (!value || value.startsWith('#')) return value;
  const bare = SPACE_OR_CONTROL.test(value) ? value.replace(SPACES_AND_CONTROLS, '') : value;
  // data: URLs only as a media source, as DOMPurify allows them.
  if (!SAFE_URL.test(bare) || (/^data:/i.test(bare) && !(key === 'src' && DATA_URI_TAGS.has(name)))) return undefined;
  if (value.startsWith('data:') || value.startsWith('blob:')) return value;
  return key === 'href' ? cleanUrl(value, base) : absolute(value, base);
}

function absolute(value: string, base?: string): string {
  try {
    return new URL(value, base).href;
  } catch {
    return value;
  }
}
