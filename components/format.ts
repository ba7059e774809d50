const formatters = new Map<string, Intl.DateTimeFormat>();

/** "Mar 4, 2026" style dates, in the reader's locale. One formatter per locale: list rows call this a lot. */
export function formatDate(ms: number | undefined, locale?: string): string {
  if (ms === undefined) return '';
  const key = locale ?? '';
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric' });
    formatters.set(key, f);
  }
  return f.format(ms);
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
