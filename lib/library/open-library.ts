/** Opening the library page: toolbar context menu, keyboard shortcut, popup button. */
export const MENU_OPEN_LIBRARY = 'offprint-open-library';
export const COMMAND_OPEN_LIBRARY = 'open-library';
export const LIBRARY_PATH = '/library.html';

export interface LibraryOpenApi {
  getURL(path: string): string;
  createTab(url: string): Promise<unknown>;
}

export interface ActionMenuApi {
  create(item: { id: string; title: string; contexts: ['action'] }): unknown;
}

/** The toolbar button's own context menu gets "Open library"; call after the other menus are registered. */
export function registerLibraryMenu(menus: ActionMenuApi): void {
  menus.create({ id: MENU_OPEN_LIBRARY, title: 'Open Offprint library', contexts: ['action'] });
}

export function openLibrary(api: LibraryOpenApi): Promise<unknown> {
  return api.createTab(api.getURL(LIBRARY_PATH));
}

export function onLibraryMenuClick(api: LibraryOpenApi, info: { menuItemId: string | number }): Promise<unknown> | undefined {
  return info.menuItemId === MENU_OPEN_LIBRARY ? openLibrary(api) : undefined;
}

export function onLibraryCommand(api: LibraryOpenApi, command: string): Promise<unknown> | undefined {
  return command === COMMAND_OPEN_LIBRARY ? openLibrary(api) : undefined;
}
