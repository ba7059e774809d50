// Pages a browser never lets an extension read, recognised by URL before
// trying, and the browser's own injection errors turned into plain words.

const STORE_HOSTS = /^(?:chromewebstore\.google\.com|chrome\.google\.com\/webstore|addons\.mozilla\.org|microsoftedge\.microsoft\.com\/addons|addons\.opera\.com)/i;

export const MESSAGES = {
  browserPage: 'This is a browser page. Offprint can only save web pages.',
  extensionPage: 'This page belongs to an extension. Offprint can only save web pages.',
  store: 'Browsers don’t let extensions read the extension store, so this page can’t be saved.',
  pdf: 'This is a PDF. Offprint can save web pages, not PDF files.',
  file: 'Offprint can’t read files on your computer. Open the page from the web, or allow file access for Offprint in the browser’s extension settings.',
  noTab: 'There is no page to save in this tab.',
  blocked: 'This site doesn’t let extensions read it (a browser policy or the site blocks it), so it can’t be saved.',
  noAccess: 'Offprint can’t read this page yet. Click the Offprint button in the toolbar while on the page (or use its menu or shortcut), then save again.',
  errorPage: 'This page didn’t load. Reload it, then save again.',
  timeout: 'This page took too long to capture. Wait for it to finish loading, or save a selection instead.',
  noAnswer: 'The page didn’t answer. Reload it, then save again.',
} as const;

/** Why a tab with this URL cannot be clipped, or undefined when it can be tried. */
export function unclippableReason(url: string | undefined): string | undefined {
  if (!url) return undefined; // Unknown until injected (no host access yet): try it.
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return MESSAGES.noTab;
  }
  const hostAndPath = `${parsed.host}${parsed.pathname}`;
  switch (parsed.protocol) {
    case 'http:':
    case 'https:':
      if (STORE_HOSTS.test(hostAndPath)) return MESSAGES.store;
      if (/\.pdf$/i.test(parsed.pathname)) return MESSAGES.pdf;
      return undefined;
    case 'file:':
      return /\.pdf$/i.test(parsed.pathname) ? MESSAGES.pdf : undefined;
    case 'chrome-extension:':
    case 'moz-extension:':
    case 'extension:':
      return MESSAGES.extensionPage;
    default:
      // chrome:, edge:, about:, view-source:, devtools:, data:, blob:…
      return MESSAGES.browserPage;
  }
}

/** The browser's error when injecting the capture script, in plain words. */
export function explainInjectionError(err: unknown, url?: string): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/extensions gallery|webstore|cannot be scripted/i.test(message)) return MESSAGES.store;
  if (/chrome:\/\/|about:|edge:\/\/|Cannot access a chrome|privileged|restricted/i.test(message)) {
    if (url && /^https?:/.test(url)) return MESSAGES.blocked;
    return /^file:/.test(url ?? '') ? MESSAGES.file : MESSAGES.browserPage;
  }
  if (/showing error page/i.test(message)) return MESSAGES.errorPage;
  if (/runtime_blocked_hosts|blocked|policy/i.test(message)) return MESSAGES.blocked;
  if (/file:\/\/|file scheme/i.test(message)) return MESSAGES.file;
  if (/Cannot access contents|permission to access|Missing host permission|must request permission/i.test(message)) return MESSAGES.noAccess;
  if (/No tab with id|Invalid tab/i.test(message)) return MESSAGES.noTab;
  if (/Frame .* removed|The frame was removed|document was unloaded|back\/forward cache/i.test(message)) return MESSAGES.noAnswer;
  return message;
}
