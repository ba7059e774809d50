import { useEffect, useState } from 'preact/hooks';
import type { OffprintDB } from '../../lib/db/schema';
import type { Article, ArticleContent } from '../../lib/db/types';
import type { Sanitize } from '../../lib/html/sanitize';
import { localizeImages } from '../../lib/offline/localize';

/**
 * The article body ready to show: sanitized again, and every stored image
 * pointed at its local Blob. Undefined until that is done, so no image
 * ever starts loading from the network first.
 */
export function useArticleHtml(db: OffprintDB, article: Article | undefined, content: ArticleContent | undefined, sanitize: Sanitize) {
  const [result, setResult] = useState<{ key: string; html: string; missing: number } | undefined>();
  const key = article && content ? `${article.id}:${content.html.length}:${article.offline}` : '';
  useEffect(() => {
    if (!article || !content) return;
    let live = true;
    let urls: string[] = [];
    void localizeImages(db, sanitize(content.html, article.url), new DOMParser()).then(
      (out) => {
        urls = out.objectUrls;
        if (live) setResult({ key, html: out.html, missing: out.missing });
        else urls.forEach((u) => URL.revokeObjectURL(u));
      },
      () => live && setResult({ key, html: sanitize(content.html, article.url), missing: 0 }),
    );
    return () => {
      live = false;
      // Revoke after the next body has replaced this one.
      setTimeout(() => urls.forEach((u) => URL.revokeObjectURL(u)), 1000);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return result && result.key === key ? result : undefined;
}
