import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { browserCaptureTab, browserTriggerDeps } from '../lib/capture/browser';
import { onCommand, onMenuClick, registerMenus } from '../lib/capture/triggers';
import { onHighlightMenuClick, registerHighlightMenu } from '../lib/highlights/menu';
import { undoClip } from '../lib/capture/undo';
import { getDb } from '../lib/db/schema';
import { chromeOffscreenApi, createOffscreenExtract, createOffscreenPrepare, warmOffscreen } from '../lib/dom/offscreen';
import { createLocalExtract } from '../lib/fulltext/extract';
import { browserCaptureInTab, FULLTEXT_ALARM } from '../lib/fulltext/browser';
import { clearFinished, enqueue, jobsIn, linkOnlyArticles } from '../lib/fulltext/jobs';
import { createFullTextRunner } from '../lib/fulltext/runner';
import { GIST_ORIGINS } from '../lib/gists/gists';
import { createGistService } from '../lib/gists/service';
import { createLocalPrepare } from '../lib/dom/prepare';
import { getFullText } from '../lib/feeds/fulltext';
import { ensurePollAlarm, openBackgroundTab, showNotification, waitForTabLoad } from '../lib/feeds/runtime';
import { createFeedService, POLL_ALARM } from '../lib/feeds/service';
import { purgeExpiredTrash } from '../lib/library/actions';
import { refreshBadge } from '../lib/library/badge';
import { storeArticles } from '../lib/library/store';
import { onLibraryCommand, onLibraryMenuClick, registerLibraryMenu } from '../lib/library/open-library';
import { createFollowSyncer, isFollowsChange, syncFollows, watchFollows } from '../lib/io/sync';
import { createListener, type Handlers } from '../lib/messages';
import { cacheImagesFor, diskFullNotice, PROGRESS_KEY, recoverOfflineRun, runOfflineJob } from '../lib/offline/images';
import { loadSettings } from '../lib/settings/settings';
import { ensureSearchIndex } from '../lib/search/indexer';
import { createSyncService, SYNC_ALARM, SYNC_ALARM_MINUTES, watchLocalChanges } from '../lib/sync/service';
import { deviceNameOf, type LocalArea } from '../lib/sync/settings';

const TRASH_ALARM = 'trash:purge';
const GISTS_ALARM = 'gists:retry';

