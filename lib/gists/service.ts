import { articlesWithPendingCode, fillGists, type FillDeps, type FillResult } from './fill';

export interface GistServiceDeps extends FillDeps {
  /** Asks to be woken at a time (rate limits): the background sets an alarm. */
  scheduleRetry: (at: number) => void;
}

/** The background's gist work: fill pending embeds after articles are stored, and on request. */
export function createGistService(deps: GistServiceDeps) {
  /** Fills what it can; returns the ids of articles that got code. */
  async function fillArticles(ids?: string[]): Promise<string[]> {
    const pending = await articlesWithPendingCode(deps.db, ids);
    if (!pending.length || !(await deps.allowed())) return [];
    let retryAt: number | undefined;
    const filled: string[] = [];
    for (const id of pending) {
      const result = await fillGists(id, deps).catch(() => undefined);
      if (result?.filled) filled.push(id);
      if (result?.retryAt && (!retryAt || result.retryAt < retryAt)) retryAt = result.retryAt;
    }
    if (retryAt) deps.scheduleRetry(retryAt);
    return filled;
  }
  return {
    fillArticles,
    /** "Fetch code" on one article; then every other article waiting for code, in the background. */
    async fetchNow(articleId: string, after: (ids: string[]) => Promise<void>): Promise<FillResult> {
      const result = await fillGists(articleId, deps);
      if (result.retryAt) deps.scheduleRetry(result.retryAt);
      await after([articleId]);
      void fillArticles().then(after, () => undefined);
      return result;
    },
  };
}
