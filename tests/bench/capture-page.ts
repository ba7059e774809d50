// Bundled into the page by tests/bench/capture.ts: times the capture
// pipeline and a bare Readability parse inside a real browser tab.
import { Readability } from '@mozilla/readability';
import { captureDocument } from '../../lib/capture/capture';
import { createSanitizer } from '../../lib/html/sanitize';

Object.assign(globalThis, {
  offprintBench: {
    /** The whole capture, as one injection runs it (sanitizer set-up included). */
    capture(): { ms: number; words: number } {
      const t = performance.now();
      const page = captureDocument(document, createSanitizer(window));
      return { ms: performance.now() - t, words: page.text.split(/\s+/).length };
    },
    /**
     * A plain Readability clipper: Readability consumes the document it is
     * given, so it has to clone the live page first, as the capture does.
     */
    bare(): number {
      const t = performance.now();
      new Readability(document.cloneNode(true) as Document).parse();
      return performance.now() - t;
    },
  },
});
