import { createSanitizer } from '../html/sanitize';
import { htmlToText } from '../html/text';

export interface HtmlInput {
  html: string;
  baseUrl?: string;
}

export interface PreparedHtml {
  /** Sanitized HTML. */
  html: string;
  /** Plain text of the sanitized HTML. */
  text: string;
}

/**
 * DOM work the background needs but a Chrome service worker cannot do:
 * sanitize and extract text. Batched so a feed of many items costs one
 * round trip to the offscreen document.
 */
export type PrepareHtml = (items: HtmlInput[]) => Promise<PreparedHtml[]>;

/** Runs the DOM work in this context (offscreen document, Firefox event page, tests). */
export function createLocalPrepare(win: Window): PrepareHtml {
  const sanitize = createSanitizer(win);
  return async (items) =>
    items.map(({ html, baseUrl }) => {
      const clean = sanitize(html, baseUrl);
      return { html: clean, text: htmlToText(clean, win.document) };
    });
}
