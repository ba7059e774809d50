import type { CapturedPage } from '../capture/capture';
import { scriptingCapture, type ScriptingApi } from '../capture/inject';
import { openBackgroundTab, waitForTabLoad } from '../feeds/runtime';

type BrowserApi = typeof import('wxt/browser').browser;

/**
 * The background-tab path of "Get full text", for pages that need the
 * reader's own session (Medium member-only posts): the page opens in a
 * background tab, is captured like a clip, and the tab closes.
 */
export function browserCaptureInTab(browser: BrowserApi) {
  const capture = scriptingCapture(browser.scripting as unknown as ScriptingApi);
  return async (url: string): Promise<CapturedPage | undefined> => {
    const tabId = await openBackgroundTab(url);
    try {
      await waitForTabLoad(tabId);
      return await capture(tabId, {});
    } finally {
      await browser.tabs.remove(tabId).catch(() => undefined);
    }
  };
}

export const FULLTEXT_ALARM = 'fulltext:resume';
