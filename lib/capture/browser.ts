import type { Browser } from 'wxt/browser';
import type { OffprintDB } from '../db/schema';
import { mergeArticles } from '../library/store';
import type { FeedbackApi } from './feedback';
import { scriptingCapture, type ScriptingApi } from './inject';
import { captureTab, type CaptureTabRequest, type SaveResult } from './save';
import type { TriggerDeps } from './triggers';

type BrowserApi = typeof import('wxt/browser').browser;

/**
 * The background's capture function on the real browser APIs. `afterStore`
 * runs once an article is stored (image caching, badge refresh).
 */
export function browserCaptureTab(browser: BrowserApi, db: OffprintDB, afterStore: (id: string) => Promise<void>) {
  const capture = scriptingCapture(browser.scripting as unknown as ScriptingApi);
  return async (request: CaptureTabRequest): Promise<SaveResult> => {
    const result = await captureTab(
      {
        tabUrl: async (tabId) => (await browser.tabs.get(tabId)).url,
        capture,
        // The merge details tell the popup when a poorer capture left the saved text as it was.
        store: (articles) => mergeArticles(db, articles, undefined, 'clip'),
        now: () => Date.now(),
      },
      request,
    );
    // Storing succeeded; what follows must not turn the save into a failure.
    await afterStore(result.id).catch(() => undefined);
    return result;
  };
}

export function browserFeedback(browser: BrowserApi): FeedbackApi {
  return {
    setBadgeText: (d) => browser.action.setBadgeText(d as Browser.action.BadgeTextDetails),
    setBadgeBackgroundColor: (d) => browser.action.setBadgeBackgroundColor(d),
    notify: async (title, message) => {
      await browser.notifications.create({ type: 'basic', iconUrl: browser.runtime.getURL('/icon/128.png'), title, message });
    },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

export function browserTriggerDeps(browser: BrowserApi, capture: TriggerDeps['capture']): TriggerDeps {
  return {
    capture,
    feedback: browserFeedback(browser),
    activeTabId: async () => (await browser.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.id,
  };
}
