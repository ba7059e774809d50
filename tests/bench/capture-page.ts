// Bundled into the page by tests/bench/capture.ts: times the capture
// pipeline and a bare Readability parse inside a real browser tab.
import { Readability } from '@mozilla/readability';
import { captureDocument, type CapturedPage } from '../../lib/capture/capture';
import { createSanitizer } from '../../lib/html/sanitize';

let last: CapturedPage | undefined;

Object.assign(globalThis, {
  offprintBench: {
    /** The whole capture, as one injection runs it (sanitizer set-up included). */
    capture(): { ms: number } {
      const t = performance.now();
      last = captureDocument(document, createSanitizer(window));
      return { ms: performance.now() - t };
    },
    /** Words of the last capture: counted in a call of its own, outside the capture's CPU time. */
    words(): number {
      return last?.text.split(/\s+/).length ?? 0;
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
