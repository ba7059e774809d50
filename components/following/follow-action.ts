import { browser } from 'wxt/browser';
import { needsHostPermission, originPattern } from '../../lib/feeds/offers';
import { targetFromInput } from '../../lib/feeds/medium';
import { sendMessage, type FollowReply } from '../../lib/messages';

/**
 * Follows from a click in the popup. Hosts other than Medium need an
 * optional host permission, which the browser only grants from a click, so
 * it is asked for here, before the background fetches the feed.
 */
export async function followFromPopup(input: string): Promise<FollowReply> {
  const target = targetFromInput(input);
  if (!target) throw new Error('That is not a web address, an @handle or a feed address.');
  if (needsHostPermission(target.url)) {
    const origins = [originPattern(target.url)];
    // Called straight from the click (no await before it) so the browser sees the gesture.
    const granted = await browser.permissions.request({ origins });
    if (!granted) throw new Error(`Offprint needs your permission to read ${new URL(target.url).hostname} to follow its feed.`);
  }
  return sendMessage(browser.runtime.sendMessage, 'feeds:follow', { input });
}
