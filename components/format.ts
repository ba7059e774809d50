/** "Mar 4, 2026" style dates, in the reader's locale. */
export function formatDate(ms: number | undefined, locale?: string): string {
  if (ms === undefined) return '';
  return new Date(ms).toLocaleDateString(locale, { year: 'numeric', month: 'short', day: 'numeric' });
}

export function formatMinutes(minutes: number): string {
  return minutes <= 0 ? '' : `${minutes} min read`;
}

export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}
