import { browser } from 'wxt/browser';
import { GIST_ATTR } from '../../lib/gists/embeds';
import { GIST_ORIGINS, GIST_PERMISSION_EXPLANATION } from '../../lib/gists/gists';
import { sendMessage } from '../../lib/messages';

/**
 * Turns each embedded gist still waiting for its code into a visible
 * placeholder: what is missing, a link to the gist, why it failed last, and
 * "Fetch code". The click asks for the gist hosts first (the browser only
 * grants optional permissions from a click), then fetches.
 */
export function showGistPlaceholders(root: HTMLElement, articleId: string, reasons: Record<string, string>, hasPermission: boolean): void {
  const doc = root.ownerDocument;
  for (const pre of [...root.querySelectorAll(`pre[${GIST_ATTR}]`)]) {
    const url = pre.getAttribute(GIST_ATTR) ?? '';
    const box = doc.createElement('figure');
    box.className = 'gist-placeholder';
    box.setAttribute('role', 'group');
    box.setAttribute('aria-label', 'Embedded code not stored yet');
    const what = doc.createElement('p');
    what.textContent = 'The code embedded here (a GitHub gist) is not stored yet, so it cannot be read offline. ';
    const link = doc.createElement('a');
    link.href = url;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    link.textContent = url;
    what.append(link);
    box.append(what);
    if (reasons[url]) {
      const why = doc.createElement('p');
      why.className = 'note';
      why.textContent = `Last try: ${reasons[url]}`;
      box.append(why);
    }
    if (!hasPermission) {
      const ask = doc.createElement('p');
      ask.className = 'note';
      ask.textContent = GIST_PERMISSION_EXPLANATION;
      box.append(ask);
    }
    const button = doc.createElement('button');
    button.type = 'button';
    button.className = 'primary-button';
    button.textContent = 'Fetch code';
    const status = doc.createElement('p');
    status.setAttribute('role', 'status');
    button.addEventListener('click', () => {
      // Straight from the click, before any other await, so the browser sees the gesture.
      const asking = browser.permissions.request({ origins: GIST_ORIGINS });
      button.disabled = true;
      status.textContent = 'Fetching the code…';
      void asking
        .then(async (granted) => {
          if (!granted) throw new Error('Offprint was not allowed to read the gist hosts, so the code was not fetched.');
          const result = await sendMessage((m) => browser.runtime.sendMessage(m), 'gists:fetch', { articleId });
          if (result.pending) throw new Error(Object.values(result.reasons)[0] ?? 'The code could not be fetched.');
          status.textContent = 'The code is stored.';
        })
        .catch((err: unknown) => {
          status.setAttribute('role', 'alert');
          status.textContent = err instanceof Error ? err.message : String(err);
          button.disabled = false;
        });
    });
    box.append(button, status);
    pre.replaceWith(box);
  }
}
