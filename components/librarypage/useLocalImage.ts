import { useEffect, useState } from 'preact/hooks';
import { getDb } from '../../lib/db/schema';

/** Object URLs of stored images, shared by rows; the oldest are revoked past the cap. */
const cache = new Map<string, string | null>();
const CAP = 300;

async function load(url: string): Promise<string | null> {
  const known = cache.get(url);
  if (known !== undefined) return known;
  const image = await getDb().images.get(url);
  const objectUrl = image ? URL.createObjectURL(image.blob) : null;
  cache.set(url, objectUrl);
  if (cache.size > CAP) {
    const [oldest, value] = cache.entries().next().value as [string, string | null];
    cache.delete(oldest);
    if (value) setTimeout(() => URL.revokeObjectURL(value), 5000);
  }
  return objectUrl;
}

/**
 * The local copy of an image as an object URL, or null when it is not
 * stored: list thumbnails never load anything from the network.
 */
export function useLocalImage(url: string | undefined): string | null {
  const [src, setSrc] = useState<string | null>(() => (url ? (cache.get(url) ?? null) : null));
  useEffect(() => {
    if (!url) return setSrc(null);
    let live = true;
    void load(url).then(
      (s) => live && setSrc(s),
      () => live && setSrc(null),
    );
    return () => {
      live = false;
    };
  }, [url]);
  return src;
}
