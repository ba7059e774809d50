import type { OffprintDB } from '../db/schema';
import type { CachedImage, OfflineState } from '../db/types';

/** Images already stored for other articles: record that this article uses them too. */
export async function shareImages(db: OffprintDB, articleId: string, images: CachedImage[]): Promise<void> {
  if (images.length === 0) return;
  await db.transaction('rw', db.images, async () => {
    for (const img of images) {
      const fresh = await db.images.get(img.url);
      if (fresh && !fresh.articleIds.includes(articleId)) await db.images.update(img.url, { articleIds: [...fresh.articleIds, articleId] });
    }
  });
}

/** Stores a downloaded image for an article (shared with any article already using it). */
export async function storeImage(db: OffprintDB, articleId: string, url: string, blob: Blob, fetchedAt: number): Promise<void> {
  await db.transaction('rw', db.images, async () => {
    const again = await db.images.get(url);
    const articleIds = again ? [...new Set([...again.articleIds, articleId])] : [articleId];
    await db.images.put({ url, blob, type: blob.type, bytes: blob.size, articleIds, fetchedAt });
  });
}

/** Records whether every image of an article is stored locally. */
export async function setOfflineState(db: OffprintDB, articleId: string, state: OfflineState): Promise<void> {
  await db.articles.update(articleId, { offline: state });
}
