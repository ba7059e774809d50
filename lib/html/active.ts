/**
 * Counts active content in HTML without a DOM: scripts, frames, plugins,
 * forms, event-handler attributes and javascript: URLs. Restore reports how
 * much the sanitizer removed as the difference before and after.
 */
const ACTIVE = [
  /<(?:script|iframe|frame|object|embed|applet|form|base|meta|link|style|template)\b/gi,
  /\s on[a-z]+\s*=/gi,
  /(?:href|src|action|formaction|xlink:href)\s*=\s*["']?\s*(?:javascript|vbscript|data:text\/html)/gi,
  /\ssrcdoc\s*=/gi,
];

export function countActiveContent(html: string): number {
  // A space before attributes so the handler pattern also matches right after the tag name.
  const spaced = html.replace(/<([a-z][\w-]*)\s/gi, '<$1  ');
  return ACTIVE.reduce((n, re) => n + (spaced.match(re)?.length ?? 0), 0);
}
