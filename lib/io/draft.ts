import type { Box } from '../db/types';
import type { ImportedHighlight } from './highlights';

/**
 * An article read from a file, before its HTML is sanitized. Reader state
 * from the source tool (Pocket's archive, Omnivore's progress) rides along
 * and is applied after storing.
 */
export interface DraftArticle {
  url: string;
  guid?: string;
  title: string;
  author?: string;
  siteName?: string;
  excerpt?: string;
  leadImage?: string;
  lang?: string;
  publishedAt?: number;
  updatedAt?: number;
  savedAt?: number;
  /** Unsanitized HTML. */
  html: string;
  tags: string[];
  isRead?: 0 | 1;
  starred?: 0 | 1;
  progress?: number;
  box?: Box;
  isPreview?: 0 | 1;
  isReply?: 0 | 1;
  captureWarning?: string;
  /** Highlights the source tool kept for this article (issue 13). */
  highlights?: ImportedHighlight[];
}

/** Parses a date the way export files write them: ISO text, seconds or milliseconds. */
export function parseDate(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()))) {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) return undefined;
    // Ten-digit timestamps are seconds (Pocket), thirteen are milliseconds.
    return n < 1e11 ? Math.round(n * 1000) : Math.round(n);
  }
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function cleanTags(tags: unknown): string[] {
  if (typeof tags === 'string') {
    const trimmed = tags.trim();
    if (trimmed.startsWith('[')) {
      try {
        return cleanTags(JSON.parse(trimmed));
      } catch {
        return [];
      }
    }
    return cleanTags(trimmed.split(/[|,]/));
  }
  if (!Array.isArray(tags)) return [];
  const out = tags
    .map((t) => (typeof t === 'string' ? t : typeof t === 'object' && t && 'name' in t ? String((t as { name: unknown }).name) : ''))
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t.length > 0 && t.length <= 64);
  return [...new Set(out)];
}
