/** "just now", "5 min ago", "in 25 min", "in 3 h", or a date beyond a day. */
export function formatWhen(at: number, now: number): string {
  const diff = at - now;
  const abs = Math.abs(diff);
  const minutes = Math.round(abs / 60_000);
  if (minutes < 1) return diff <= 0 ? 'just now' : 'in under a minute';
  const span = minutes < 60 ? `${minutes} min` : minutes < 24 * 60 ? `${Math.round(minutes / 60)} h` : undefined;
  if (!span) return new Date(at).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
  return diff < 0 ? `${span} ago` : `in ${span}`;
}
