import { describe, expect, it } from 'vitest';
import { highlight, snippet, type Segment } from '../../../lib/search/snippet';

const text = (s: Segment[]) => s.map((x) => x.text).join('');
const hits = (s: Segment[]) => s.filter((x) => x.hit).map((x) => x.text);

describe('snippets', () => {
  const body = `${'Intro words about clusters. '.repeat(20)}The pod restarts because the liveness probe fails. ${'Closing words here. '.repeat(20)}`;

  it('cuts a window around the first match, at word boundaries, with ellipses', () => {
    const s = snippet(body, new Set(['liveness']), 80);
    expect(s[0]).toEqual({ text: '…', hit: false });
    expect(s.at(-1)).toEqual({ text: '…', hit: false });
    expect(text(s)).toContain('pod restarts because the liveness probe fails.');
    expect(hits(s)).toEqual(['liveness']);
    expect(text(s.slice(1, -1))).toMatch(/^\S.*\S$/);
  });

  it('matches whole tokens only: "pod" does not stop at "podcast"', () => {
    const s = snippet('Our podcast episode. Later: each pod gets an IP.', new Set(['pod']));
    expect(hits(s)).toEqual(['pod']);
  });

  it('highlights identifiers matched through their parts and accented words', () => {
    expect(hits(snippet('Set maxUnavailable to zero.', new Set(['unavailable'])))).toEqual(['maxUnavailable']);
    expect(hits(snippet('Le déploiement échoue.', new Set(['deploiement'])))).toEqual(['déploiement']);
  });

  it('falls back to the start of the text when only the title matched', () => {
    const s = snippet('Nothing relevant in the body at all.', new Set(['etcd']));
    expect(text(s)).toBe('Nothing relevant in the body at all.');
    expect(hits(s)).toEqual([]);
  });

  it('finds the first whole-token match wherever it is in a long text, across the pieces it is searched in', () => {
    for (let at = 2030; at <= 2060; at++) {
      for (const before of ['', 'podcast ']) {
        // Filler of the exact length, then maybe a decoy that only contains the term, then the term.
        const filler = 'x'.repeat(at - before.length - 1) + ' ';
        const long = `${filler}${before}Pod crashed. ${'More text. '.repeat(400)}pod again`;
        const s = snippet(long, new Set(['pod']), 60);
        expect(hits(s), `at ${at}`).toEqual(['Pod']);
        expect(text(s), `at ${at}`).toContain('Pod crashed.');
      }
    }
    // Only in a later piece, far into the text.
    const late = `${'Filler words. '.repeat(1000)}The etcd member left.`;
    expect(hits(snippet(late, new Set(['etcd'])))).toEqual(['etcd']);
  });

  it('treats the text as text: markup-like content is never interpreted', () => {
    const s = highlight('<img src=x onerror=alert(1)> etcd', new Set(['etcd']));
    expect(text(s)).toBe('<img src=x onerror=alert(1)> etcd');
    expect(hits(s)).toEqual(['etcd']);
  });
});
