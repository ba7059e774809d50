import { useEffect, useState } from 'preact/hooks';
import type { OffprintDB } from '../../lib/db/schema';
import type { Article, ArticleContent } from '../../lib/db/types';
import type { Sanitize } from '../../lib/html/sanitize';
import { localizeImages } from '../../lib/offline/localize';
import { bodyKey, takeBody } from './prefetch';

/**
 * The article body ready to show: sanitized again, and every stored image
 * pointed at its local Blob. Undefined until that is done, so no image
 * ever starts loading from the network first. A body prepared ahead
 * (prefetch) is shown at once.
 */
export function useArticleHtml(db: OffprintDB, article: Article | undefined, content: ArticleContent | undefined, sanitize: Sanitize) {
  const key = article && content ? bodyKey(article, content) : '';
  const [result, setResult] = useState<{ key: string; html: string; missing: number; objectUrls: string[] } | undefined>(() => (key ? takeBody(key) : undefined));
  // Rendered with a key prepared meanwhile: take it now, in this render.
  let current = result && result.key === key ? result : undefined;
  if (!current && key) {
    const ready = takeBody(key);
    if (ready) {
      current = ready;
      setResult(ready);
    }
  }
  useEffect(() => {
    if (!article || !content) return;
    let live = true;
    let urls: string[] = current ? current.objectUrls : [];
    if (!current) {
      void localizeImages(db, sanitize(content.html, article.url), new DOMParser()).then(
        (out) => {
          urls = out.objectUrls;
          if (live) setResult({ key, html: out.html, missing: out.missing, objectUrls: out.objectUrls });
          else urls.forEach((u) => URL.revokeObjectURL(u));
        },
        () => live && setResult({ key, html: sanitize(content.html, article.url), missing: 0, objectUrls: [] }),
      );
    }
    return () => {
      live = false;
      // Revoke after the next body has replaced this one.
      setTimeout(() => urls.forEach((u) => URL.revokeObjectURL(u)), 1000);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return current;
}
