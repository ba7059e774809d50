import { cleanTags, escapeHtml, parseDate, type DraftArticle } from './draft';
import { ImportError } from './errors';
import { withSkips, type DraftList } from './skips';
import type { ImportedHighlight } from './highlights';

interface OmnivoreItem {
  id?: string;
  slug?: string;
  title?: string;
  description?: string;
  author?: string;
  url?: string;
  state?: string;
  readingProgress?: number;
  readingProgressPercent?: number;
  thumbnail?: string;
  labels?: unknown;
  savedAt?: string;
  updatedAt?: string;
  publishedAt?: string;
}

export function looksLikeOmnivoreMetadata(value: unknown): value is OmnivoreItem[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'object' && v !== null && 'url' in v && ('slug' in v || 'savedAt' in v));
}

/**
 * Omnivore's export: `metadata_*.json` arrays plus `content/<slug>.html`
 * (when present). Items without content keep their description and link.
 */
export function omnivoreToDrafts(items: OmnivoreItem[], contentBySlug: Map<string, string>, highlightsBySlug: Map<string, ImportedHighlight[]> = new Map()): DraftList {
  const drafts: DraftArticle[] = [];
  let noAddress = 0;
  let deleted = 0;
  for (const item of items) {
    if (typeof item.url !== 'string' || !/^https?:\/\//i.test(item.url)) {
      noAddress += 1;
      continue;
    }
    const state = (item.state ?? '').toLowerCase();
    if (state === 'deleted') {
      deleted += 1;
      continue;
    }
    const content = item.slug ? contentBySlug.get(item.slug) : undefined;
    const progress = item.readingProgressPercent ?? item.readingProgress;
    const archived = state === 'archived';
    drafts.push({
      url: item.url,
      title: item.title?.trim() || item.url,
      author: item.author || undefined,
      excerpt: item.description || undefined,
      leadImage: item.thumbnail || undefined,
      publishedAt: parseDate(item.publishedAt),
      savedAt: parseDate(item.savedAt),
      tags: cleanTags(item.labels),
      html: content ?? `<p>${escapeHtml(item.description ?? '')}</p><p><a href="${escapeHtml(item.url)}">Open the original</a></p>`,
      progress: typeof progress === 'number' && progress > 0 ? Math.min(1, progress / 100) : undefined,
      isRead: typeof progress === 'number' && progress >= 98 ? 1 : undefined,
      box: archived ? 'archive' : undefined,
      captureWarning: content ? undefined : 'Omnivore’s export held no text for this article: open the original and save it again to read it offline.',
      highlights: item.slug ? highlightsBySlug.get(item.slug) : undefined,
    });
  }
  if (drafts.length === 0) throw new ImportError('This Omnivore export lists no articles with a web address.');
  return withSkips(drafts, [
    { count: noAddress, reason: 'entries with no web address' },
    { count: deleted, reason: 'entries deleted in Omnivore' },
  ]);
}
