// DOM side of highlights: the rendered article body as one text (the text the
// selectors are written against), DOM ranges to and from offsets in it, and
// painting highlights as <mark> elements.
import type { HighlightColor } from '../db/types';
import type { Span } from './anchor';

/** Offprint's own controls inside the body (code Copy buttons) are not article text. */
function isControl(el: Element): boolean {
  return el.tagName === 'BUTTON' || el.classList.contains('copy-code') || el.hasAttribute('data-offprint-ui');
}
const BLOCKS = new Set(['P', 'LI', 'PRE', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'BLOCKQUOTE', 'TD', 'TH', 'DT', 'DD', 'FIGCAPTION', 'TR', 'DIV', 'SECTION', 'ARTICLE', 'TABLE', 'UL', 'OL', 'FIGURE']);

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
  const nodes: Text[] = [];
  const starts: number[] = [];
  const pieces: string[] = [];
  let length = 0;
  let endsWithBreak = true;
  let lastBlock: Element | null = null;
  const push = (s: string) => {
    pieces.push(s);
    length += s.length;
    endsWithBreak = s.charCodeAt(s.length - 1) === 10;
  };
  // A plain walk (no TreeWalker callback per node): this runs on every paint.
  const walk = (el: Element, block: Element) => {
    for (let c = el.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3) {
        const t = c as Text;
        if (!t.data) continue;
        if (lastBlock && block !== lastBlock && !endsWithBreak && !/^\s/.test(t.data)) push('\n');
        lastBlock = block;
        nodes.push(t);
        starts.push(length);
        push(t.data);
      } else if (c.nodeType === 1) {
        const child = c as Element;
        if (child.tagName === 'BR') push('\n');
        else if (!isControl(child)) walk(child, BLOCKS.has(child.tagName) ? child : block);
      }
    }
  };
  walk(root, root);
  return { text: pieces.join(''), nodes, starts };
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

/** What is painted, for finding the highlight under a click and scrolling to one. */
export interface Painted {
  /** Highlight ids under a point of the text, newest last. */
  idsAt(node: Node, offset: number): string[];
  /** An element to scroll to for a highlight. */
  elementOf(id: string): Element | undefined;
  /** Outlines a highlight for a moment. */
  flash(id: string): void;
  /** Text of a highlight as painted. */
  textOf(id: string): string;
}

type HighlightRegistry = Map<string, unknown>;
type HighlightCtor = new (...ranges: Range[]) => unknown;

/** The CSS Custom Highlight API, when the browser has it (Chrome 105+, Firefox 140+). */
function highlightApi(win: Window | null): { registry: HighlightRegistry; Highlight: HighlightCtor } | undefined {
  const w = win as (Window & { CSS?: { highlights?: HighlightRegistry }; Highlight?: HighlightCtor }) | null;
  return w?.CSS?.highlights && w.Highlight ? { registry: w.CSS.highlights, Highlight: w.Highlight } : undefined;
}

export const HIGHLIGHT_NAMES = ['yellow', 'green', 'blue', 'pink', 'note', 'flash'].map((n) => `offprint-${n}`);

/**
 * Paints highlights. With the CSS Custom Highlight API the text is styled
 * where it is, without touching the DOM, so nothing is laid out again; without
 * it (older browsers, tests' DOMs) each piece is wrapped in a <mark>.
 */
export function paint(map: TextMap, items: PaintItem[], root: Element): Painted {
  const api = highlightApi(root.ownerDocument.defaultView);
  if (!api || map.nodes.length === 0) {
    paintHighlights(map, items);
    const marks = (id: string) => [...root.querySelectorAll<HTMLElement>(`mark.${MARK_CLASS}`)].filter((m) => (m.dataset.highlights ?? '').split(' ').includes(id));
    return {
      idsAt: (node) => {
        const mark = (node.nodeType === 1 ? (node as Element) : node.parentElement)?.closest(`mark.${MARK_CLASS}`) as HTMLElement | null;
        return (mark?.dataset.highlights ?? '').split(' ').filter(Boolean);
      },
      elementOf: (id) => marks(id)[0],
      flash: (id) => {
        for (const m of marks(id)) {
          m.classList.add('hl-flash');
          setTimeout(() => m.classList.remove('hl-flash'), 1500);
        }
      },
      textOf: (id) => marks(id).map((m) => m.textContent).join(''),
    };
  }
  const ranges = new Map<string, Range>();
  const byName = new Map<string, Range[]>(HIGHLIGHT_NAMES.map((n) => [n, []]));
  for (const item of items) {
    const range = rangeOfSpan(map, item.span);
    if (!range) continue;
    ranges.set(item.id, range);
    byName.get(`offprint-${item.color}`)?.push(range);
    if (item.hasNote) byName.get('offprint-note')!.push(range);
  }
  for (const [name, list] of byName) api.registry.set(name, new api.Highlight(...list));
  const order = [...ranges.keys()];
  return {
    idsAt: (node, offset) => order.filter((id) => {
      try {
        return ranges.get(id)!.isPointInRange(node, offset);
      } catch {
        return false;
      }
    }),
    elementOf: (id) => {
      const r = ranges.get(id);
      const n = r?.startContainer;
      return n ? (n.nodeType === 1 ? (n as Element) : (n.parentElement ?? undefined)) : undefined;
    },
    flash: (id) => {
      const r = ranges.get(id);
      if (!r) return;
      api.registry.set('offprint-flash', new api.Highlight(r));
      setTimeout(() => api.registry.set('offprint-flash', new api.Highlight()), 1500);
    },
    textOf: (id) => ranges.get(id)?.toString() ?? '',
  };
}

/** Clears what `paint` did: the registered highlights and any marks. */
export function unpaint(root: Element): void {
  const api = highlightApi(root.ownerDocument.defaultView);
  if (api) for (const name of HIGHLIGHT_NAMES) api.registry.delete(name);
  unpaintHighlights(root);
}

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
