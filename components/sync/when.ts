/** "just now", "5 minutes ago", "at 14:05 on 3 Dec". */
export function syncedAgo(at: number, now = Date.now()): string {
  const s = Math.round((now - at) / 1000);
  if (s < 60) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} minute${m === 1 ? '' : 's'} ago`;
  const d = new Date(at);
  return `at ${d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })} on ${d.toLocaleDateString([], { day: 'numeric', month: 'short' })}`;
}
