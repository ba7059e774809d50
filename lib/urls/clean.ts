// Query parameters that only track where a click came from.
const TRACKING_PARAMS = new Set([
  'source', 'fbclid', 'gclid', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'yclid', 'twclid', 'igshid',
  'mc_cid', 'mc_eid', '_hsenc', '_hsmi', 'mkt_tok', 'ref_src', 'ref_url', 'sk', 'trk', 'trkcampaign',
  'oly_enc_id', 'oly_anon_id', 'vero_id', 'spm', 'si',
]);

export function isTrackingParam(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('utm_') || TRACKING_PARAMS.has(lower);
}

/**
 * The canonical form of an article URL: absolute, tracking parameters and
 * fragment removed. Returns the input unchanged when it is not a URL.
 */
export function cleanUrl(url: string, base?: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url, base);
  } catch {
    return url;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return parsed.href;
  // Most links have no query: leave searchParams (and its re-serializing) alone then.
  if (parsed.search) {
    for (const name of [...parsed.searchParams.keys()]) {
      if (isTrackingParam(name)) parsed.searchParams.delete(name);
    }
  }
  if (parsed.hash) parsed.hash = '';
  const href = parsed.href;
  return parsed.search === '' ? href.replace(/\?$/, '') : href;
}

/** Medium's tracking pixel, present in every feed item. */
export function isTrackingPixel(src: string): boolean {
  return /^https?:\/\/(?:[\w-]+\.)?medium\.com\/_\/stat/i.test(src);
}
