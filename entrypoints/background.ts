import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { getDb } from '../lib/db/schema';
import { refreshBadge } from '../lib/library/badge';
import { storeArticles } from '../lib/library/store';
import { createFollowSyncer, isFollowsChange, syncFollows, watchFollows } from '../lib/io/sync';
import { createListener } from '../lib/messages';

// Wiring only: every handler is a lib/ function.
export default defineBackground(() => {
  const db = getDb();
  const badge = () => refreshBadge(db, browser.action);
  const followDeps = { now: () => Date.now(), newId: () => crypto.randomUUID() };
  const syncNow = () => syncFollows(db, browser.storage.sync, followDeps);
  const requestSync = createFollowSyncer(syncNow);

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
      'io:imported': async () => {
        // Image caching for imports (issue 5's cacheArticleImages) is wired here at merge.
        await badge();
      },
      'follows:sync': async () => {
        const { addedLocally, removedLocally } = await syncNow();
        return { addedLocally, removedLocally };
      },
    }),
  );

  browser.storage.onChanged.addListener((changes, areaName) => {
    if (isFollowsChange(changes, areaName)) void requestSync();
  });
  watchFollows(db, () => void requestSync());
  browser.runtime.onInstalled.addListener(() => void requestSync());
  browser.runtime.onStartup.addListener(() => void requestSync());

  browser.runtime.onInstalled.addListener(() => void badge());
  browser.runtime.onStartup.addListener(() => void badge());
});
