// The context menu's "Highlight selection" on Offprint's own pages (issue 13).
// The background cannot see a page's selection, so it broadcasts the click;
// the reader showing that page highlights its current selection.

export const MENU_HIGHLIGHT = 'offprint-highlight-selection';
export const HIGHLIGHT_MENU_MESSAGE = 'highlights:fromMenu';

export interface HighlightMenusApi {
  create(item: { id: string; title: string; contexts: ['selection']; documentUrlPatterns: string[] }): unknown;
}

/** Adds the entry (after registerMenus, which clears every entry first); only over a selection in Offprint's pages. */
export function registerHighlightMenu(menus: HighlightMenusApi, extensionOrigin: string): void {
  menus.create({ id: MENU_HIGHLIGHT, title: 'Highlight selection', contexts: ['selection'], documentUrlPatterns: [`${extensionOrigin.replace(/\/?$/, '/')}*`] });
}

/** Handles a menu click if it is ours: tells the page it came from to highlight its selection. */
export function onHighlightMenuClick(
  send: (message: unknown) => Promise<unknown>,
  info: { menuItemId: string | number; pageUrl?: string },
): Promise<void> | undefined {
  if (info.menuItemId !== MENU_HIGHLIGHT) return undefined;
  // No page answers (they all return undefined): a "no receiver" rejection is expected.
  return send({ type: HIGHLIGHT_MENU_MESSAGE, payload: { pageUrl: info.pageUrl } }).then(
    () => undefined,
    () => undefined,
  );
}
