// Marks the words a search matched in a shown article, so opening a result
// shows why it matched: the text nodes are split, never reparsed as HTML.
import { rawTokens } from './normalize';
import { tokenMatches } from './snippet';

/** The first word markMatches marked in root. */
export function firstMatch(root: HTMLElement): HTMLElement | undefined {
  return root.querySelector<HTMLElement>('mark.search-match') ?? undefined;
}

/** Wraps every token of root's text that matches one of the terms in <mark class="search-match">; returns the first. */
export function markMatches(root: HTMLElement, terms: ReadonlySet<string>): HTMLElement | undefined {
  if (terms.size === 0) return undefined;
  const doc = root.ownerDocument;
  const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
  const nodes: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    // Not inside a mark already, nor inside code's copy button and the like.
    if (!(n.parentElement?.closest('mark, button, script, style'))) nodes.push(n as Text);
  }
  let first: HTMLElement | undefined;
  for (const node of nodes) {
    const text = node.data;
    const hits = [...rawTokens(text)].filter((t) => tokenMatches(t.raw, terms));
    if (!hits.length) continue;
    const frag = doc.createDocumentFragment();
    let at = 0;
    for (const t of hits) {
      if (t.start > at) frag.append(text.slice(at, t.start));
      const mark = doc.createElement('mark');
      mark.className = 'search-match';
      mark.textContent = t.raw;
      frag.append(mark);
      first ??= mark;
      at = t.end;
    }
    if (at < text.length) frag.append(text.slice(at));
    node.replaceWith(frag);
  }
  return first;
}
