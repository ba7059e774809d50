// Embedded gists, found in a page or feed HTML before anything drops them
// (Readability and the sanitizer remove iframes and scripts). Each embed is
// replaced in place by a marker block that survives both:
//   <pre data-offprint-gist="URL"><code>Embedded code: URL</code></pre>
// where URL is the gist (https://gist.github.com/<user>/<id>[?file=name]) or
// the Medium media URL that leads to one. The background later swaps each
// marker for the gist's files (lib/gists/fill.ts).

export const GIST_ATTR = 'data-offprint-gist';
export const MARKER_PREFIX = 'Embedded code: ';

const MEDIUM_MEDIA = /^https?:\/\/(?:[\w-]+\.)?medium\.com\/media\/([0-9a-f]{16,64})(?:\/href)?(?:[?#].*)?$/i;
const MEDIUM_MEDIA_IN_TEXT = /https?:\/\/(?:[\w-]+\.)?medium\.com\/media\/([0-9a-f]{16,64})(?:\/href)?/i;
const GIST = /^https?:\/\/gist\.github\.com\/(?:([\w-]+)\/)?([0-9a-f]{5,40}|\d+)(?:\.js|\.json|\/?)(?:\?(?:[^#]*&)?file=([^&#]+))?[^]*$/i;
const GIST_RAW = /^https?:\/\/gist\.github(?:usercontent)?\.com\/([\w-]+)\/([0-9a-f]{5,40})\/raw\/(?:[0-9a-f]+\/)?([^?#]+)/i;

/** The canonical gist URL for a gist link, script src or JSON URL; undefined otherwise. */
export function gistUrl(href: string | null | undefined): string | undefined {
  if (!href) return undefined;
  const m = GIST.exec(href.trim());
  if (!m) return undefined;
  const [, user, id, file] = m;
  const base = user ? `https://gist.github.com/${user}/${id}` : `https://gist.github.com/${id}`;
  return file ? `${base}?file=${encodeURIComponent(decodeURIComponent(file))}` : base;
}

/** The Medium media URL (https://medium.com/media/<hash>) an embed points at. */
export function mediumMediaUrl(text: string | null | undefined): string | undefined {
  if (!text) return undefined;
  const m = MEDIUM_MEDIA.exec(text.trim()) ?? MEDIUM_MEDIA_IN_TEXT.exec(text);
  return m ? `https://medium.com/media/${m[1]!.toLowerCase()}` : undefined;
}

/** The gist id of a gist URL. */
export function gistId(url: string): string | undefined {
  return GIST.exec(url)?.[2];
}

/** The file a gist embed shows alone (?file=), if any. */
export function gistFile(url: string): string | undefined {
  const f = GIST.exec(url)?.[3];
  return f ? decodeURIComponent(f) : undefined;
}

function embedOf(el: Element): string | undefined {
  const tag = el.tagName;
  if (tag === 'IFRAME') {
    const src = el.getAttribute('src') || el.getAttribute('data-src') || '';
    // Medium feeds: an empty iframe whose only content is a link to /media/<hash>/href.
    return mediumMediaUrl(src) ?? gistUrl(src) ?? mediumMediaUrl(el.textContent) ?? gistUrl(/https?:\/\/gist\.github\.com\/\S+/.exec(el.textContent ?? '')?.[0]);
  }
  if (tag === 'SCRIPT') return gistUrl(el.getAttribute('src'));
  if (tag === 'DIV') {
    // A gist the page's script already drew: its "view raw" links name the gist and files.
    const files = [...el.querySelectorAll('a[href]')].map((a) => GIST_RAW.exec(a.getAttribute('href') ?? '')).filter((m): m is RegExpExecArray => !!m);
    if (!files.length) return undefined;
    const [, user, id] = files[0]!;
    const names = [...new Set(files.map((f) => decodeURIComponent(f[3]!)))];
    const total = el.querySelectorAll('.gist-file').length;
    return `https://gist.github.com/${user}/${id}${names.length === 1 && total <= 1 ? `?file=${encodeURIComponent(names[0]!)}` : ''}`;
  }
  if (tag === 'A') {
    const url = gistUrl(el.getAttribute('href'));
    if (!url) return undefined;
    // Only a link alone on its line is an embed; a gist mentioned in a sentence stays a link.
    const block = el.parentElement;
    if (!block || !/^(P|DIV|FIGURE|LI)$/.test(block.tagName)) return undefined;
    const blockText = (block.textContent ?? '').trim();
    return blockText === (el.textContent ?? '').trim() ? url : undefined;
  }
  return undefined;
}

/**
 * Replaces every gist embed under `root` with a marker block, in place.
 * A script embed's <noscript> fallback goes with it. Returns how many.
 */
export function markGistEmbeds(root: ParentNode): number {
  const doc = (root as Node).ownerDocument ?? (root as Document);
  let count = 0;
  const candidates = root.querySelectorAll('iframe, script[src], div.gist, a[href*="gist.github.com"]');
  for (const el of [...candidates]) {
    if (!el.isConnected && (root as Node).isConnected) continue;
    if (el.closest(`[${GIST_ATTR}]`) || (el.tagName === 'A' && el.closest('div.gist'))) continue;
    const url = embedOf(el);
    if (!url) continue;
    const marker = markerElement(doc, url);
    // Markers stand alone: a link's paragraph is replaced whole, and so is a
    // figure holding only the embed (its code becomes figures of its own).
    let target = el.tagName === 'A' ? el.parentElement! : el;
    const parent = target.parentElement;
    if (parent?.tagName === 'FIGURE' && [...parent.children].every((c) => c === target || c.tagName === 'FIGCAPTION')) target = parent;
    if (el.tagName === 'SCRIPT' && el.nextElementSibling?.tagName === 'NOSCRIPT') el.nextElementSibling.remove();
    target.replaceWith(marker);
    count += 1;
  }
  return count;
}

export function markerElement(doc: Document, url: string): Element {
  const pre = doc.createElement('pre');
  pre.setAttribute(GIST_ATTR, url);
  const code = doc.createElement('code');
  code.textContent = `${MARKER_PREFIX}${url}`;
  pre.append(code);
  return pre;
}
