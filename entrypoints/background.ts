import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { getDb } from '../lib/db/schema';
import { refreshBadge } from '../lib/library/badge';
import { storeArticles } from '../lib/library/store';
import { createListener } from '../lib/messages';
import { ensureSearchIndex } from '../lib/search/indexer';

// Wiring only: every handler is a lib/ function.
export default defineBackground(() => {
  const db = getDb();
  const badge = () => refreshBadge(db, browser.action);
  // Builds the search index after an upgrade, or repairs it if stale; cheap when current.
  void ensureSearchIndex(db).catch((err: unknown) => console.error('Search index rebuild failed', err));

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
