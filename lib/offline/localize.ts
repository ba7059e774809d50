import type { OffprintDB } from '../db/schema';
import { imageUrls } from './images';

export interface LocalizedHtml {
  html: string;
  /** Object URLs to revoke when the article is closed. */
  objectUrls: string[];
  /** Images with no local copy (they need the network). */
  missing: number;
}

/**
 * Points every image of sanitized HTML at its stored Blob. It works on a
 * DOMParser document, which is inert, so no remote image starts loading
 * before it is swapped.
 * Images without a local copy keep their URL (shown when online) and get a
 * class so the reader can style the gap.
 */
export async function localizeImages(db: OffprintDB, html: string, parser: DOMParser, url: Pick<typeof URL, 'createObjectURL'> = URL): Promise<LocalizedHtml> {
  const urls = imageUrls(html);
  if (urls.length === 0) return { html, objectUrls: [], missing: 0 };
  const stored = await db.images.bulkGet(urls);
  const local = new Map<string, string>();
  stored.forEach((img) => {
    if (img) local.set(img.url, url.createObjectURL(img.blob));
  });
  const doc = parser.parseFromString(`<!doctype html><body>${html}`, 'text/html');
  let missing = 0;
  for (const el of doc.body.querySelectorAll('img[src], source[src], video[poster]')) {
    const attr = el.tagName === 'VIDEO' ? 'poster' : 'src';
    const src = el.getAttribute(attr) ?? '';
    const blobUrl = local.get(src);
    if (blobUrl) {
      el.setAttribute(attr, blobUrl);
      // Local images load at once: the layout is final before the saved position is restored.
      el.removeAttribute('loading');
    }
    else if (/^https?:/i.test(src)) {
      missing += 1;
      el.setAttribute('data-offline-missing', '');
    }
  }
  return { html: doc.body.innerHTML, objectUrls: [...local.values()], missing };
}
