import { useEffect, useState } from 'preact/hooks';
import { browser, type Browser } from 'wxt/browser';
import { getDb } from '../../lib/db/schema';
import type { FeedTarget } from '../../lib/feeds/medium';
import { collectPageInfo, offersFor, type PageInfo } from '../../lib/feeds/offers';
import { useLiveQuery } from '../useLiveQuery';
import type { FollowReply } from '../../lib/messages';
import { followFromPopup } from '../following/follow-action';
import { followedText, ShowHiddenReplies } from '../following/HiddenReplies';
import '../following/following.css';

/**
 * "Follow <name>" for the page in the active tab: the right Medium feed on
 * Medium pages (custom domains and tag pages included), else the feeds the
 * page announces. Feeds already followed show as followed.
 */
export function FollowOffer() {
  const [offers, setOffers] = useState<FeedTarget[]>([]);
  useEffect(() => {
    void findOffers().then(setOffers, () => setOffers([]));
  }, []);
  const urls = offers.map((o) => o.url);
  const followed = useLiveQuery(() => (urls.length ? getDb().feeds.where('url').anyOf(urls).toArray() : Promise.resolve([])), [urls.join(' ')]);
  if (offers.length === 0) return null;
  return (
    <section class="follow-offer" aria-label="Follow this page">
      {offers.slice(0, 3).map((offer) => (
        <OfferButton key={offer.url} offer={offer} followed={!!followed.value?.some((f) => f.url === offer.url)} />
      ))}
    </section>
  );
}

function OfferButton({ offer, followed }: { offer: FeedTarget; followed: boolean }) {
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ text: string; error?: boolean; reply?: FollowReply }>();
  const follow = async () => {
    setBusy(true);
    setStatus({ text: `Following ${offer.name}…` });
    try {
      const reply = await followFromPopup(offer.url);
      setStatus({ text: followedText(offer.name, reply), reply });
    } catch (err) {
      setStatus({ text: err instanceof Error ? err.message : String(err), error: true });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {followed ? (
        <p class="followed">✓ Following {offer.name}</p>
      ) : (
        <button type="button" class="primary-button" disabled={busy} onClick={() => void follow()}>
          Follow {offer.name}
        </button>
      )}
      {status ? (
        <p class={status.error ? 'follow-status error' : 'follow-status'} role={status.error ? 'alert' : 'status'}>
          {status.text}
        </p>
      ) : null}
      {status?.reply?.hiddenReplies ? <ShowHiddenReplies feedId={status.reply.feedId} count={status.reply.hiddenReplies} /> : null}
    </>
  );
}

async function findOffers(): Promise<FeedTarget[]> {
  const tab = await targetTab();
  if (!tab?.url || tab.id === undefined) return [];
  let info: PageInfo = { url: tab.url, title: tab.title };
  try {
    const [frame] = await browser.scripting.executeScript({ target: { tabId: tab.id }, func: collectPageInfo });
    if (frame?.result) info = frame.result as PageInfo;
  } catch {
    // No access to this page (browser pages, no permission): judge by its URL.
  }
  return offersFor(info);
}

/**
 * The tab the popup is about: the active tab, or, when the popup itself is
 * open in a tab (as in tests or when pinned), the page used just before it.
 */
async function targetTab(): Promise<Browser.tabs.Tab | undefined> {
  const [active] = await browser.tabs.query({ active: true, currentWindow: true });
  const own = browser.runtime.getURL('/');
  if (active?.url && !active.url.startsWith(own)) return /^https?:/.test(active.url) ? active : undefined;
  const tabs = await browser.tabs.query({ currentWindow: true });
  return tabs.filter((t) => t.url && /^https?:/.test(t.url)).sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0))[0];
}
