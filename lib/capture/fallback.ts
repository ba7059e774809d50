import { nodeToText } from '../html/text';

// When Readability finds no article, the page's main text is still worth
// keeping: the main landmark (or body) without navigation and furniture.

const FURNITURE = 'nav, header, footer, aside, form, script, style, noscript, template, iframe, svg, canvas, button, [role="navigation"], [role="banner"], [role="contentinfo"], [role="complementary"], [role="search"], [role="dialog"], [aria-hidden="true"], [hidden]';
/** Past this much HTML the fallback keeps text only: the reader stays fast. */
const MAX_HTML = 2_000_000;
/** Text kept from a huge page. */
const MAX_TEXT = 1_000_000;

export const FALLBACK_WARNING = 'Offprint could not find an article on this page, so it saved the page’s main text. Some parts may be missing or out of place.';
export const HUGE_PAGE_WARNING = 'This page is very large, so Offprint saved its main text without looking for the article in it.';

/** The main content element of a page, before cleanup. */
export function mainElement(doc: Document): Element {
  return doc.querySelector('main, [role="main"]') ?? (doc.querySelectorAll('article').length === 1 ? doc.querySelector('article') : null) ?? doc.body ?? doc.documentElement;
}

/** HTML of the page's main text. Works on a clone: removes furniture in place. */
export function mainTextHtml(doc: Document): string {
  const main = mainElement(doc);
  for (const el of [...main.querySelectorAll(FURNITURE)]) el.remove();
  const html = main.innerHTML;
  if (html.length <= MAX_HTML) return html;
  return textToHtml(nodeToText(main));
}

/**
 * A huge page's main text, read from the live page without cloning it: one
 * linear walk, so capture stays quick however big the page is.
 */
export function hugePageHtml(doc: Document): string {
  return textToHtml(nodeToText(mainElement(doc)));
}

/** Paragraphs of plain text as HTML; single line breaks (code, logs) are kept. */
function textToHtml(text: string): string {
  return text
    .slice(0, MAX_TEXT)
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
