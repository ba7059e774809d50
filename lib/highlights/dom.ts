// DOM side of highlights: the rendered article body as one text (the text the
// selectors are written against), DOM ranges to and from offsets in it, and
// painting highlights as <mark> elements.
import type { HighlightColor } from '../db/types';
import type { Span } from './anchor';

/** Elements that are Offprint's own controls inside the body (code Copy buttons), not article text. */
const SKIP = 'button, .copy-code, [data-offprint-ui]';
const BLOCK = 'p, li, pre, h1, h2, h3, h4, h5, h6, blockquote, td, th, dt, dd, figcaption, tr, div, section, article, table, ul, ol, figure';

/**
 * The body's text: every text node in document order, with a "\n" between
 * blocks and for each <br> (so a quote across paragraphs or code lines reads
 * as it looks). Those separators belong to no node.
 */
export interface TextMap {
  text: string;
  nodes: Text[];
  /** Offset in `text` where each node starts. */
  starts: number[];
}

export function buildTextMap(root: Element): TextMap {
  const doc = root.ownerDocument;
  const nodes: Text[] = [];
  const starts: number[] = [];
  let text = '';
  let lastBlock: Element | null = null;
  const walker = doc.createTreeWalker(root, 0x1 | 0x4 /* elements and text */, {
    acceptNode: (n) => (n.nodeType === 1 && (n as Element).matches(SKIP) ? 2 /* reject subtree */ : 1),
  });
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.nodeType === 1) {
      if ((n as Element).tagName === 'BR') text += '\n';
      continue;
    }
    const t = n as Text;
    if (!t.data) continue;
    const block = t.parentElement?.closest(BLOCK) ?? null;
    if (lastBlock && block !== lastBlock && !text.endsWith('\n') && !/^\s/.test(t.data)) text += '\n';
    lastBlock = block;
    nodes.push(t);
    starts.push(text.length);
    text += t.data;
  }
  return { text, nodes, starts };
}

