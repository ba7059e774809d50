import type { SaveResult } from './save';
import { showOutcome, showSaving, type FeedbackApi } from './feedback';

export const MENU_SAVE_PAGE = 'offprint-save-page';
export const MENU_SAVE_SELECTION = 'offprint-save-selection';
export const COMMAND_SAVE_PAGE = 'save-page';

type MenuContext = 'page' | 'selection' | 'frame' | 'link' | 'image';

export interface MenusApi {
  removeAll(): Promise<void>;
  create(item: { id: string; title: string; contexts: [MenuContext, ...MenuContext[]]; documentUrlPatterns?: string[] }): unknown;
}

// Only where a save can work: not on Offprint's own pages or the browser's.
const WEB_PAGES = ['http://*/*', 'https://*/*', 'file:///*'];

/** The context-menu entries; "Save selection" only shows over selected text. */
export async function registerMenus(menus: MenusApi): Promise<void> {
  await menus.removeAll();
  menus.create({ id: MENU_SAVE_PAGE, title: 'Save page to Offprint', contexts: ['page', 'selection', 'frame', 'image'], documentUrlPatterns: WEB_PAGES });
  menus.create({ id: MENU_SAVE_SELECTION, title: 'Save selection to Offprint', contexts: ['selection'], documentUrlPatterns: WEB_PAGES });
}

export interface TriggerDeps {
  capture(request: { tabId: number; selectionOnly?: boolean }): Promise<SaveResult>;
  feedback: FeedbackApi;
  /** The active tab, for a shortcut pressed without a tab in the event. */
  activeTabId(): Promise<number | undefined>;
}

/** Saves from a context-menu click or the shortcut, with badge feedback. */
export async function saveFromTrigger(deps: TriggerDeps, tabId: number | undefined, selectionOnly: boolean): Promise<void> {
  const id = tabId !== undefined && tabId >= 0 ? tabId : await deps.activeTabId();
  if (id === undefined) return;
  await showSaving(deps.feedback, id);
  try {
    const result = await deps.capture({ tabId: id, selectionOnly });
    await showOutcome(deps.feedback, id, result);
  } catch (err) {
    await showOutcome(deps.feedback, id, { status: 'failed', error: err instanceof Error ? err.message : String(err) });
  }
}

export function onMenuClick(deps: TriggerDeps, info: { menuItemId: string | number }, tab?: { id?: number }): Promise<void> | undefined {
  if (info.menuItemId === MENU_SAVE_PAGE) return saveFromTrigger(deps, tab?.id, false);
  if (info.menuItemId === MENU_SAVE_SELECTION) return saveFromTrigger(deps, tab?.id, true);
  return undefined;
}

export function onCommand(deps: TriggerDeps, command: string, tab?: { id?: number }): Promise<void> | undefined {
  return command === COMMAND_SAVE_PAGE ? saveFromTrigger(deps, tab?.id, false) : undefined;
}
