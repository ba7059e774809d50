// Lazy-loaded images: the real URL hides in data-* attributes, srcset,
// <picture> sources or a <noscript> fallback. The sanitizer keeps only `src`,
// so everything is resolved into an absolute `src` here.

const LAZY_SRC_ATTRS = ['data-src', 'data-lazy-src', 'data-original', 'data-actualsrc', 'data-hi-res-src', 'data-full-src', 'data-url'];
const LAZY_SRCSET_ATTRS = ['data-srcset', 'data-lazy-srcset'];
const PLACEHOLDER = /^data:|placeholder|blank\.|spacer|lazy|loading|1x1|transparent|pixel\.gif/i;
/** Attributes that only said where the image is: resolved into `src`. */
const RESOLVED_ATTRS = new Set([...LAZY_SRC_ATTRS, ...LAZY_SRCSET_ATTRS, 'srcset', 'sizes']);
const SRCSET_ATTRS = ['srcset', ...LAZY_SRCSET_ATTRS];
/** Widest image we pick from a srcset: enough for a reading column on a HiDPI screen. */
const MAX_WIDTH = 2000;

export function isPlaceholder(src: string | null): boolean {
  return !src || !src.trim() || PLACEHOLDER.test(src.trim());
}

/** The best candidate of a srcset: the widest up to MAX_WIDTH, else the narrowest. */
export function bestFromSrcset(srcset: string | null): string | undefined {
  if (!srcset) return undefined;
  const candidates = srcset
    .split(/,\s+(?=\S)/)
    .map((part) => {
      const [url, descriptor = '1x'] = part.trim().split(/\s+/);
      const n = parseFloat(descriptor);
      const width = descriptor.endsWith('w') ? n : descriptor.endsWith('x') ? n * 1000 : 0;
      return { url: url?.replace(/,$/, ''), width: Number.isFinite(width) ? width : 0 };
    })
    .filter((c): c is { url: string; width: number } => !!c.url && !isPlaceholder(c.url));
  if (!candidates.length) return undefined;
  const fitting = candidates.filter((c) => c.width <= MAX_WIDTH).sort((a, b) => b.width - a.width);
  return (fitting[0] ?? candidates.sort((a, b) => a.width - b.width)[0])?.url;
}

function absolute(url: string, base: string): string {
  try {
    return new URL(url, base).href;
  } catch {
    return url;
  }
}

function pictureSource(img: Element): string | undefined {
  const picture = img.parentElement?.tagName === 'PICTURE' ? img.parentElement : undefined;
  if (!picture) return undefined;
  const sources = [...picture.querySelectorAll('source')];
  // Prefer a plain format over webp/avif only when both exist; any is readable.
  sources.sort((a, b) => Number(/webp|avif/.test(a.getAttribute('type') ?? '')) - Number(/webp|avif/.test(b.getAttribute('type') ?? '')));
  for (const source of sources) {
    const url = bestFromSrcset(source.getAttribute('srcset') ?? source.getAttribute('data-srcset'));
    if (url) return url;
  }
  return undefined;
}

/** The URL an image really shows, or undefined when it has none. */
export function resolveImageSrc(img: Element, liveCurrentSrc?: string): string | undefined {
  // Only the attributes the image has are read: most have none of the lazy ones.
  const names = img.getAttributeNames();
  for (const attr of LAZY_SRC_ATTRS) {
    if (!names.includes(attr)) continue;
    const v = img.getAttribute(attr);
    if (v && !isPlaceholder(v) && /^(https?:|\/|\.|[\w-]+\/)/.test(v)) return v;
  }
  const src = img.getAttribute('src');
  if (!isPlaceholder(src)) return src!;
  for (const attr of SRCSET_ATTRS) {
    if (!names.includes(attr)) continue;
    const best = bestFromSrcset(img.getAttribute(attr));
    if (best) return best;
  }
  // What the browser loaded fits this window; a srcset's larger candidate reads better offline.
  return pictureSource(img) ?? (liveCurrentSrc && !isPlaceholder(liveCurrentSrc) ? liveCurrentSrc : undefined);
}

/** Parses a <noscript>'s content, which is raw text when scripting is on. */
function noscriptImages(noscript: Element): Element[] {
  if (noscript.children.length) return [...noscript.querySelectorAll('img')];
  const text = noscript.textContent ?? '';
  if (!/<img/i.test(text)) return [];
  // DOMParser documents are inert: nothing in them loads or runs.
  const Parser = noscript.ownerDocument.defaultView?.DOMParser ?? DOMParser;
  return [...new Parser().parseFromString(text, 'text/html').body.querySelectorAll('img')];
}

/**
 * Rewrites every image under `root` to an absolute, real `src`, unwraps
 * <picture> and <noscript> fallbacks, and drops images that have no URL at all.
 * `liveSrcs` maps images to the URL the browser actually loaded (currentSrc).
 */
export function fixImages(root: ParentNode, baseUrl: string, liveSrcs?: Map<Element, string>): void {
  const doc = (root as Node).ownerDocument ?? (root as Document);
  for (const noscript of [...root.querySelectorAll('noscript')]) {
    const fallback = noscriptImages(noscript);
    if (!fallback.length) continue;
    const prev = noscript.previousElementSibling;
    const placeholder =
      prev?.tagName === 'IMG' ? prev : prev?.tagName === 'PICTURE' ? prev.querySelector('img') : noscript.parentElement?.querySelector('img');
    const fallbackSrc = fallback[0]!.getAttribute('src');
    if (placeholder && fallbackSrc && !resolveImageSrcSafe(placeholder)) {
      placeholder.setAttribute('src', fallbackSrc);
      if (!placeholder.getAttribute('alt')) placeholder.setAttribute('alt', fallback[0]!.getAttribute('alt') ?? '');
      noscript.remove();
    } else if (placeholder) {
      noscript.remove();
    } else {
      noscript.replaceWith(...fallback.map((img) => doc.importNode(img, true)));
    }
  }
  for (const img of [...root.querySelectorAll('img')]) {
    const src = resolveImageSrc(img, liveSrcs?.get(img));
    if (!src) {
      img.remove();
      continue;
    }
    img.setAttribute('src', absolute(src, baseUrl));
    // One pass over what the image has, rather than a removal per name it might have (by name: no Attr objects).
    for (const name of img.getAttributeNames()) if (RESOLVED_ATTRS.has(name)) img.removeAttribute(name);
    const picture = img.parentElement;
    if (picture?.tagName === 'PICTURE') picture.replaceWith(img);
  }
}

function resolveImageSrcSafe(img: Element): string | undefined {
  return resolveImageSrc(img);
}