/** Index of the last node starting at or before `offset`. */
function nodeAt(map: TextMap, offset: number): number {
  let lo = 0;
  let hi = map.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (map.starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Text offset of a DOM boundary point. A point between nodes is the start of
 * the next text node for a range's start, the end of the previous one for its end.
 */
export function offsetOf(map: TextMap, container: Node, offset: number, side: 'start' | 'end' = 'start'): number {
  if (container.nodeType === 3) {
    const i = map.nodes.indexOf(container as Text);
    if (i >= 0) return map.starts[i]! + Math.min(offset, (container as Text).data.length);
  }
  // A point between nodes: the start of the first mapped text node after it.
  const probe = container.ownerDocument!.createRange();
  probe.setStart(container, offset);
  let lo = 0;
  let hi = map.nodes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (probe.comparePoint(map.nodes[mid]!, 0) > 0) hi = mid;
    else if (probe.comparePoint(map.nodes[mid]!, map.nodes[mid]!.data.length) < 0) lo = mid + 1;
    else return map.starts[mid]!; // the point is inside this node (cannot happen for element containers)
  }
  if (side === 'end') return lo > 0 ? map.starts[lo - 1]! + map.nodes[lo - 1]!.data.length : 0;
  return lo < map.nodes.length ? map.starts[lo]! : map.text.length;
}

/** The span of a DOM range in the body's text; undefined when it is outside or only whitespace. */
export function spanOfRange(map: TextMap, root: Element, range: Range): Span | undefined {
  // A selection reaching past the body (a triple click on its last paragraph) is cut to the body.
  const inner = root.ownerDocument.createRange();
  inner.selectNodeContents(root);
  if (range.compareBoundaryPoints(Range.END_TO_START, inner) >= 0 || range.compareBoundaryPoints(Range.START_TO_END, inner) <= 0) return undefined;
  const startsInside = range.compareBoundaryPoints(Range.START_TO_START, inner) >= 0;
  const endsInside = range.compareBoundaryPoints(Range.END_TO_END, inner) <= 0;
  const start = startsInside ? offsetOf(map, range.startContainer, range.startOffset) : 0;
  const end = endsInside ? offsetOf(map, range.endContainer, range.endOffset, 'end') : map.text.length;
  if (end <= start || !map.text.slice(start, end).trim()) return undefined;
  return { start, end };
}

/** A DOM range covering text[start, end), for scrolling to a highlight. */
export function rangeOfSpan(map: TextMap, span: Span): Range | undefined {
  if (map.nodes.length === 0) return undefined;
  const doc = map.nodes[0]!.ownerDocument;
  const a = nodeAt(map, span.start);
  const b = nodeAt(map, Math.max(span.start, span.end - 1));
  const range = doc.createRange();
  range.setStart(map.nodes[a]!, Math.min(map.nodes[a]!.data.length, Math.max(0, span.start - map.starts[a]!)));
  range.setEnd(map.nodes[b]!, Math.min(map.nodes[b]!.data.length, Math.max(0, span.end - map.starts[b]!)));
  return range;
}

export interface PaintItem {
  id: string;
  color: HighlightColor;
  span: Span;
  hasNote: boolean;
}

export const MARK_CLASS = 'hl';

/**
 * Wraps every highlighted piece of text in a <mark>. All highlights are
 * painted in one pass over the text nodes: each node is cut at the
 * boundaries falling in it, so the cost grows with the nodes touched, not
 * with highlights × nodes. Overlaps show the newest highlight's colour; the
 * mark lists every highlight it belongs to in data-highlights.
 */
export function paintHighlights(map: TextMap, items: PaintItem[]): void {
  if (items.length === 0 || map.nodes.length === 0) return;
  const doc = map.nodes[0]!.ownerDocument;
  /** node index → the items overlapping it */
  const byNode = new Map<number, PaintItem[]>();
  for (const item of items) {
    const first = nodeAt(map, item.span.start);
    for (let i = first; i < map.nodes.length && map.starts[i]! < item.span.end; i++) {
      const nodeEnd = map.starts[i]! + map.nodes[i]!.data.length;
      if (nodeEnd <= item.span.start) continue;
      let list = byNode.get(i);
      if (!list) byNode.set(i, (list = []));
      list.push(item);
    }
  }
  for (const [i, covering] of byNode) {
    const node = map.nodes[i]!;
    const base = map.starts[i]!;
    const len = node.data.length;
    const cuts = new Set<number>([0, len]);
    for (const it of covering) {
      cuts.add(Math.min(len, Math.max(0, it.span.start - base)));
      cuts.add(Math.min(len, Math.max(0, it.span.end - base)));
    }
    const points = [...cuts].sort((x, y) => x - y);
    const frag = doc.createDocumentFragment();
    for (let k = 0; k + 1 < points.length; k++) {
      const from = points[k]!;
      const to = points[k + 1]!;
      if (to <= from) continue;
      const piece = doc.createTextNode(node.data.slice(from, to));
      const over = covering.filter((it) => it.span.start - base < to && it.span.end - base > from);
      if (over.length === 0) {
        frag.append(piece);
        continue;
      }
      const top = over[over.length - 1]!;
      const mark = doc.createElement('mark');
      mark.className = `${MARK_CLASS} hl-${top.color}${over.some((o) => o.hasNote) ? ' hl-note' : ''}`;
      mark.dataset.highlights = over.map((o) => o.id).join(' ');
      mark.append(piece);
      frag.append(mark);
    }
    node.replaceWith(frag);
  }
}

/** Removes every painted mark, leaving the text as it was. */
export function unpaintHighlights(root: Element): void {
  const parents = new Set<Node>();
  for (const mark of root.querySelectorAll(`mark.${MARK_CLASS}`)) {
    const parent = mark.parentNode;
    if (!parent) continue;
    parents.add(parent);
    while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
    mark.remove();
  }
  for (const p of parents) p.normalize();
}
