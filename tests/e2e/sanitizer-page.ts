// Bundled into a plain Chromium page by sanitizer.spec.ts: the shared
// sanitizer cases on both paths, the browser's Sanitizer API and DOMPurify.
import { createSanitizer } from '../../lib/html/sanitize';
import { createNativeSanitizerBody } from '../../lib/html/sanitize-native';
import { runSanitizerCases, SANITIZER_CASES } from '../fixtures/html/sanitizer-cases';

function runBothSanitizers() {
  return {
    cases: SANITIZER_CASES.length,
    nativePresent: Boolean(createNativeSanitizerBody(window)),
    // With the API present createSanitizer uses it: this is what capture runs.
    native: runSanitizerCases(createSanitizer(window), document),
    purify: runSanitizerCases(createSanitizer(window, { native: false }), document),
  };
}

Object.assign(globalThis, { runBothSanitizers });
