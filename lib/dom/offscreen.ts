import { browser, type Browser } from 'wxt/browser';
import { sendMessage } from '../messages';
import type { ExtractPage } from '../fulltext/extract';
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
  return (items) => withDocument(api, () => sendMessage(api.sendMessage, 'dom:prepare', { items }));
}

/** Creates the offscreen document now if there is none (so the first extraction does not wait for it). */
export function warmOffscreen(api: OffscreenApi): Promise<void> {
  return ensureDocument(api);
}

/** The clipper's extraction on fetched HTML, in the offscreen document (issue 15). */
export function createOffscreenExtract(api: OffscreenApi): ExtractPage {
  return (html, url) => withDocument(api, () => sendMessage(api.sendMessage, 'dom:extract', { html, url }));
}

// One creation at a time per API, shared by every caller (there may be only one document).
const creations = new WeakMap<OffscreenApi, Promise<void>>();
/** APIs whose document answered last time: asked again only after a send finds no listener. */
const answering = new WeakSet<OffscreenApi>();

async function ensureDocument(api: OffscreenApi): Promise<void> {
  if (answering.has(api)) return;
  // A document being created exists before its listener does: wait for the creation.
  const pending = creations.get(api);
  if (pending) return pending;
  if (await api.hasDocument()) return;
  let creating = creations.get(api);
  if (!creating) {
    creating = api.createDocument().finally(() => creations.delete(api));
    creations.set(api, creating);
  }
  await creating;
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

const NOT_LISTENING = /receiving end does not exist|could not establish connection/i;

/**
 * Sends once the document exists. A document that is still loading (or was
 * just closed by the browser) has no listener yet: wait a little and retry.
 */
async function withDocument<T>(api: OffscreenApi, send: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    await ensureDocument(api);
    try {
      const reply = await send();
      answering.add(api);
      return reply;
    } catch (err) {
      // Closed by the browser, or not listening yet: look for (or create) the document again.
      answering.delete(api);
      if (attempt >= 4 || !NOT_LISTENING.test(err instanceof Error ? err.message : String(err))) throw err;
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
    }
  }
}
