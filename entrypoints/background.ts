import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { browserCaptureTab, browserTriggerDeps } from '../lib/capture/browser';
import { onCommand, onMenuClick, registerMenus } from '../lib/capture/triggers';
import { undoClip } from '../lib/capture/undo';
import { getDb } from '../lib/db/schema';
import { refreshBadge } from '../lib/library/badge';
import { storeArticles } from '../lib/library/store';
import { createListener } from '../lib/messages';

// Wiring only: every handler is a lib/ function.
export default defineBackground(() => {
  const db = getDb();
  const badge = () => refreshBadge(db, browser.action);
  // Integrator: cacheArticleImages(db, id, { fetch }) (issue 5) goes before the badge.
  const captureTab = browserCaptureTab(browser, db, () => badge().then(() => undefined));
  const triggers = browserTriggerDeps(browser, captureTab);

  browser.runtime.onMessage.addListener(
    createListener({
      ping: () => 'pong' as const,
      'badge:refresh': async () => {
        await badge();
      },
      'library:add': async ({ articles }) => {
        const outcomes = await storeArticles(db, articles);
        await badge();
        return { ids: outcomes.map((o) => o.id) };
      },
      'capture:tab': (request) => captureTab(request),
      'capture:undo': async ({ id }) => {
        await undoClip(db, id);
        await badge();
      },
    }),
  );

  const menuListener = (info: { menuItemId: string | number }, tab?: { id?: number }) => onMenuClick(triggers, info, tab);
  const commandListener = (command: string, tab?: { id?: number }) => onCommand(triggers, command, tab);
  browser.contextMenus.onClicked.addListener((info, tab) => void menuListener(info, tab));
  browser.commands.onCommand.addListener((command, tab) => void commandListener(command, tab));
  // The same listeners, reachable from the service worker console and from
  // end-to-end tests, which cannot click a native menu or press a browser shortcut.
  Object.assign(globalThis, { offprintListeners: { contextMenu: menuListener, command: commandListener } });

  browser.runtime.onInstalled.addListener(() => {
    void badge();
    void registerMenus(browser.contextMenus);
  });
  browser.runtime.onStartup.addListener(() => void badge());
});
