import { FeedError } from './errors';

/** An element of a parsed XML document, with namespaces resolved. */
export interface XmlElement {
  /** Local name, without prefix. */
  name: string;
  /** Namespace URI ('' when none). */
  ns: string;
  /** Attributes by qualified name as written (`href`, `xml:base`, `rdf:about`). */
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

export const NS = {
  xml: 'http://www.w3.org/XML/1998/namespace',
  atom: 'http://www.w3.org/2005/Atom',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rss1: 'http://purl.org/rss/1.0/',
  content: 'http://purl.org/rss/1.0/modules/content/',
  dc: 'http://purl.org/dc/elements/1.1/',
  media: 'http://search.yahoo.com/mrss/',
  xhtml: 'http://www.w3.org/1999/xhtml',
} as const;

const MAX_DEPTH = 200;
const MAX_ELEMENTS = 500_000;

// The five XML entities plus the HTML ones feeds most often use by mistake.
const NAMED: Record<string, string> = {
  lt: '<', gt: '>', amp: '&', quot: '"', apos: "'",
  nbsp: '\u00a0', copy: '©', reg: '®', trade: '™', hellip: '…', mdash: '—', ndash: '–',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', middot: '·', bull: '•', eacute: 'é',
};

/** Decodes character and entity references exactly once; unknown names stay as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z][a-z0-9]*);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
    }
    return NAMED[ref] ?? NAMED[ref.toLowerCase()] ?? whole;
  });
}

interface Frame {
  el: XmlElement;
  qname: string;
  scope: Record<string, string>;
}

/**
 * A small, strict-enough XML parser for feeds, written for the Chrome service
 * worker (no DOMParser there). It never expands DTD entities: a document type
 * that declares entities ("billion laughs") is refused outright, and depth
 * and element counts are bounded so hostile input fails fast.
 */
export function parseXml(src: string): XmlElement {
  const stack: Frame[] = [];
  let root: XmlElement | undefined;
  let count = 0;
  let i = 0;
  const n = src.length;
  const top = () => stack[stack.length - 1];
  const fail = (what: string, at: number): never => {
    const line = src.slice(0, at).split('\n').length;
    throw new FeedError(`The feed is not valid XML: ${what} (line ${line}).`);
  };
  const addText = (text: string) => {
    const frame = top();
    if (frame) frame.el.children.push(text);
    else if (text.trim() !== '') fail('text outside the root element', i);
  };

  if (src.charCodeAt(0) === 0xfeff) i = 1;
  while (i < n) {
    const lt = src.indexOf('<', i);
    if (lt === -1) {
      addText(decodeEntities(src.slice(i)));
      break;
    }
    if (lt > i) addText(decodeEntities(src.slice(i, lt)));
    i = lt;
    if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i + 4);
      if (end === -1) fail('unclosed comment', i);
      i = end + 3;
    } else if (src.startsWith('<![CDATA[', i)) {
      const end = src.indexOf(']]>', i + 9);
      if (end === -1) fail('unclosed CDATA section', i);
      if (!top()) fail('CDATA outside the root element', i);
      addText(src.slice(i + 9, end));
      i = end + 3;
    } else if (src.startsWith('<?', i)) {
      const end = src.indexOf('?>', i + 2);
      if (end === -1) fail('unclosed processing instruction', i);
      i = end + 2;
    } else if (src.startsWith('<!DOCTYPE', i) || src.startsWith('<!doctype', i)) {
      i = skipDoctype(src, i, fail);
    } else if (src[i + 1] === '/') {
      const end = src.indexOf('>', i);
      if (end === -1) fail('unclosed end tag', i);
      const qname = src.slice(i + 2, end).trim();
      const frame = stack.pop();
      if (!frame) fail(`unexpected </${qname}>`, i);
      if (frame!.qname !== qname) fail(`<${frame!.qname}> is closed by </${qname}>`, i);
      if (stack.length === 0) root = frame!.el;
      i = end + 1;
    } else {
      const tag = readTag(src, i, fail);
      if (root) fail('content after the root element', i);
      if (++count > MAX_ELEMENTS) throw new FeedError('The feed has too many elements to be a real feed.');
      if (stack.length >= MAX_DEPTH) throw new FeedError('The feed is nested too deeply to be a real feed.');
      const parentScope = top()?.scope ?? { xml: NS.xml };
      let scope = parentScope;
      for (const [k, v] of Object.entries(tag.attrs)) {
        if (k === 'xmlns' || k.startsWith('xmlns:')) {
          if (scope === parentScope) scope = { ...parentScope };
          scope[k === 'xmlns' ? '' : k.slice(6)] = v;
        }
      }
      const colon = tag.qname.indexOf(':');
      const prefix = colon === -1 ? '' : tag.qname.slice(0, colon);
      const el: XmlElement = { name: tag.qname.slice(colon + 1), ns: scope[prefix] ?? '', attrs: tag.attrs, children: [] };
      top()?.el.children.push(el);
      if (tag.selfClosing) {
        if (stack.length === 0) root = el;
      } else {
        stack.push({ el, qname: tag.qname, scope });
      }
      i = tag.end;
    }
  }
  if (stack.length > 0) fail(`<${top()!.qname}> is never closed`, n);
  if (!root) fail('no root element', n);
  return root!;
}

