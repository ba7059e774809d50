import type { SaveResult } from '../capture/save';
import type { OffprintDB } from '../db/schema';

/** Browser tab operations "Get full text" needs, injected for tests. */
export interface FullTextDeps {
  db: OffprintDB;
  /** Opens a URL in a background tab of the reader's own browser (their own Medium session). */
  openTab: (url: string) => Promise<number>;
  /** Resolves once the tab finished loading. */
  waitForLoad: (tabId: number) => Promise<void>;
  closeTab: (tabId: number) => Promise<void>;
  /** The clipper's capture of a tab with Readability; stores by canonical URL. */
  captureTab: (tabId: number) => Promise<SaveResult>;
}

/**
 * Upgrades a member-only preview: the post is opened in a background tab,
 * where a member's own session shows the whole text, captured, and stored
 * over the preview (same canonical URL), keeping read state, star and tags.
 */
export async function getFullText(articleId: string, deps: FullTextDeps): Promise<SaveResult> {
  const article = await deps.db.articles.get(articleId);
  if (!article) throw new Error('This article is no longer in your library.');
  const tabId = await deps.openTab(article.url);
  try {
    await deps.waitForLoad(tabId);
    const result = await deps.captureTab(tabId);
    const after = await deps.db.articles.get(articleId);
    if (after?.isPreview) {
      return { ...result, warning: result.warning ?? 'Medium still showed only a preview. Sign in to Medium in this browser as a member, then try again.' };
    }
    return result;
  } finally {
    await deps.closeTab(tabId).catch(() => undefined);
  }
}
