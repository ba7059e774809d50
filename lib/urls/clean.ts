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
 *
 * Works on the parsed URL's href as a string: a sanitized article cleans
 * every link, and URLSearchParams (parse, delete, re-serialize the URL per
 * deletion) cost twice the parse itself. Queries the string rules cannot
 * settle exactly (encoded names, or values that re-serializing would
 * re-encode) take the URLSearchParams path, so the result is the same.
 */
export function cleanUrl(url: string, base?: string): string {
  let href: string;
  try {
    // An absolute web address does not depend on its base: spared parsing the base again on every link.
    href = (ABSOLUTE_WEB.test(url) && baseIsValid(base) ? new URL(url) : new URL(url, base)).href;
  } catch {
    return url;
  }
  if (!href.startsWith('https:') && !href.startsWith('http:')) return href;
  // In a serialized http(s) URL the first '#' starts the fragment and the first '?' the query (both are escaped elsewhere).
  const hashAt = href.indexOf('#');
  const beforeHash = hashAt < 0 ? href : href.slice(0, hashAt);
  // An empty fragment ("…#") is kept, as clearing `hash` only when it is non-empty did.
  const fragment = hashAt >= 0 && hashAt === href.length - 1 ? '#' : '';
  const queryAt = beforeHash.indexOf('?');
  if (queryAt < 0) return beforeHash + fragment;
  const query = beforeHash.slice(queryAt + 1);
  if (!query) return fragment ? beforeHash + fragment : beforeHash.slice(0, queryAt);
  const parts = query.split('&');
  let kept: string[] | undefined;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    // Encoded names ("utm%5Fsource", "a+b") are only known once decoded.
    if (name.includes('%') || name.includes('+')) return cleanUrlBySearchParams(url, base);
    if (isTrackingParam(name)) kept ??= parts.slice(0, i);
    else if (kept) kept.push(part);
  }
  if (!kept) return beforeHash + fragment;
  // A deletion re-serializes the whole query (application/x-www-form-urlencoded): written here only where that leaves each pair as it was.
  const pairs: string[] = [];
  for (const part of kept) {
    if (!part) continue; // empty pairs ("a=1&&b=2") are dropped by re-serializing
    if (!SERIALIZES_AS_IS.test(part)) return cleanUrlBySearchParams(url, base);
    pairs.push(part.includes('=') ? part : `${part}=`);
  }
  return beforeHash.slice(0, queryAt) + (pairs.length ? `?${pairs.join('&')}` : '') + fragment;
}

const ABSOLUTE_WEB = /^https?:\/\//i;
/** A query pair the form serializer writes back unchanged: unreserved characters, at most one '='. */
const SERIALIZES_AS_IS = /^[\w*.-]*(?:=[\w*.-]*)?$/;

let lastBase: string | undefined;
let lastBaseValid = false;
/** Whether `base` parses (an invalid base makes even an absolute URL fail); the last answer is kept, since one page passes one base. */
function baseIsValid(base: string | undefined): boolean {
  if (base === undefined) return true;
  if (base !== lastBase) {
    lastBase = base;
    lastBaseValid = URL.canParse ? URL.canParse(base) : canParse(base);
  }
  return lastBaseValid;
}

function canParse(url: string): boolean {
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

/** The reference rules, on URLSearchParams: for queries the string path cannot settle exactly. */
export function cleanUrlBySearchParams(url: string, base?: string): string {
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
