// A selection clip keeps only what was selected, inside the formatting it sits
// in: a selection within a code block is still a code block, within a list
// still a list item, within a table still a table.

const WRAPPERS = new Set(['PRE', 'CODE', 'BLOCKQUOTE', 'UL', 'OL', 'LI', 'TABLE', 'THEAD', 'TBODY', 'TR', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'EM', 'STRONG', 'B', 'I', 'A', 'FIGURE', 'DL', 'DD', 'DT']);

/** Copies of the selected ranges, each wrapped in its formatting ancestors. */
export function selectionContainer(doc: Document, selection: Selection | null): Element | undefined {
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return undefined;
  const container = doc.createElement('div');
  for (let i = 0; i < selection.rangeCount; i++) {
    const range = selection.getRangeAt(i);
    let node: Node = range.cloneContents();
    let ancestor: Node | null = range.commonAncestorContainer;
    if (ancestor.nodeType !== 1) ancestor = ancestor.parentNode;
    for (let el = ancestor as Element | null; el && el !== doc.body && el !== doc.documentElement; el = el.parentElement) {
      if (!WRAPPERS.has(el.tagName)) continue;
      const wrapper = el.cloneNode(false) as Element;
      wrapper.append(node);
      node = wrapper;
    }
    container.append(node);
  }
  return (container.textContent ?? '').trim() || container.querySelector('img') ? container : undefined;
}

/**
 * A text fragment link (#:~:text=start,end) to the selection, so "Read the
 * original" scrolls to it and each selection is its own saved item.
 */
export function selectionUrl(pageUrl: string, text: string): string {
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const enc = (s: string) => encodeURIComponent(s).replace(/-/g, '%2D').replace(/,/g, '%2C');
  const start = words.slice(0, 4).join(' ');
  const fragment = words.length > 8 ? `${enc(start)},${enc(words.slice(-4).join(' '))}` : enc(words.join(' '));
  return `${pageUrl.split('#')[0]}#:~:text=${fragment}`;
}
