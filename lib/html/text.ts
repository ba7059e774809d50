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

/** HTML parsed into an element of an inert document: nothing in it runs or loads. */
export function parseInert(html: string, doc: Document): Element {
  const root = doc.implementation.createHTMLDocument('').createElement('div');
  root.innerHTML = html;
  return root;
}

/** Plain text of a DOM subtree, by the same rules as htmlToText, without a parse. */
export function nodeToText(root: Node): string {
  const out: string[] = [];
  walk(root, out, false);
  return out
    .join('')
    .replace(/[ \t\u00a0]*\n[ \t\u00a0]*(?=\n)/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function walk(node: Node, out: string[], inPre: boolean): void {
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === 3) {
      const text = child.nodeValue ?? '';
      out.push(inPre ? text : text.replace(/\s+/g, ' '));
      continue;
    }
    if (child.nodeType !== 1) continue;
    const tag = (child as Element).tagName;
    if (SKIP.has(tag)) continue;
    if (tag === 'BR') {
      out.push('\n');
      continue;
    }
    const block = BLOCK.has(tag);
    if (block) out.push('\n\n');
    else if (tag === 'TD' || tag === 'TH') out.push(' ');
    walk(child, out, inPre || tag === 'PRE');
    if (block) out.push('\n\n');
  }
}
