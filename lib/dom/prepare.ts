import { createSanitizer } from '../html/sanitize';
import { markGistEmbeds } from '../gists/embeds';
import { nodeToText, parseInert } from '../html/text';

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

const MAY_EMBED = /<iframe|gist\.github\.com/i;

/** Runs the DOM work in this context (offscreen document, Firefox event page, tests). */
export function createLocalPrepare(win: Window): PrepareHtml {
  const sanitize = createSanitizer(win);
  return async (items) =>
    items.map(({ html, baseUrl }) => {
      // Feeds and imports embed gists too (Medium: an empty iframe linking to /media/<hash>/href).
      if (MAY_EMBED.test(html)) {
        const root = parseInert(html, win.document);
        if (markGistEmbeds(root) > 0) {
          const clean = sanitize.clean(root, baseUrl);
          return { html: clean.root.innerHTML, text: clean.text };
        }
      }
      // The text comes from the sanitized element itself: one parse per item, not two.
      const clean = sanitize.body(html, baseUrl);
      return { html: clean.innerHTML, text: nodeToText(clean) };
    });
}
