/**
 * Runs a change that reflows the article (text size, line width, font) and
 * then scrolls so the paragraph that was at the top of the view is there
 * again, at the same fraction of its height: the reader keeps their place.
 */
export async function keepPlace(scroller: HTMLElement | null, body: HTMLElement | null, change: () => Promise<void> | void): Promise<void> {
  const target = scroller ?? document.scrollingElement ?? document.documentElement;
  const viewTop = scroller ? scroller.getBoundingClientRect().top : 0;
  const anchor = body ? [...body.children].find((el) => el.getBoundingClientRect().bottom > viewTop + 1) : undefined;
  const before = anchor?.getBoundingClientRect();
  const fraction = before && before.height > 0 ? Math.min(1, Math.max(0, (viewTop - before.top) / before.height)) : 0;
  await change();
  if (!anchor || !before || !anchor.isConnected || target.scrollTop === 0) return;
  const after = anchor.getBoundingClientRect();
  target.scrollTop += after.top + fraction * after.height - viewTop;
}
