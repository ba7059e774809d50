import { useLayoutEffect, useState } from 'preact/hooks';
import type { OffprintDB } from '../../lib/db/schema';
import type { Highlight } from '../../lib/db/types';
import { anchorSpan, describeSpan, type Span } from '../../lib/highlights/anchor';
import { buildTextMap, paint, unpaint, type PaintItem, type Painted } from '../../lib/highlights/dom';
import { recordPlacement } from '../../lib/library/highlights';

export interface PaintState {
  /** Where each placed highlight is in the body's text. */
  spans: Map<string, Span>;
  painted?: Painted;
}

/**
 * Paints an article's highlights on its rendered body, re-anchoring each one
 * in the text as it is now (so a preview that became the full post, or a
 * re-clip, keeps its highlights), and records what could not be placed.
 */
export function useHighlightPaint(db: OffprintDB, body: HTMLElement | null, bodyTick: number, highlights: Highlight[] | undefined): PaintState {
  const [state, setState] = useState<PaintState>({ spans: new Map() });
  useLayoutEffect(() => {
    if (!body || !highlights) return;
    const map = buildTextMap(body);
    const spans = new Map<string, Span>();
    const results: Parameters<typeof recordPlacement>[1] = [];
    const items: PaintItem[] = [];
    // Oldest first, so the newest is painted on top where two overlap.
    for (const h of [...highlights].sort((a, b) => a.createdAt - b.createdAt)) {
      const span = anchorSpan(map.text, h);
      if (!span) {
        results.push({ id: h.id, placed: 0 });
        continue;
      }
      spans.set(h.id, span);
      items.push({ id: h.id, color: h.color, span, hasNote: !!h.note });
      results.push({ id: h.id, placed: 1, ...describeSpan(map.text, span) });
    }
    setState({ spans, painted: paint(map, items, body) });
    void recordPlacement(db, results).catch((err: unknown) => console.warn('Offprint: could not record highlight placement', err));
    return () => unpaint(body);
  }, [db, body, bodyTick, highlights]);
  return state;
}
