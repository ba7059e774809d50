import type { Article, ArticleContent, Box, Flag } from '../db/types';
import { countWords, readingMinutes } from '../text/words';

/**
 * The one rule for every write that meets an article already stored (feed
 * poll, clip, import, backup restore, full-text upgrade, duplicate merge):
 * - content is replaced only by content at least as complete;
 * - each metadata field merges on its own: a known value is never replaced by an unknown one;
 * - reader state (read, star, progress, tags, archive) only moves forward.
 * Pure: it takes both sides and returns the merged record and what changed.
 */

/** How a write reached the library; only for messages, the rule is the same for all. */
export type WriteOrigin = 'feed' | 'clip' | 'import' | 'restore' | 'fulltext' | 'duplicate';

/** Measures of how complete a stored text is. */
export interface Completeness {
  preview: boolean;
  words: number;
  codeBlocks: number;
  images: number;
}

/** Reader state that may ride along with an incoming copy (imports, backups). */
export interface IncomingState {
  isRead?: Flag;
  starred?: Flag;
  progress?: number;
  tags?: string[];
  /** The copy is archived where it came from. */
  archived?: boolean;
}

/** The incoming side: an article's fields and its (sanitized) content. */
export interface IncomingCopy {
  fields: IncomingFields;
  content: Pick<ArticleContent, 'html' | 'text'>;
  state?: IncomingState;
}

export type IncomingFields = Partial<Omit<Article, 'id' | 'box' | 'isRead' | 'starred' | 'progress' | 'tags' | 'offline' | 'wordCount' | 'readingMinutes'>> & {
  url: string;
  title: string;
};

/** Metadata fields that merge one by one. */
export const METADATA_FIELDS = ['title', 'author', 'siteName', 'lang', 'excerpt', 'leadImage', 'publishedAt', 'guid', 'feedId'] as const;
export type MetadataField = (typeof METADATA_FIELDS)[number];

export type MergeChange = 'content' | 'url' | MetadataField | 'tags' | 'isRead' | 'starred' | 'progress' | 'box' | 'updatedAt' | 'savedAt';

export interface MergeResult {
  article: Article;
  /** The content to store, or undefined when the stored one is kept. */
  content?: Pick<ArticleContent, 'html' | 'text'>;
  /** True when the incoming content replaced the stored one. */
  contentReplaced: boolean;
  /** Why the stored content was kept (for messages), when it was. */
  keptBecause?: string;
  /** Fields that changed. */
  updated: MergeChange[];
}

const PRE = /<pre[\s>]/gi;
const IMG = /<img[\s>]/gi;

export function completeness(content: Pick<ArticleContent, 'html' | 'text'> | undefined, preview: Flag | boolean | undefined): Completeness {
  if (!content) return { preview: !!preview, words: 0, codeBlocks: 0, images: 0 };
  return {
    preview: !!preview,
    words: countWords(content.text),
    codeBlocks: content.html.match(PRE)?.length ?? 0,
    images: content.html.match(IMG)?.length ?? 0,
  };
}

/** Below this share of the stored words, a full text that replaces a preview is a stub, not the post. */
const FULL_OVER_PREVIEW_SHARE = 0.5;
/** A capture may lose this share of words (noise removed, small edits) and still count as as complete. */
const SAME_KIND_TOLERANCE = 0.95;

/**
 * Whether `incoming` is at least as complete as `stored`. Returns the reason
 * when it is not, so messages can say why the stored text stayed.
 */
export function compareCompleteness(incoming: Completeness, stored: Completeness): { ok: true } | { ok: false; reason: string } {
  if (stored.words === 0 && stored.codeBlocks === 0 && stored.images === 0) return { ok: true };
  if (incoming.preview && !stored.preview) return { ok: false, reason: 'a preview does not replace the full text' };
  if (!incoming.preview && stored.preview) {
    return incoming.words >= stored.words * FULL_OVER_PREVIEW_SHARE ? { ok: true } : { ok: false, reason: 'the new copy is shorter than the stored preview' };
  }
  if (incoming.words < stored.words * SAME_KIND_TOLERANCE) return { ok: false, reason: 'the new copy is shorter' };
  if (incoming.codeBlocks < stored.codeBlocks) return { ok: false, reason: 'the new copy has fewer code blocks' };
  if (incoming.images < stored.images) return { ok: false, reason: 'the new copy has fewer images' };
  return { ok: true };
}

/** Up to this many words, no code and no image: a link or a stub, not a text (as full-text jobs count it). */
const STUB_WORDS = 40;
const FEED_SNIPPET = /class="medium-feed-snippet"|Continue reading on [^<]{1,80}<\/a>/;

/**
 * How complete a stored text is, as a key that orders every version of an
 * article's content the same way on every device (sync compares it before the
 * stamp, so the order is total and merges converge; compareCompleteness, with
 * its slack, is not transitive). It depends only on the HTML, because the
 * preview flag is an article field with a stamp of its own: class first
 * (0: empty, link or stub; 1: a feed's preview snippet; 2: a text), then the
 * word count on a 10% log scale. A larger key is richer.
 */
