import { OffprintDB } from '../../../lib/db/schema';
import type { NewArticle } from '../../../lib/messages';

let counter = 0;

/** A fresh, uniquely named database for one test. */
export function freshDb(): OffprintDB {
  counter += 1;
  return new OffprintDB(`offprint-test-${counter}-${Math.random().toString(36).slice(2)}`);
}

/** A counter-based id and a fixed clock, so tests are repeatable. */
export function fixedDeps(start = Date.UTC(2026, 10, 1)) {
  let n = 0;
  let t = start;
  return { now: () => (t += 1000), newId: () => `id-${++n}` };
}

export function newArticle(overrides: Partial<NewArticle> = {}): NewArticle {
  return {
    url: 'https://example.com/post',
    source: 'clip',
    title: 'A post',
    html: '<p>Hello world</p>',
    text: 'Hello world',
    savedAt: Date.UTC(2026, 10, 2),
    ...overrides,
  };
}
