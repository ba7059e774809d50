// Runs inside Chromium (bundled by highlights.ts): paints highlights on the
// rendered long article and re-anchors them in a changed text.
import { anchorSpan, describeSpan, reanchorAll, type Selectors } from '../../lib/highlights/anchor';
import { buildTextMap, paint as paintAll, unpaint, type PaintItem } from '../../lib/highlights/dom';
import { HIGHLIGHT_COLORS } from '../../lib/db/types';

export interface HighlightFigures {
  plainMs: number[];
  withMs: number[];
  paintMs: number[];
  reanchorMs: number[];
  words: number;
  placed: number;
  reanchored: number;
}

/** 200 spans spread over the text: sentence pieces, some across paragraphs, some in code. */
function pickSpans(text: string, n: number): Selectors[] {
  const out: Selectors[] = [];
  const step = Math.floor(text.length / (n + 1));
  for (let i = 1; i <= n; i++) {
    const start = i * step;
    const len = i % 10 === 0 ? 180 : 30 + (i % 7) * 8; // every tenth crosses into the next block
    out.push(describeSpan(text, { start, end: Math.min(text.length, start + len) }));
  }
  return out;
}

/** Resolves once the next frame has been rendered. */
function frame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

function render(root: HTMLElement, html: string): void {
  root.innerHTML = html;
  void root.offsetHeight; // layout
}

async function run(html: string, changedHtml: string, rounds: number): Promise<HighlightFigures> {
  const root = document.createElement('div');
  root.className = 'article-body';
  document.body.append(root);
  render(root, html);
  const selectors = pickSpans(buildTextMap(root).text, 200);
  const paint = () => {
    const map = buildTextMap(root);
    const items: PaintItem[] = [];
    selectors.forEach((sel, i) => {
      const span = anchorSpan(map.text, sel);
      if (span) items.push({ id: `h${i}`, color: HIGHLIGHT_COLORS[i % 4]!, span, hasNote: i % 3 === 0 });
    });
    paintAll(map, items, root);
    void root.offsetHeight;
    return items.length;
  };
  const figures: HighlightFigures = { plainMs: [], withMs: [], paintMs: [], reanchorMs: [], words: 0, placed: 0, reanchored: 0 };
  // Warm-up, then alternate which runs first.
  render(root, html);
  paint();
  for (let r = 0; r < rounds; r++) {
    // Each side runs until the browser has produced the next frame, so painting counts too.
    const timePlain = async () => {
      unpaint(root);
      await frame();
      const t = performance.now();
      render(root, html);
      await frame();
      figures.plainMs.push(performance.now() - t);
    };
    const timeWith = async () => {
      unpaint(root);
      await frame();
      const t = performance.now();
      render(root, html);
      const t1 = performance.now();
      figures.placed = paint();
      const t2 = performance.now();
      await frame();
      figures.withMs.push(performance.now() - t);
      figures.paintMs.push(t2 - t1);
    };
    if (r % 2) {
      await timePlain();
      await timeWith();
    } else {
      await timeWith();
      await timePlain();
    }
    await new Promise((res) => setTimeout(res, 0));
  }
  unpaint(root);
  figures.words = root.textContent!.split(/\s+/).filter(Boolean).length;
  render(root, changedHtml);
  const changed = buildTextMap(root).text;
  reanchorAll(changed, selectors);
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    const out = reanchorAll(changed, selectors);
    figures.reanchorMs.push(performance.now() - t);
    figures.reanchored = out.filter((o) => o.span).length;
  }
  return figures;
}

Object.assign(globalThis, { runHighlightBench: run });
