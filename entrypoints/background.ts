import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { getDb } from '../lib/db/schema';
import { chromeOffscreenApi, createOffscreenPrepare } from '../lib/dom/offscreen';
import { createLocalPrepare } from '../lib/dom/prepare';
import { getFullText, type SaveResult } from '../lib/feeds/fulltext';
import { ensurePollAlarm, openBackgroundTab, showNotification, waitForTabLoad } from '../lib/feeds/runtime';
import { createFeedService, POLL_ALARM } from '../lib/feeds/service';
import { refreshBadge } from '../lib/library/badge';
import { storeArticles } from '../lib/library/store';
import { createListener, type Handlers } from '../lib/messages';
import { loadSettings } from '../lib/settings/settings';

// Wiring only: every handler is a lib/ function.
export default defineBackground(() => {
  const db = getDb();
  const badge = () => refreshBadge(db, browser.action);
  // Chrome's service worker has no DOM: DOM work goes to the offscreen document.
  const prepare = import.meta.env.FIREFOX ? createLocalPrepare(window) : createOffscreenPrepare(chromeOffscreenApi());
  const feeds = createFeedService({
    db,
    fetch: (url, init) => fetch(url, init),
    now: () => Date.now(),
    newId: () => crypto.randomUUID(),
    prepare,
    settings: loadSettings,
    // Integrator: cache images here too (issue 5's cacheArticleImages).
    afterStore: async () => {
      await badge();
    },
    notify: showNotification,
  });

  const handlers: Handlers = {
    ping: () => 'pong' as const,
    'badge:refresh': async () => {
      await badge();
    },
    'library:add': async ({ articles }) => {
      const outcomes = await storeArticles(db, articles);
      await badge();
      return { ids: outcomes.map((o) => o.id) };
    },
    'feeds:follow': ({ input }) => feeds.follow(input),
    'feeds:refresh': ({ feedIds }) => feeds.refresh(feedIds),
    'feeds:unfollow': ({ feedId, deleteArticles }) => feeds.unfollow(feedId, deleteArticles),
    'feeds:full-text': ({ articleId }, sender) =>
      getFullText(articleId, {
        db,
        openTab: openBackgroundTab,
        waitForLoad: (tabId) => waitForTabLoad(tabId),
        closeTab: (tabId) => browser.tabs.remove(tabId),
        // Issue 4's capture, through the same handler the popup uses.
        captureTab: async (tabId) => {
          const capture = (handlers as Record<string, ((p: unknown, s: unknown) => Promise<unknown>) | undefined>)['capture:tab'];
          if (!capture) throw new Error('Capturing pages is not available in this version of Offprint.');
          return (await capture({ tabId }, sender)) as SaveResult;
        },
      }),
  };
  browser.runtime.onMessage.addListener(createListener(handlers));

  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === POLL_ALARM) void feeds.pollDue();
  });
  browser.runtime.onInstalled.addListener(() => void badge().then(ensurePollAlarm));
  browser.runtime.onStartup.addListener(() => void badge().then(ensurePollAlarm));
});
