// @vitest-environment jsdom
// The cases both sanitizer paths must pass, here on DOMPurify (jsdom has no
// Sanitizer API); tests/e2e/sanitizer.spec.ts runs the same cases in
// Chromium on both the browser's Sanitizer API and DOMPurify.
import { describe, expect, it } from 'vitest';
import { createSanitizer } from '../../../lib/html/sanitize';
import { runSanitizerCases, SANITIZER_CASES } from '../../fixtures/html/sanitizer-cases';

describe('sanitizer cases (DOMPurify)', () => {
  const sanitize = createSanitizer(window);

  it.each(SANITIZER_CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expect(c.run(sanitize, document)).toEqual([]);
  });

  it('the checks fail on unsanitized output', () => {
    // An inert document: the unsanitized vectors must not run here.
    const inert = document.implementation.createHTMLDocument('');
    const body = (html: string) => Object.assign(inert.createElement('div'), { innerHTML: html });
    const identity = Object.assign((html: string) => html, {
      children: (root: ParentNode) => root as HTMLElement,
      clean: (root: ParentNode) => ({ root: root as HTMLElement, text: root.textContent ?? '' }),
      body,
    });
    expect(runSanitizerCases(identity, inert).length).toBeGreaterThan(SANITIZER_CASES.length / 2);
  });
});
