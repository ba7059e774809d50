// Text-level anchoring of highlights: describing a span of the article's text
// as W3C Web Annotation selectors, and finding such a span again in a text
// that may have changed since (a preview upgraded to the full post, a re-clip).
// Fuzzy matching is approx-string-match (Myers' bit-parallel algorithm, as the
// Hypothesis client uses); the scoring of candidates by context and position is ours.
import approxSearch from 'approx-string-match';
import type { TextPositionSelector, TextQuoteSelector } from '../db/types';

/** Characters of context kept either side of the quote (as Hypothesis keeps). */
export const CONTEXT_CHARS = 32;

export interface Span {
  start: number;
  end: number;
}

export interface Selectors {
  quote: TextQuoteSelector;
  position: TextPositionSelector;
}

/** Selectors for text[start, end). */
export function describeSpan(text: string, { start, end }: Span): Selectors {
  return {
    quote: {
      type: 'TextQuoteSelector',
      exact: text.slice(start, end),
      prefix: text.slice(Math.max(0, start - CONTEXT_CHARS), start),
      suffix: text.slice(end, end + CONTEXT_CHARS),
    },
    position: { type: 'TextPositionSelector', start, end },
  };
}

/** Share of the context that matches, read outwards from the quote (cheap: no edit distance). */
function prefixScore(text: string, at: number, prefix: string): number {
  if (!prefix) return 1;
  let n = 0;
  while (n < prefix.length && at - 1 - n >= 0 && text.charCodeAt(at - 1 - n) === prefix.charCodeAt(prefix.length - 1 - n)) n++;
  return n / prefix.length;
}

function suffixScore(text: string, at: number, suffix: string): number {
  if (!suffix) return 1;
  let n = 0;
  while (n < suffix.length && at + n < text.length && text.charCodeAt(at + n) === suffix.charCodeAt(n)) n++;
  return n / suffix.length;
}

/** Larger is better: the quote's own match first, then its context, then nearness to where it was. */
function score(text: string, sel: Selectors, span: Span, quoteErrors: number): number {
  const { exact, prefix, suffix } = sel.quote;
  const quoteScore = 1 - quoteErrors / Math.max(1, exact.length);
  const distance = Math.abs(span.start - sel.position.start);
  const positionScore = 1 - distance / Math.max(1, text.length);
  return quoteScore * 50 + prefixScore(text, span.start, prefix) * 20 + suffixScore(text, span.end, suffix) * 20 + positionScore * 2;
}

/** Most errors a fuzzy match of a quote may have: none for short quotes, a fifth of a long one. */
export function maxErrorsFor(exact: string): number {
  return exact.length < 16 ? 0 : Math.min(256, Math.floor(exact.length / 5));
}

/**
 * Finds the quote in `text`: where the position hint says when the text there
 * still matches with its context, else the best exact occurrence, else the
 * best approximate one. Undefined when it is not there any more.
 */
export function anchorSpan(text: string, sel: Selectors): Span | undefined {
  const { exact, prefix, suffix } = sel.quote;
  if (!exact) return undefined;
  const { start, end } = sel.position;
  if (
    text.slice(start, end) === exact &&
    text.slice(Math.max(0, start - prefix.length), start) === prefix &&
    text.slice(end, end + suffix.length) === suffix
  ) {
    return { start, end };
  }
  // Exact occurrences; a quote found once needs no scoring.
  const found: Span[] = [];
  for (let at = text.indexOf(exact); at >= 0 && found.length < 500; at = text.indexOf(exact, at + 1)) {
    found.push({ start: at, end: at + exact.length });
  }
  if (found.length === 1) return found[0];
  if (found.length > 1) return best(found.map((span) => ({ span, s: score(text, sel, span, 0) })));
  const maxErrors = maxErrorsFor(exact);
  if (maxErrors === 0) return undefined;
  const matches = approxSearch(text, exact, maxErrors);
  if (matches.length === 0) return undefined;
  return best(matches.slice(0, 200).map((m) => ({ span: { start: m.start, end: m.end }, s: score(text, sel, m, m.errors) })));
}

function best(candidates: { span: Span; s: number }[]): Span {
  let top = candidates[0]!;
  for (const c of candidates) if (c.s > top.s) top = c;
  return top.span;
}

/**
 * Re-anchors many highlights in a changed text: each gets its span there
 * (with fresh selectors) or undefined when it could not be placed.
 */
export function reanchorAll<T extends Selectors>(text: string, items: T[]): { item: T; span?: Span; selectors?: Selectors }[] {
  return items.map((item) => {
    const span = anchorSpan(text, item);
    return span ? { item, span, selectors: describeSpan(text, span) } : { item };
  });
}
