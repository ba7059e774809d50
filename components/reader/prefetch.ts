import type { OffprintDB } from '../../lib/db/schema';
import type { Article, ArticleContent } from '../../lib/db/types';
import type { Sanitize } from '../../lib/html/sanitize';
import { getArticle } from '../../lib/library/queries';
import { localizeImages } from '../../lib/offline/localize';

/**
 * Articles made ready before they are opened (the next and previous in the
 * library's list), so j/k and a click on the next row show the text in the
 * same frame instead of after a database read and a sanitize.
 */
export interface PreparedBody {
  key: string;
  html: string;
  missing: number;
  objectUrls: string[];
}

const CAP = 6;
const entries = new Map<string, { article: Article; content: ArticleContent | undefined }>();
const bodies = new Map<string, PreparedBody>();
const pending = new Map<string, Promise<void>>();

/** The key a body is prepared under: the same article with other content or images is another body. */
export function bodyKey(article: Article, content: ArticleContent | undefined): string {
  return article && content ? `${article.id}:${content.html.length}:${article.offline}` : '';
}

export function peekEntry(id: string | null | undefined) {
  return id ? entries.get(id) : undefined;
}

/** Takes a prepared body: the caller now owns its object URLs and revokes them. */
export function takeBody(key: string): PreparedBody | undefined {
  const body = bodies.get(key);
  if (body) bodies.delete(key);
  return body;
}

export function prefetchArticle(db: OffprintDB, id: string, sanitize: Sanitize): Promise<void> {
  const running = pending.get(id);
  if (running) return running;
  const job = (async () => {
    const entry = await getArticle(db, id);
    if (!entry) return;
    remember(entries, id, entry);
    const key = bodyKey(entry.article, entry.content);
    if (!entry.content || bodies.has(key)) return;
    const out = await localizeImages(db, sanitize(entry.content.html, entry.article.url), new DOMParser());
    remember(bodies, key, { key, html: out.html, missing: out.missing, objectUrls: out.objectUrls });
  })()
    .catch(() => undefined)
    .finally(() => pending.delete(id));
  pending.set(id, job);
  return job;
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > CAP) {
    const [oldest, old] = map.entries().next().value as [string, V];
    map.delete(oldest);
    const urls = (old as { objectUrls?: string[] }).objectUrls;
    urls?.forEach((u) => URL.revokeObjectURL(u));
  }
}
