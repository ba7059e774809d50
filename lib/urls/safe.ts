/**
 * Whether a URL from outside (a feed, a page, a file) may become a link or
 * be exported as one: only absolute http(s) addresses. `javascript:`,
 * `data:`, `file:` and anything unparsable are shown as text, never linked.
 */
export function isWebUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const u = new URL(url.trim());
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
