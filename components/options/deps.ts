import { browser } from 'wxt/browser';
import { getDb } from '../../lib/db/schema';
import { createLocalPrepare } from '../../lib/dom/prepare';
import { parseFeed } from '../../lib/feeds/parse';
import { createSanitizer } from '../../lib/html/sanitize';
import type { ImportDeps } from '../../lib/io/import';
import { sendMessage } from '../../lib/messages';
import { normalizeSettings, saveSettings } from '../../lib/settings/settings';

let sanitizer: ReturnType<typeof createSanitizer> | undefined;

/** The options page does DOM work itself: it has a window. */
export function pageSanitizer() {
  sanitizer ??= createSanitizer(window);
  return sanitizer;
}

export function optionsImportDeps(): ImportDeps {
  return {
    db: getDb(),
    now: () => Date.now(),
    newId: () => crypto.randomUUID(),
    prepare: createLocalPrepare(window),
    parseHtml: (html) => new DOMParser().parseFromString(html, 'text/html'),
    parseFeed,
    applySettings: async (raw) => {
      await saveSettings(normalizeSettings(raw));
    },
  };
}

const send = (m: unknown) => browser.runtime.sendMessage(m);

/** Tells the background what an import stored; the import itself already succeeded, so failures here are only logged. */
export async function afterImport(ids: string[], feedsAdded: number): Promise<void> {
  await sendMessage(send, 'io:imported', { ids }).catch((err: unknown) => console.warn('io:imported', err));
  if (feedsAdded > 0) await sendMessage(send, 'follows:sync').catch((err: unknown) => console.warn('follows:sync', err));
}