// Wiring only: every handler is a lib/ function.
export default defineBackground(() => {
  const db = getDb();
  // Jobs this background instance runs; one left running by an earlier instance was interrupted.
  const workerId = crypto.randomUUID();
  void recoverOfflineRun(db, workerId, Date.now()).catch((err: unknown) => console.warn('Offprint: job recovery failed', err));
  const badge = () => refreshBadge(db, browser.action);
  // Builds the search index after an upgrade, or repairs it if stale; cheap when current.
  void ensureSearchIndex(db, { keepAlive: () => browser.runtime.getPlatformInfo() }).catch((err: unknown) => console.error('Search index rebuild failed', err));
  const imageDeps = async () => {
    const s = await loadSettings();
    // Image sync (issue 16): the server's copy when a site cannot be reached.
    return { fetch: (...a: Parameters<typeof fetch>) => fetch(...a), enabled: s.downloadImages, capBytes: s.imageCapBytes, fromServer: await librarySync.serverImages() };
  };
  // Chrome's service worker has no DOM: DOM work goes to the offscreen document.
  const offscreen = import.meta.env.FIREFOX ? undefined : chromeOffscreenApi();
  const prepare = offscreen ? createOffscreenPrepare(offscreen) : createLocalPrepare(window);
  // Embedded gists (issue 15): filled once the reader allowed the gist hosts.
  const gists = createGistService({
    db,
    prepare,
    fetch: (...a: Parameters<typeof fetch>) => fetch(...a),
    now: () => Date.now(),
    allowed: () => browser.permissions.contains({ origins: GIST_ORIGINS }),
    scheduleRetry: (when) => void browser.alarms.create(GISTS_ALARM, { when: Math.max(when, Date.now() + 60_000) }),
  });
  const cacheImages = async (ids: string[]) => {
    // Code first: an article is offline-ready only with its embedded code in.
    await gists.fillArticles(ids).catch((err: unknown) => console.warn('Offprint: gist fetching failed', err));
    const results = await cacheImagesFor(db, ids, await imageDeps());
    if (results.some((r) => r.diskFull)) await diskFullNotice(db);
    // New images go up at a run soon when image sync is on (a no-op otherwise).
    if (results.some((r) => r.bytes > 0)) await librarySync.imagesStored();
  };
  // Whatever stored articles (feeds, clips, imports): the badge now, images for
  // offline reading next, without making the follow/save wait for them.
  const afterStore = async (ids: string[]) => {
    await badge();
    void cacheImages(ids).catch((err: unknown) => console.warn('Offprint: image caching failed', err));
  };
  let offlineRun: ReturnType<typeof runOfflineJob> | undefined;
  const captureTab = browserCaptureTab(browser, db, (id) => afterStore([id]));
  const triggers = browserTriggerDeps(browser, captureTab);
  // Followed feeds mirrored in storage.sync for the user's other browsers (issue 7).
  const syncNow = () => syncFollows(db, browser.storage.sync, { now: () => Date.now(), newId: () => crypto.randomUUID() });
  const requestSync = createFollowSyncer(syncNow);

  // Library sync through the user's WebDAV server (issue 16).
  const librarySync = createSyncService({
    db,
    area: browser.storage.local as unknown as LocalArea,
    fetch: (url, init) => fetch(url, init),
    now: () => Date.now(),
    deviceName: deviceNameOf(navigator.userAgent, import.meta.env.FIREFOX),
    afterApply: afterStore,
  });
  watchLocalChanges(db, () => librarySync.requestSoon());

  // "Fetch full text" for link-only articles (issue 15): a persisted queue, resumed on every worker start.
  const fulltext = createFullTextRunner({
    db,
    fetch: (...a: Parameters<typeof fetch>) => fetch(...a),
    now: () => Date.now(),
    extract: offscreen ? createOffscreenExtract(offscreen) : createLocalExtract(window),
    warmUp: offscreen ? () => warmOffscreen(offscreen) : undefined,
    captureInTab: browserCaptureInTab(browser),
    // An upgrade leaves box and read state as they were, so the badge stays: images and gists only.
    afterStore: async (ids) => void cacheImages(ids).catch((err: unknown) => console.warn('Offprint: image caching failed', err)),
    keepAlive: () => browser.runtime.getPlatformInfo(),
  });
  void fulltext.start().catch((err: unknown) => console.error('Offprint: full-text queue failed to resume', err));
  const feeds = createFeedService({
    db,
    fetch: (url, init) => fetch(url, init),
    now: () => Date.now(),
    newId: () => crypto.randomUUID(),
    prepare,
    settings: loadSettings,
    afterStore,
    notify: showNotification,
  });

  const handlers: Handlers = {
    ping: () => 'pong' as const,
    'badge:refresh': async () => {
      await badge();
    },
    'library:add': async ({ articles }) => {
      const outcomes = await storeArticles(db, articles);
      const ids = outcomes.map((o) => o.id);
      // Imports wait for their images, so "imported" means "readable offline".
      await cacheImages(ids);
      await badge();
      return { ids: outcomes.map((o) => o.id) };
    },
    'offline:makeUnreadReady': async () => {
      // Embedded code still missing is fetched too (when the gist hosts are allowed).
      await gists.fillArticles().catch(() => undefined);
      offlineRun ??= runOfflineJob(db, await imageDeps(), { owner: workerId, now: () => Date.now(), newId: () => crypto.randomUUID() }, (value) => db.kv.put({ key: PROGRESS_KEY, value })).finally(() => {
        offlineRun = undefined;
        void librarySync.imagesStored();
      });
      return offlineRun;
    },
    'capture:tab': (request) => captureTab(request),
    'capture:undo': async ({ id }) => {
      await undoClip(db, id);
      await badge();
    },
    'io:imported': async ({ ids }) => {
      // Like library:add: an import is done when its articles are readable offline.
      await cacheImages(ids);
      await badge();
    },
    'follows:sync': async () => {
      const { addedLocally, removedLocally } = await syncNow();
      return { addedLocally, removedLocally };
    },
    'sync:run': () => librarySync.run(),
    'sync:test': ({ settings }) => librarySync.test(settings),
    'sync:create-folder': ({ settings }) => librarySync.createFolder(settings),
    'feeds:follow': ({ input }) => feeds.follow(input),
    'feeds:refresh': ({ feedIds }) => feeds.refresh(feedIds),
    'feeds:unfollow': ({ feedId, deleteArticles }) => feeds.unfollow(feedId, deleteArticles),
    'feeds:show-replies': ({ feedId }) => feeds.showReplies(feedId),
    'gists:fetch': ({ articleId }) => gists.fetchNow(articleId, cacheImages),
    'fulltext:enqueue': async ({ ids }) => {
      const queued = await enqueue(db, await linkOnlyArticles(db, ids), Date.now());
      // The alarm wakes a stopped worker to carry on; it clears itself once the queue is empty.
      await browser.alarms.create(FULLTEXT_ALARM, { periodInMinutes: 1 });
      void fulltext.start();
      return { queued };
    },
    'fulltext:pause': () => fulltext.pause(),
    'fulltext:resume': async () => {
      void fulltext.resume();
    },
    'fulltext:clear': async () => {
      await clearFinished(db, true);
      await fulltext.publish();
    },
    'feeds:full-text': ({ articleId }) =>
      getFullText(articleId, {
        db,
        openTab: openBackgroundTab,
        waitForLoad: (tabId) => waitForTabLoad(tabId),
        closeTab: (tabId) => browser.tabs.remove(tabId),
        captureTab: (tabId) => captureTab({ tabId }),
      }),
  };
  browser.runtime.onMessage.addListener(createListener(handlers));

  // Issue 14: the library page opens from the toolbar menu and its shortcut.
  const libraryApi = { getURL: (path: string) => browser.runtime.getURL(path as '/library.html'), createTab: (url: string) => browser.tabs.create({ url }) };
  const menuListener = (info: { menuItemId: string | number; pageUrl?: string }, tab?: { id?: number }) =>
    onLibraryMenuClick(libraryApi, info) ??
    onMenuClick(triggers, info, tab) ??
    onHighlightMenuClick((m) => browser.runtime.sendMessage(m), info);
  const commandListener = (command: string, tab?: { id?: number }) => onLibraryCommand(libraryApi, command) ?? onCommand(triggers, command, tab);
  browser.contextMenus.onClicked.addListener((info, tab) => void menuListener(info, tab));
  browser.commands.onCommand.addListener((command, tab) => void commandListener(command, tab));
  // The same listeners, reachable from the service worker console and from
  // end-to-end tests, which cannot click a native menu or press a browser shortcut.
  Object.assign(globalThis, { offprintListeners: { contextMenu: menuListener, command: commandListener } });

  const purgeTrash = () => purgeExpiredTrash(db, Date.now()).then(badge);
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === POLL_ALARM) void feeds.pollDue();
    if (alarm.name === TRASH_ALARM) void purgeTrash();
    if (alarm.name === SYNC_ALARM) void librarySync.run();
    if (alarm.name === GISTS_ALARM) void gists.fillArticles().then(cacheImages);
    if (alarm.name === FULLTEXT_ALARM) {
      void fulltext.start().then(async () => {
        if ((await jobsIn(db, 'queued').count()) + (await jobsIn(db, 'running').count()) === 0) await browser.alarms.clear(FULLTEXT_ALARM);
      });
    }
  });
  // Re-creating an alarm resets it, and the worker restarts often: create each once.
  const ensureAlarms = async () => {
    await ensurePollAlarm();
    if (!(await browser.alarms.get(TRASH_ALARM))) await browser.alarms.create(TRASH_ALARM, { periodInMinutes: 60 });
    if (!(await browser.alarms.get(SYNC_ALARM))) await browser.alarms.create(SYNC_ALARM, { periodInMinutes: SYNC_ALARM_MINUTES });
  };
  browser.storage.onChanged.addListener((changes, areaName) => {
    if (isFollowsChange(changes, areaName)) void requestSync();
  });
  watchFollows(db, () => void requestSync());
  browser.runtime.onInstalled.addListener(() => void requestSync());
  browser.runtime.onStartup.addListener(() => void requestSync());
  browser.runtime.onInstalled.addListener(() => {
    void badge().then(ensureAlarms);
    void registerMenus(browser.contextMenus).then(() => {
      registerHighlightMenu(browser.contextMenus, browser.runtime.getURL('/'));
      registerLibraryMenu(browser.contextMenus);
    });
  });
  browser.runtime.onStartup.addListener(() => void Promise.all([badge(), purgeTrash()]).then(ensureAlarms));
});
