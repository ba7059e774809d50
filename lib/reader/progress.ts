/** How far through a scrolled document the reader is, 0..1. */
export function scrollProgress(scrollTop: number, scrollHeight: number, clientHeight: number): number {
  const room = scrollHeight - clientHeight;
  if (room <= 1) return 1;
  return Math.min(1, Math.max(0, scrollTop / room));
}

/** Where to scroll to put the reader back at a saved progress. */
export function restoreTarget(progress: number, scrollHeight: number, clientHeight: number): number {
  return Math.max(0, Math.round(progress * (scrollHeight - clientHeight)));
}

/** "7 min left", or '' at the end or for an article with no reading time. */
export function timeLeft(readingMinutes: number, progress: number): string {
  if (readingMinutes <= 0 || progress >= 0.97) return '';
  const left = Math.max(1, Math.ceil(readingMinutes * (1 - progress)));
  return `${left} min left`;
}
