import { browser, type Browser } from 'wxt/browser';
import { sendMessage } from '../messages';
import type { PrepareHtml } from './prepare';

export const OFFSCREEN_PATH = '/offscreen.html';

/** The part of chrome.offscreen and chrome.runtime this module uses. */
export interface OffscreenApi {
  hasDocument(): Promise<boolean>;
  createDocument(): Promise<void>;
  sendMessage(message: unknown): Promise<unknown>;
}

/**
 * DOM work through Chrome's offscreen document, created on first use. The
 * creation promise is shared so concurrent callers never create two.
 */
export function createOffscreenPrepare(api: OffscreenApi): PrepareHtml {
  let creating: Promise<void> | undefined;
  async function ensure(): Promise<void> {
    if (await api.hasDocument()) return;
    creating ??= api.createDocument().finally(() => {
      creating = undefined;
    });
    await creating;
  }
  return async (items) => {
    await ensure();
    return sendMessage(api.sendMessage, 'dom:prepare', { items });
  };
}

/** The real Chrome API, for the background. */
export function chromeOffscreenApi(): OffscreenApi {
  const url = browser.runtime.getURL(OFFSCREEN_PATH);
  return {
    async hasDocument() {
      const contexts = await browser.runtime.getContexts({
        contextTypes: ['OFFSCREEN_DOCUMENT' as Browser.runtime.ContextType],
        documentUrls: [url],
      });
      return contexts.length > 0;
    },
    async createDocument() {
      await browser.offscreen.createDocument({
        url: OFFSCREEN_PATH,
        reasons: ['DOM_PARSER' as Browser.offscreen.Reason],
        justification: 'Sanitize article HTML and extract its text, which needs a DOM.',
      });
    },
    sendMessage: (message) => browser.runtime.sendMessage(message),
  };
}
