/**
 * Counts active content in HTML without a DOM: scripts, frames, plugins,
 * forms, event-handler attributes and script URLs. Restore reports how much
 * the sanitizer removed as the difference before and after.
 */
const ACTIVE_ELEMENTS = /^<(?:script|iframe|frame|object|embed|applet|form|base|meta|link|style|template)\b/i;
const HANDLER = /[\s"'/]on[a-z]+\s*=/gi;
const SCRIPT_URL = /(?:href|src|action|formaction|xlink:href)\s*=\s*["']?\s*(?:javascript|vbscript|data:text\/html)/gi;
const SRCDOC = /\ssrcdoc\s*=/gi;
const TAG = /<[a-z][^>]*>/gi;

export function countActiveContent(html: string): number {
  let n = 0;
  for (const [tag] of html.matchAll(TAG)) {
    if (ACTIVE_ELEMENTS.test(tag)) n += 1;
    n += (tag.match(HANDLER)?.length ?? 0) + (tag.match(SCRIPT_URL)?.length ?? 0) + (tag.match(SRCDOC)?.length ?? 0);
  }
  return n;
}
