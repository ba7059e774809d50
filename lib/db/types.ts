// Record shapes stored in IndexedDB. Flags are 0/1 numbers because
// IndexedDB cannot index booleans.
export type Flag = 0 | 1;

/** Where an article came from. */
export type ArticleSource = 'feed' | 'clip' | 'import';

/**
 * Which list an article sits in. Inbox holds unarchived feed articles, Saved
 * holds unarchived clips and imports; Trash holds soft-deleted articles until
 * their undo window passes, so a delete never loses data by accident.
 */
export type Box = 'inbox' | 'saved' | 'archive' | 'trash';

/** Whether every image of an article is stored locally. */
export type OfflineState = 'pending' | 'ready' | 'partial';

/** Article metadata: everything a list row needs, and nothing heavy. */
export interface Article {
  id: string;
  /** Canonical URL with tracking parameters removed. */
  url: string;
  /** Feed guid (for Medium: https://medium.com/p/<id>). */
  guid?: string;
  feedId?: string;
  source: ArticleSource;
  box: Box;
  title: string;
  author?: string;
  siteName?: string;
  lang?: string;
  excerpt?: string;
  leadImage?: string;
  tags: string[];
  publishedAt?: number;
  updatedAt?: number;
  savedAt: number;
  /** List order key: publishedAt when known, else savedAt. */
  sortAt: number;
  wordCount: number;
  readingMinutes: number;
  isRead: Flag;
  starred: Flag;
  /** Reading progress, 0..1. */
  progress: number;
  /** Member-only Medium post stored as a preview. */
  isPreview: Flag;
  /** Medium author reply (feed item without categories). */
  isReply: Flag;
  offline: OfflineState;
  /** Shown in the reader when a capture fell back to the page's main text. */
  captureWarning?: string;
  /** When it went to Trash; purged after the undo window. */
  deletedAt?: number;
  /** The box it left for Trash, so undo puts it back where it was. */
  trashedFrom?: Box;
}

/** The heavy part of an article, kept apart so lists never load it. */
export interface ArticleContent {
  id: string;
  /** Sanitized HTML. Sanitized again whenever it is shown. */
  html: string;
  /** Plain text for search; code keeps its line breaks. */
  text: string;
}

export type FeedKind = 'medium-user' | 'medium-publication' | 'medium-tag' | 'medium-custom-domain' | 'web';

export interface Feed {
  id: string;
  /** Feed URL; permanent redirects update it. */
  url: string;
  siteUrl?: string;
  title: string;
  kind: FeedKind;
  iconUrl?: string;
  /** Folder from an OPML import, or set by the user. */
  folder?: string;
  addedAt: number;
  lastCheckedAt?: number;
  nextCheckAt: number;
  etag?: string;
  lastModified?: string;
  /** Consecutive failures, for exponential backoff. */
  failures: number;
  lastError?: string;
  lastErrorAt?: number;
  /** Set when one poll brought as many new items as the feed holds. */
  mayHaveMissed?: Flag;
}

/** An image stored for offline reading, shared by every article using it. */
export interface CachedImage {
  url: string;
  blob: Blob;
  type: string;
  bytes: number;
  articleIds: string[];
  fetchedAt: number;
}

/** Small key/value records (index versions, counters, last poll run). */
export interface KeyValue {
  key: string;
  value: unknown;
}

// Highlights and notes (issue 13, schema version 4).

export type HighlightColor = 'yellow' | 'green' | 'blue' | 'pink';
export const HIGHLIGHT_COLORS: readonly HighlightColor[] = ['yellow', 'green', 'blue', 'pink'];

/** W3C Web Annotation TextQuoteSelector: the exact text and a little context either side. */
export interface TextQuoteSelector {
  type: 'TextQuoteSelector';
  exact: string;
  prefix: string;
  suffix: string;
}

/** W3C Web Annotation TextPositionSelector over the rendered article text: a hint only. */
export interface TextPositionSelector {
  type: 'TextPositionSelector';
  start: number;
  end: number;
}

/** A highlighted passage of an article, with an optional note (Markdown). */
export interface Highlight {
  id: string;
  articleId: string;
  color: HighlightColor;
  quote: TextQuoteSelector;
  position: TextPositionSelector;
  /** Markdown; '' for none. */
  note: string;
  createdAt: number;
  updatedAt: number;
  /** 0 when the article's current text no longer holds the quote ("could not be placed"). */
  placed: Flag;
}

/** The one note on an article as a whole (Markdown). */
export interface ArticleNote {
  articleId: string;
  note: string;
  updatedAt: number;
}
