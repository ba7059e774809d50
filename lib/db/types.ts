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
