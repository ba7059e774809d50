// @vitest-environment jsdom
// The hostile vectors the sanitizer bench also runs through the browser's
// Sanitizer API in Chromium (`npm run bench -- sanitizer`): DOMPurify, as
// configured, stops every one. jsdom has no Sanitizer API, so the native
// side is checked in Chromium (the bench, and the capture e2e's hostile page).
import { describe, expect, it } from 'vitest';
import { createSanitizer } from '../../../lib/html/sanitize';
import { createNativeSanitizer } from '../../../lib/html/sanitize-native';
import { dangers, HOSTILE_VECTORS } from '../../bench/sanitizer-vectors';

describe('hostile vectors', () => {
  const sanitize = createSanitizer(window);

  it.each(HOSTILE_VECTORS)('DOMPurify leaves nothing that can run: %s', (html) => {
    expect(dangers(sanitize(html, 'https://blog.test/post'), document)).toEqual([]);
  });

  it('the check itself finds what the vectors carry', () => {
    expect(dangers(HOSTILE_VECTORS.join(''), document).length).toBeGreaterThan(20);
  });

  it('falls back to DOMPurify where the browser has no Sanitizer API', () => {
    expect(createNativeSanitizer(window)).toBeUndefined();
  });
});
