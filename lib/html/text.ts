const BLOCK = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'DD', 'DIV', 'DL', 'DT', 'FIGCAPTION', 'FIGURE', 'FOOTER', 'H1', 'H2', 'H3',
  'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'NAV', 'OL', 'P', 'PRE', 'SECTION', 'TABLE', 'TR', 'UL',
]);
const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE']);

/**
 * Plain text of an HTML fragment for search and word counts. Blocks become
 * paragraphs; code keeps its exact line breaks, including the `<br>` that
 * Medium puts inside `<pre>`.
 */
export function htmlToText(html: string, doc: Document): string {
  return nodeToText(parseInert(html, doc));
}

/**
 * HTML parsed into an element of a DOMParser document, which is inert:
 * nothing in it runs or loads. Tags the parser puts in <head> (a leading
 * <style> or <title>) are moved back in order, so the element holds what an
 * innerHTML assignment would have given, without the assignment that store
 * reviewers are warned about.
 */
export function parseInert(html: string, doc: Document): Element {
  const Parser = doc.defaultView?.DOMParser ?? DOMParser;
  const parsed = new Parser().parseFromString(html, 'text/html');
  const root = parsed.createElement('div');
  root.append(...parsed.head.childNodes, ...parsed.body.childNodes);
  return root;
}

/** Plain text of a DOM subtree, by the same rules as htmlToText, without a parse. */
export function nodeToText(root: Node): string {
  return walk(root, false)
    .replace(/[ \t\u00a0]*\n[ \t\u00a0]*(?=\n)/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Whitespace that collapsing would change: anything but single spaces. */
const COLLAPSIBLE = /[^\S ]| {2}/;

function walk(node: Node, inPre: boolean): string {
  // String concatenation: V8 builds ropes, cheaper than an array of parts here.
  let out = '';
  for (let child = node.firstChild; child; child = child.nextSibling) {
    const type = child.nodeType;
    if (type === 3) {
      const text = child.nodeValue ?? '';
      out += inPre || !COLLAPSIBLE.test(text) ? text : text.replace(/\s+/g, ' ');
      continue;
    }
    if (type !== 1) continue;
    const tag = (child as Element).tagName;
    if (SKIP.has(tag)) continue;
    if (tag === 'BR') {
      out += '\n';
      continue;
    }
    const block = BLOCK.has(tag);
    if (block) out += '\n\n';
    else if (tag === 'TD' || tag === 'TH') out += ' ';
    out += walk(child, inPre || tag === 'PRE');
    if (block) out += '\n\n';
  }
  return out;
}
