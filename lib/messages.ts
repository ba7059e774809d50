import type { Article, ArticleContent } from './db/types';
import type { CaptureTabRequest, SaveResult } from './capture/save';
import type { HtmlInput, PreparedHtml } from './dom/prepare';
import type { OfflineProgress } from './offline/images';
import type { ConnectionReport } from './sync/connection';
import type { SyncSettings, SyncStatus } from './sync/settings';
import type { CapturedPage } from './capture/capture';
import type { FillResult } from './gists/fill';

/**
 * The one message protocol between popup, reader, options, capture script,
 * offscreen document and background. Each entry maps a message type to its
 * request payload and its response.
 */
export interface Protocol {
  ping: { req: void; res: 'pong' };
  /** Recompute the toolbar badge after the UI changed the library. */
  'badge:refresh': { req: void; res: void };
  /** Store new articles (imports, tests); returns their ids. */
  'library:add': { req: { articles: NewArticle[] }; res: { ids: string[] } };
  /** Download missing images of every unread article; progress goes to kv 'offline:progress'. */
  'offline:makeUnreadReady': { req: void; res: OfflineProgress };
  /** Answered by the offscreen document: sanitize HTML and extract its text. */
  'dom:prepare': { req: { items: HtmlInput[] }; res: PreparedHtml[] };
  /** Clip the page in a tab (issue 4). Failures throw a message for the user. */
  'capture:tab': { req: CaptureTabRequest; res: SaveResult };
  /** Undo a clip that added a new article. */
  'capture:undo': { req: { id: string }; res: void };
  /** The options page stored imported articles (issue 7): refresh the badge, cache their images. */
  'io:imported': { req: { ids: string[] }; res: void };
  /** Merge followed feeds with storage.sync now (after an OPML import or an unfollow). */
  'follows:sync': { req: void; res: { addedLocally: number; removedLocally: number } };
  /** Follow an @handle, Medium URL, feed URL or page with a feed (issue 3). */
  'feeds:follow': { req: { input: string }; res: FollowReply };
  /** Check the given feeds (or all) now. */
  'feeds:refresh': { req: { feedIds?: string[] }; res: RefreshReply };
  /** Stop following; optionally move its unstarred articles to Trash. */
  'feeds:unfollow': { req: { feedId: string; deleteArticles: boolean }; res: { trashed: number } };
  /** Open a member-only preview's post in a background tab and capture it in full. */
  'feeds:full-text': { req: { articleId: string }; res: { status: 'added' | 'updated'; id: string; title: string; warning?: string } };
  // Issue 10 (trust): nothing skipped without a word.
  /** Store the author replies a follow or refresh hid (see FollowReply.hiddenReplies). */
  'feeds:show-replies': { req: { feedId: string }; res: { added: number } };
  // Issue 13 (highlights): the background broadcasts the context menu's "Highlight selection" to
  // Offprint's pages; the reader showing `pageUrl` highlights its selection (see lib/highlights/menu.ts).
  'highlights:fromMenu': { req: { pageUrl?: string }; res: void };
  // Issue 16: library sync through the user's own WebDAV server.
  /** Sync now with the saved settings; the status is also kept in kv 'sync:status'. */
  'sync:run': { req: void; res: SyncStatus };
  /** Test a folder URL, user and app password (not yet saved). */
  'sync:test': { req: { settings: SyncSettings }; res: ConnectionReport };
  /** Create the missing folder, then test it. */
  'sync:create-folder': { req: { settings: SyncSettings }; res: ConnectionReport };

  // Issue 15: embedded gists and "Fetch full text" for link-only articles.
  /** Answered by the offscreen document: the clipper's extraction on fetched HTML. */
  'dom:extract': { req: { html: string; url: string }; res: CapturedPage };
  /** Fetch the code of an article's embedded gists now (after the reader allowed the gist hosts). */
  'gists:fetch': { req: { articleId: string }; res: FillResult };
  /** Queue link-only articles for fetching their full text: the given ids, or every one. */
  'fulltext:enqueue': { req: { ids?: string[] }; res: { queued: number } };
  'fulltext:pause': { req: void; res: void };
  'fulltext:resume': { req: void; res: void };
  /** Forget the finished batch (its failures included). */
  'fulltext:clear': { req: void; res: void };
}

export interface FollowReply {
  feedId: string;
  title: string;
  added: number;
  alreadyFollowing: boolean;
  /** New author replies hidden by the "hide replies" setting; they can be shown. */
  hiddenReplies?: number;
}

export interface RefreshReply {
  checked: number;
  added: number;
  failed: number;
  hiddenReplies?: number;
}

/** What a producer (feed, clip, import) hands over to be stored. */
export type NewArticle = Omit<
  Article,
  'id' | 'box' | 'sortAt' | 'isRead' | 'starred' | 'progress' | 'isPreview' | 'isReply' | 'offline' | 'tags' | 'wordCount' | 'readingMinutes'
> &
  Partial<Pick<Article, 'tags' | 'isPreview' | 'isReply' | 'isRead' | 'starred'>> &
  Pick<ArticleContent, 'html' | 'text'>;

export type MessageType = keyof Protocol;
export type Request<K extends MessageType> = Protocol[K]['req'];
export type Response<K extends MessageType> = Protocol[K]['res'];

export interface Envelope<K extends MessageType = MessageType> {
  type: K;
  payload: Request<K>;
}

/** Errors cross the message boundary as plain data, then become Errors again. */
type Reply<T> = { ok: true; value: T } | { ok: false; error: string };

export type Handlers = {
  [K in MessageType]?: (payload: Request<K>, sender: unknown) => Promise<Response<K>> | Response<K>;
};

type Send = (message: unknown) => Promise<unknown>;

/** Sends a typed message and unwraps the reply; throws the handler's error. */
export async function sendMessage<K extends MessageType>(
  send: Send,
  type: K,
  ...payload: Request<K> extends void ? [] : [Request<K>]
): Promise<Response<K>> {
  const reply = (await send({ type, payload: payload[0] })) as Reply<Response<K>> | undefined;
  if (!reply) throw new Error(`No handler answered "${type}"`);
  if (!reply.ok) throw new Error(reply.error);
  return reply.value;
}

/**
 * Builds an onMessage listener from handlers. It returns the reply promise
 * (not sendResponse), which both browsers and WXT's fakeBrowser support, and
 * returns undefined for messages it does not handle so other listeners
 * (the offscreen document) can answer them.
 */
export function createListener(handlers: Handlers) {
  return (message: unknown, sender: unknown): Promise<Reply<unknown>> | undefined => {
    if (!isEnvelope(message)) return undefined;
    const handler = handlers[message.type] as ((p: unknown, s: unknown) => unknown) | undefined;
    if (!handler) return undefined;
    return Promise.resolve()
      .then(() => handler(message.payload, sender))
      .then(
        (value) => ({ ok: true as const, value }),
        (err: unknown) => ({ ok: false as const, error: err instanceof Error ? err.message : String(err) }),
      );
  };
}

function isEnvelope(message: unknown): message is Envelope {
  return typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string';
}
