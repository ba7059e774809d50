import { browser } from 'wxt/browser';
import { sendMessage } from '../../lib/messages';

/** Every site: link-only articles of a Pocket export point at hundreds of hosts. */
const ALL_SITES = ['https://*/*', 'http://*/*'];

export const SITES_EXPLANATION =
  'Offprint fetches each page once, without your cookies, runs the same extraction as a clip and stores the text and images on this computer. The browser asks you to let Offprint read the sites the links point to.';

function originOf(url: string): string[] {
  try {
    const u = new URL(url);
    return [`${u.protocol}//${u.hostname}/*`];
  } catch {
    return ALL_SITES;
  }
}

/**
 * "Fetch full text" from a click: asks for access to the sites first (a
 * browser only grants optional permissions from a click, so nothing is
 * awaited before), then queues the articles in the background.
 */
export async function fetchFullTextFromClick(target: { url: string; id: string } | { ids: string[] } | 'all'): Promise<number> {
  const origins = typeof target === 'object' && 'url' in target ? originOf(target.url) : ALL_SITES;
  const granted = await browser.permissions.request({ origins });
  if (!granted) throw new Error('Offprint was not allowed to read those sites, so nothing was fetched.');
  const ids = target === 'all' ? undefined : 'ids' in target ? target.ids : [target.id];
  const { queued } = await sendMessage((m) => browser.runtime.sendMessage(m), 'fulltext:enqueue', { ids });
  return queued;
}

export function formatEta(ms: number | undefined): string {
  if (ms === undefined) return '';
  const mins = Math.round(ms / 60_000);
  if (ms < 60_000) return 'less than a minute left';
  if (mins < 60) return `about ${mins} minute${mins === 1 ? '' : 's'} left`;
  const h = Math.floor(mins / 60);
  return `about ${h} h ${mins % 60} min left`;
}
