/**
 * Pathological markup (tens of thousands of nested elements) makes a DOM
 * parse, Readability and the sanitizer take tens of seconds on one thread.
 * Browsers already refuse to nest deeper than 512; this pass, a linear scan
 * of the HTML text done in slices so the page stays responsive and Cancel is
 * heard, drops the tags nested deeper than MAX_DEPTH (their text stays) and
 * counts elements, before any DOM work.
 */
export const MAX_DEPTH = 128;

export interface DepthReport {
  html: string;
  maxDepth: number;
  elements: number;
  /** Tags dropped because they sat deeper than MAX_DEPTH. */
  flattened: number;
}

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
const RAW = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'noscript', 'template']);
/** Elements whose start tag closes an open one of the same kind (<p><p>, <li><li>). */
const SELF_CLOSING_SIBLINGS = new Set(['p', 'li', 'dt', 'dd', 'option', 'tr', 'td', 'th']);
const TAG = /<(\/?)([a-zA-Z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/y;

interface State {
  out: string[];
  stack: { name: string; kept: boolean }[];
  /** How many of each element are open, so an end tag finds its start without a search. */
  open: Map<string, number>;
  maxDepth: number;
  elements: number;
  flattened: number;
}

function pop(st: State): { name: string; kept: boolean } | undefined {
  const entry = st.stack.pop();
  if (entry) st.open.set(entry.name, st.open.get(entry.name)! - 1);
  return entry;
}

/** Scans html[from, to) (extended to a tag boundary) and returns where it stopped. */
function scan(html: string, from: number, to: number, st: State): number {
  let i = from;
  while (i < to) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      st.out.push(html.slice(i));
      return html.length;
    }
    st.out.push(html.slice(i, lt));
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      const stop = end < 0 ? html.length : end + 3;
      st.out.push(html.slice(lt, stop));
      i = stop;
      continue;
    }
    TAG.lastIndex = lt;
    const m = TAG.exec(html);
    if (!m) {
      const bang = html[lt + 1] === '!' || html[lt + 1] === '?' ? html.indexOf('>', lt) : -1;
      const stop = bang < 0 ? lt + 1 : bang + 1;
      st.out.push(html.slice(lt, stop));
      i = stop;
      continue;
    }
    const closing = m[1] === '/';
    const name = m[2]!.toLowerCase();
    const tag = m[0];
    i = TAG.lastIndex;
    if (closing) {
      if (!st.open.get(name)) continue; // a stray end tag: the parser would ignore it
      // Elements left open inside it close with it (each popped once: linear overall).
      for (let entry = pop(st); entry; entry = pop(st)) {
        if (entry.name !== name) continue;
        if (entry.kept) st.out.push(tag);
        else st.flattened += 1;
        break;
      }
      continue;
    }
    st.elements += 1;
    if (SELF_CLOSING_SIBLINGS.has(name) && st.stack.at(-1)?.name === name) {
      // The parser closes it here too; nothing to write.
      pop(st);
    }
    if (RAW.has(name)) {
      const close = new RegExp(`</${name}`, 'ig');
      close.lastIndex = i;
      const end = close.exec(html)?.index ?? -1;
      const stop = end < 0 ? html.length : html.indexOf('>', end) + 1 || html.length;
      if (st.stack.length < MAX_DEPTH) st.out.push(tag, html.slice(i, stop));
      i = stop;
      continue;
    }
    const selfClosed = VOID.has(name) || tag.endsWith('/>');
    const kept = st.stack.length < MAX_DEPTH;
    if (kept) st.out.push(tag);
    else st.flattened += 1;
    if (!selfClosed) {
      st.stack.push({ name, kept });
      st.open.set(name, (st.open.get(name) ?? 0) + 1);
      if (st.stack.length > st.maxDepth) st.maxDepth = st.stack.length;
    }
  }
  return i;
}

/** One pass at once (zips, tests). */
export function limitDepth(html: string): DepthReport {
  const st: State = { out: [], stack: [], open: new Map(), maxDepth: 0, elements: 0, flattened: 0 };
  scan(html, 0, html.length, st);
  return { html: st.out.join(''), maxDepth: st.maxDepth, elements: st.elements, flattened: st.flattened };
}

/** The same in slices, yielding between them: progress moves and Cancel stops it at once. */
export async function limitDepthInSlices(
  html: string,
  opts: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void; slice?: number; yieldTo?: () => Promise<void> } = {},
): Promise<DepthReport> {
  const slice = opts.slice ?? 200_000;
  const yieldTo = opts.yieldTo ?? (() => new Promise<void>((r) => setTimeout(r, 0)));
  const st: State = { out: [], stack: [], open: new Map(), maxDepth: 0, elements: 0, flattened: 0 };
  let at = 0;
  while (at < html.length) {
    if (opts.signal?.aborted) throw new DOMException('Cancelled', 'AbortError');
    at = scan(html, at, Math.min(html.length, at + slice), st);
    opts.onProgress?.(at, html.length);
    await yieldTo();
  }
  return { html: st.out.join(''), maxDepth: st.maxDepth, elements: st.elements, flattened: st.flattened };
}