function skipDoctype(src: string, i: number, fail: (what: string, at: number) => never): number {
  const bracket = src.indexOf('[', i);
  const close = src.indexOf('>', i);
  if (close === -1) fail('unclosed DOCTYPE', i);
  if (bracket === -1 || bracket > close) return close + 1;
  const end = src.indexOf(']>', bracket);
  const subset = src.slice(bracket, end === -1 ? undefined : end);
  if (/<!ENTITY/i.test(subset)) {
    throw new FeedError('The feed declares its own XML entities, which Offprint refuses because they can be used to exhaust memory.');
  }
  if (end === -1) fail('unclosed DOCTYPE', i);
  return end + 2;
}

function readTag(src: string, start: number, fail: (what: string, at: number) => never) {
  let i = start + 1;
  const nameMatch = /^[^\s/>]+/.exec(src.slice(i, i + 256));
  if (!nameMatch) fail('a tag without a name', start);
  const qname = nameMatch![0];
  i += qname.length;
  const attrs: Record<string, string> = {};
  for (;;) {
    while (i < src.length && /\s/.test(src[i]!)) i++;
    const c = src[i];
    if (c === undefined) fail(`<${qname}> is not closed`, start);
    if (c === '>') return { qname, attrs, selfClosing: false, end: i + 1 };
    if (c === '/' && src[i + 1] === '>') return { qname, attrs, selfClosing: true, end: i + 2 };
    const eq = src.indexOf('=', i);
    if (eq === -1) fail(`a broken attribute in <${qname}>`, i);
    const name = src.slice(i, eq).trim();
    if (!name || /[\s<>"']/.test(name)) fail(`a broken attribute in <${qname}>`, i);
    let q = eq + 1;
    while (q < src.length && /\s/.test(src[q]!)) q++;
    const quote = src[q];
    if (quote !== '"' && quote !== "'") fail(`an unquoted attribute value in <${qname}>`, q);
    const close = src.indexOf(quote!, q + 1);
    if (close === -1) fail(`an unclosed attribute value in <${qname}>`, q);
    attrs[name] = decodeEntities(src.slice(q + 1, close));
    i = close + 1;
  }
}

// --- Small helpers for walking the tree -----------------------------------

export function childElements(el: XmlElement): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== 'string');
}

export function child(el: XmlElement, name: string, ns?: string): XmlElement | undefined {
  for (const c of el.children) if (typeof c !== 'string' && c.name === name && (ns === undefined || c.ns === ns)) return c;
  return undefined;
}

export function children(el: XmlElement, name: string, ns?: string): XmlElement[] {
  return childElements(el).filter((c) => c.name === name && (ns === undefined || c.ns === ns));
}

/** Concatenated text of an element and its descendants. */
export function textOf(el: XmlElement | undefined): string {
  if (!el) return '';
  let out = '';
  for (const c of el.children) out += typeof c === 'string' ? c : textOf(c);
  return out;
}

export function childText(el: XmlElement, name: string, ns?: string): string | undefined {
  const c = child(el, name, ns);
  if (!c) return undefined;
  const text = textOf(c).trim();
  return text === '' ? undefined : text;
}

/** Re-serializes child nodes as markup (Atom's type="xhtml" content). */
export function serializeChildren(el: XmlElement): string {
  return el.children.map(serializeNode).join('');
}

function serializeNode(node: XmlNode): string {
  if (typeof node === 'string') return node.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const attrs = Object.entries(node.attrs)
    .filter(([k]) => k !== 'xmlns' && !k.startsWith('xmlns:'))
    .map(([k, v]) => ` ${k}="${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`)
    .join('');
  return `<${node.name}${attrs}>${serializeChildren(node)}</${node.name}>`;
}
