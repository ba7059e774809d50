import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { getDb } from '../lib/db/schema';
import { refreshBadge } from '../lib/library/badge';
import { storeArticles } from '../lib/library/store';
import { createListener } from '../lib/messages';

// Wiring only: every handler is a lib/ function.
export default defineBackground(() => {
  const db = getDb();
  const badge = () => refreshBadge(db, browser.action);

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
    }),
  );

  browser.runtime.onInstalled.addListener(() => void badge());
  browser.runtime.onStartup.addListener(() => void badge());
});
