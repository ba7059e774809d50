import { describe, expect, it } from 'vitest';
import { anchorSpan, describeSpan, reanchorAll } from '../../../lib/highlights/anchor';

const text = 'Set maxUnavailable to 1 in the rollout. Later, set maxUnavailable to 0 for the database. The end.';

function selectorsOf(t: string, exact: string, nth = 0) {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = t.indexOf(exact, at + 1);
  return describeSpan(t, { start: at, end: at + exact.length });
}

describe('anchoring', () => {
  it('describes a span with prefix, suffix and position', () => {
    const sel = selectorsOf(text, 'maxUnavailable to 0');
    expect(sel.quote.exact).toBe('maxUnavailable to 0');
    expect(sel.quote.prefix.endsWith('Later, set ')).toBe(true);
    expect(sel.quote.suffix.startsWith(' for the database')).toBe(true);
    expect(text.slice(sel.position.start, sel.position.end)).toBe('maxUnavailable to 0');
  });

  it('tells apart two occurrences of the same words by their context after the text moved', () => {
    const sel = selectorsOf(text, 'maxUnavailable', 1);
    const changed = 'A new first paragraph was added here.\n' + text;
    const span = anchorSpan(changed, sel)!;
    expect(changed.slice(span.start, span.end)).toBe('maxUnavailable');
    expect(changed.slice(span.end, span.end + 5)).toBe(' to 0');
  });

  it('finds a quote whose words changed a little, and gives up when its text is gone', () => {
    const sel = selectorsOf(text, 'set maxUnavailable to 0 for the database');
    const edited = text.replace('for the database', 'for the databases');
    const span = anchorSpan(edited, sel)!;
    expect(edited.slice(span.start, span.end)).toMatch(/^set maxUnavailable to 0 for the database/);
    expect(anchorSpan('Completely different text about Terraform state locking.', sel)).toBeUndefined();
  });

  it('keeps the exact characters of code, whitespace included', () => {
    const code = 'spec:\n  replicas: 3\n  strategy:\n    type: RollingUpdate\n';
    const sel = selectorsOf(code, '  strategy:\n    type');
    expect(sel.quote.exact).toBe('  strategy:\n    type');
    expect(anchorSpan('Intro\n' + code, sel)).toEqual({ start: 6 + sel.position.start, end: 6 + sel.position.end });
  });

  it('re-anchors many at once and says which could not be placed', () => {
    const items = [selectorsOf(text, 'in the rollout'), selectorsOf(text, 'The end.')];
    const out = reanchorAll('Preface. Set maxUnavailable to 1 in the rollout.', items);
    expect(out[0]!.span).toBeDefined();
    expect(out[0]!.selectors!.position.start).toBe('Preface. Set maxUnavailable to 1 '.length);
    expect(out[1]!.span).toBeUndefined();
  });
});
