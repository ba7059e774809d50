/** The slice of a tabs.Tab used to pick the page to save. */
export interface TabInfo {
  id?: number;
  url?: string;
  windowId?: number;
  lastAccessed?: number;
}

export interface TabsApi {
  getCurrent(): Promise<TabInfo | undefined>;
  query(query: { active?: boolean; currentWindow?: boolean }): Promise<TabInfo[]>;
}

const EXTENSION_PAGE = /^(?:chrome|moz)-extension:/;

/**
 * The tab "Save this page" means. In the toolbar popup that is the active tab.
 * When the popup page is open in a tab of its own (pinned, or opened from the
 * reader), it is the page the user was on last, never the popup itself.
 */
export async function targetTabId(tabs: TabsApi): Promise<number | undefined> {
  const self = await tabs.getCurrent();
  if (!self) return (await tabs.query({ active: true, currentWindow: true }))[0]?.id;
  const candidates = (await tabs.query({})).filter((t) => t.id !== undefined && t.id !== self.id && !EXTENSION_PAGE.test(t.url ?? ''));
  candidates.sort((a, b) => Number(b.windowId === self.windowId) - Number(a.windowId === self.windowId) || (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0));
  return candidates[0]?.id;
}
