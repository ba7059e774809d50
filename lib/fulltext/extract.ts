import { captureDocument, type CapturedPage } from '../capture/capture';
import { createSanitizer } from '../html/sanitize';

export type ExtractPage = (html: string, url: string) => Promise<CapturedPage>;

/**
 * The clipper's extraction on fetched HTML, in a context with a DOM (the
 * offscreen document in Chrome, the event page in Firefox, jsdom in tests).
 * DOMParser documents are inert: nothing in the page runs or loads.
 */
export function createLocalExtract(win: Window): ExtractPage {
  const sanitize = createSanitizer(win);
  return async (html, url) => {
    const doc = new (win as unknown as typeof globalThis).DOMParser().parseFromString(html, 'text/html');
    // Relative links and images resolve against the page, not this document.
    if (!doc.querySelector('base[href]')) {
      const base = doc.createElement('base');
      base.setAttribute('href', url);
      doc.head.prepend(base);
    }
    return captureDocument(doc, sanitize, { pageUrl: url, disposable: true });
  };
}
