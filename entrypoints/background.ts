import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { getDb } from '../lib/db/schema';
import { refreshBadge } from '../lib/library/badge';
import { storeArticles } from '../lib/library/store';
import { purgeExpiredTrash } from '../lib/library/actions';
import { cacheImagesFor, diskFullNotice, makeUnreadOfflineReady, PROGRESS_KEY } from '../lib/offline/images';
import { loadSettings } from '../lib/settings/settings';
import { createListener } from '../lib/messages';
import { ensureSearchIndex, removeFromIndex } from '../lib/search/indexer';

// Wiring only: every handler is a lib/ function.
export default defineBackground(() => {
  const db = getDb();
  const badge = () => refreshBadge(db, browser.action);
  // Builds the search index after an upgrade, or repairs it if stale; cheap when current.
  void ensureSearchIndex(db).catch((err: unknown) => console.error('Search index rebuild failed', err));
  const imageDeps = async () => {
    const s = await loadSettings();
    return { fetch: (...a: Parameters<typeof fetch>) => fetch(...a), enabled: s.downloadImages, capBytes: s.imageCapBytes };
  };
  const cacheImages = async (ids: string[]) => {
    const results = await cacheImagesFor(db, ids, await imageDeps());
    if (results.some((r) => r.diskFull)) await diskFullNotice(db);
  };
  let offlineRun: ReturnType<typeof makeUnreadOfflineReady> | undefined;

  browser.runtime.onMessage.addListener(
    createListener({
      ping: () => 'pong' as const,
      'badge:refresh': async () => {
        await badge();
      },
      'library:add': async ({ articles }) => {
        const outcomes = await storeArticles(db, articles);
        await cacheImages(outcomes.map((o) => o.id));
        await badge();
        return { ids: outcomes.map((o) => o.id) };
      },
      'offline:makeUnreadReady': async () => {
        offlineRun ??= makeUnreadOfflineReady(db, await imageDeps(), (value) => db.kv.put({ key: PROGRESS_KEY, value })).finally(() => {
          offlineRun = undefined;
        });
        return offlineRun;
      },
    }),
  );

  // Deleted articles wait in Trash (undo) and are purged when their time is up.
  // (Re-creating an alarm resets it, and the worker restarts often: create it once.)
  void browser.alarms.get('trash:purge').then(async (existing) => {
    if (!existing) await browser.alarms.create('trash:purge', { periodInMinutes: 60 });
  });
  const purgeTrash = () => purgeExpiredTrash(db, Date.now(), { removeFromIndex }).then(badge);
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === 'trash:purge') void purgeTrash();
  });
  browser.runtime.onStartup.addListener(() => void purgeTrash());

  browser.runtime.onInstalled.addListener(() => void badge());
  browser.runtime.onStartup.addListener(() => void badge());
});
