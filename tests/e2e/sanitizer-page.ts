// Bundled into a plain Chromium page by sanitizer.spec.ts: the shared
// sanitizer cases on both paths, the browser's Sanitizer API and DOMPurify.
import { createSanitizer } from '../../lib/html/sanitize';
import { BEYOND_BROWSER_DEFAULT, inPlaceAllowlist } from '../../lib/html/sanitize-dom';
import { createNativeSanitizerBody } from '../../lib/html/sanitize-native';
import { runSanitizerCases, SANITIZER_CASES } from '../fixtures/html/sanitizer-cases';

function runBothSanitizers() {
  return {
    cases: SANITIZER_CASES.length,
    nativePresent: Boolean(createNativeSanitizerBody(window)),
    // With the API present createSanitizer uses it: this is what capture runs.
    native: runSanitizerCases(createSanitizer(window), document),
    purify: runSanitizerCases(createSanitizer(window, { native: false }), document),
    wider: widerThanBrowserDefault(),
  };
}

/** What the in-place (DOM input) path keeps that the browser's own safe configuration does not, beyond what it adds on purpose. */
function widerThanBrowserDefault(): string[] {
  const Sanitizer = (window as unknown as { Sanitizer?: new () => { get(): { elements?: { name: string; namespace?: string; attributes?: { name: string }[] }[]; attributes?: { name: string }[] } } }).Sanitizer;
  if (!Sanitizer) return ['no Sanitizer API'];
  const config = new Sanitizer().get();
  const html = (config.elements ?? []).filter((e) => (e.namespace ?? 'http://www.w3.org/1999/xhtml') === 'http://www.w3.org/1999/xhtml');
  const safe = new Set([...html.map((e) => e.name), ...html.flatMap((e) => (e.attributes ?? []).map((a) => `${e.name}[${a.name}]`)), ...(config.attributes ?? []).map((a) => `*[${a.name}]`)]);
  const extra = new Set(BEYOND_BROWSER_DEFAULT);
  // An element added on purpose brings its listed attributes with it.
  return inPlaceAllowlist().filter((k) => !safe.has(k) && !extra.has(k) && !extra.has(k.replace(/\[.*$/, '')));
}

Object.assign(globalThis, { runBothSanitizers });