export function contentRank(html: string): string {
  const words = countWords(html.replace(/<[^>]*>/g, ' '));
  const cls = words <= STUB_WORDS && !/<(?:pre|img)[\s>]/i.test(html) ? 0 : FEED_SNIPPET.test(html) ? 1 : 2;
  return `${cls}${String(wordStep(words)).padStart(3, '0')}`;
}

/**
 * Word counts in steps of about 10% (1, 2, … 10, 11, 12, … 20, 22, 24 …): within one step a copy
 * is as complete, so the later one wins. Integer arithmetic, so every browser puts a count in the same step.
 */
function wordStep(words: number): number {
  let step = 0;
  for (let bound = 1; bound <= words; bound += Math.max(1, Math.floor(bound / 10))) step += 1;
  return step;
}

function known(field: MetadataField, value: unknown, url: string): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (field === 'title') return typeof value === 'string' && value.trim() !== '' && value !== 'Untitled' && value !== url;
  if (field === 'publishedAt') return typeof value === 'number' && value > 0;
  return true;
}

const BOX_RANK: Record<Box, number> = { inbox: 0, saved: 0, archive: 1, trash: 2 };

/**
 * Merges an incoming copy into a stored article. `storedContent` may be
 * missing (an article whose content row is gone): then anything wins.
 */
export function mergeArticle(stored: Article, storedContent: Pick<ArticleContent, 'html' | 'text'> | undefined, incoming: IncomingCopy): MergeResult {
  const inQuality = completeness(incoming.content, incoming.fields.isPreview);
  const storedQuality = completeness(storedContent, stored.isPreview);
  const verdict = compareCompleteness(inQuality, storedQuality);
  const same = storedContent && storedContent.html === incoming.content.html && storedContent.text === incoming.content.text;
  const contentReplaced = verdict.ok && !same;
  const updated: MergeChange[] = [];
  const next: Article = { ...stored };

  if (contentReplaced) {
    updated.push('content');
    next.wordCount = inQuality.words;
    next.readingMinutes = readingMinutes(inQuality.words);
    next.isPreview = inQuality.preview ? 1 : 0;
    next.captureWarning = incoming.fields.captureWarning;
    next.offline = 'pending';
  }

  // Metadata: the side whose content wins (the incoming one when at least as
  // complete) speaks first; the other fills in what it does not know.
  for (const field of METADATA_FIELDS) {
    const mine = stored[field];
    const theirs = incoming.fields[field];
    const mineKnown = known(field, mine, stored.url);
    const theirsKnown = known(field, theirs, incoming.fields.url);
    const take = theirsKnown && (!mineKnown || (verdict.ok && field !== 'guid' && field !== 'feedId'));
    if (take && theirs !== mine) {
      (next as unknown as Record<string, unknown>)[field] = theirs;
      updated.push(field);
    }
  }
  // The same post under a new address (a later copy of a guid): the web address follows the winning copy.
  if (verdict.ok && incoming.fields.url !== stored.url && /^https?:\/\//i.test(incoming.fields.url)) {
    next.url = incoming.fields.url;
    updated.push('url');
  }
  if (incoming.fields.updatedAt && incoming.fields.updatedAt > (stored.updatedAt ?? 0)) {
    next.updatedAt = incoming.fields.updatedAt;
    updated.push('updatedAt');
  }
  // The first save is the save date.
  if (incoming.fields.savedAt && incoming.fields.savedAt < stored.savedAt) {
    next.savedAt = incoming.fields.savedAt;
    updated.push('savedAt');
  }
  next.sortAt = next.publishedAt ?? stored.sortAt;

  // Reader state only moves forward.
  const state = incoming.state ?? {};
  const tags = [...new Set([...stored.tags, ...(state.tags ?? [])])];
  if (tags.length !== stored.tags.length) {
    next.tags = tags;
    updated.push('tags');
  }
  if (state.isRead && !stored.isRead) {
    next.isRead = 1;
    updated.push('isRead');
  }
  if (state.starred && !stored.starred) {
    next.starred = 1;
    updated.push('starred');
  }
  if (state.progress !== undefined && state.progress > stored.progress) {
    next.progress = Math.min(1, state.progress);
    updated.push('progress');
  }
  if (state.archived && BOX_RANK[stored.box] < BOX_RANK.archive) {
    next.box = 'archive';
    updated.push('box');
  }
  return {
    article: next,
    content: contentReplaced ? { html: incoming.content.html, text: incoming.content.text } : undefined,
    contentReplaced,
    keptBecause: verdict.ok ? undefined : verdict.reason,
    updated,
  };
}

/** Words for a UI message: “kept the fuller text; added tags, star”. */
export function describeMerge(results: Pick<MergeResult, 'contentReplaced' | 'keptBecause' | 'updated'>[]): { textUpdated: number; textKept: number; stateUpdated: number } {
  let textUpdated = 0;
  let textKept = 0;
  let stateUpdated = 0;
  for (const r of results) {
    if (r.contentReplaced) textUpdated += 1;
    else if (r.keptBecause) textKept += 1;
    if (r.updated.some((u) => u !== 'content')) stateUpdated += 1;
  }
  return { textUpdated, textKept, stateUpdated };
}
