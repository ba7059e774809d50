import type { OffprintDB } from '../db/schema';
import type { PrepareHtml } from '../dom/prepare';
import { fillPlaceholders } from '../library/content';
import { embedLinkHtml, gistFilesHtml, hasPendingCode, pendingGists, replaceMarkers } from './gists';
import { resolveEmbed, type ResolveDeps } from './resolve';

export interface FillDeps extends ResolveDeps {
  db: OffprintDB;
  prepare: PrepareHtml;
  /** Whether the gist hosts may be read: an optional permission, asked for from a click. */
  allowed: () => Promise<boolean>;
}

export interface FillResult {
  /** Embeds now stored as code (or as a link, when they were not code). */
  filled: number;
  /** Embeds still waiting for their code. */
  pending: number;
  /** Why each waiting embed could not be fetched, by its URL. */
  reasons: Record<string, string>;
  needsPermission?: boolean;
  /** Earliest time worth trying again (rate limits). */
  retryAt?: number;
}

export const failuresKey = (articleId: string) => `gists:failures:${articleId}`;

/**
 * Fetches the code of every embedded gist of an article still showing a
 * placeholder, and stores the article again with the files in place, through
 * the library. Placeholders that cannot be filled stay, with their reason
 * kept in kv for the reader to show.
 */
export async function fillGists(articleId: string, deps: FillDeps): Promise<FillResult> {
  const content = await deps.db.contents.get(articleId);
  const article = await deps.db.articles.get(articleId);
  if (!content || !article || !hasPendingCode(content.html)) return { filled: 0, pending: 0, reasons: {} };
  const urls = pendingGists(content.html);
  if (!(await deps.allowed())) {
    return { filled: 0, pending: urls.length, reasons: {}, needsPermission: true };
  }
  const replacements = new Map<string, string>();
  const reasons: Record<string, string> = {};
  let retryAt: number | undefined;
  for (const url of urls) {
    const result = await resolveEmbed(url, deps);
    if (result.kind === 'code') replacements.set(url, gistFilesHtml(result.files, url));
    else if (result.kind === 'other') replacements.set(url, embedLinkHtml(result.href, url));
    else {
      reasons[url] = result.reason;
      if (result.retryAt && (!retryAt || result.retryAt < retryAt)) retryAt = result.retryAt;
    }
  }
  if (replacements.size) {
    const [prepared] = await deps.prepare([{ html: replaceMarkers(content.html, replacements), baseUrl: article.url }]);
    // The stored text changed meanwhile (a full-text upgrade): its own embeds are filled next time.
    if (prepared && (await fillPlaceholders(deps.db, articleId, content.html, prepared.html, prepared.text)) !== 'filled') return { filled: 0, pending: 0, reasons: {} };
  }
  const pending = urls.length - replacements.size;
  if (pending) await deps.db.kv.put({ key: failuresKey(articleId), value: reasons });
  else await deps.db.kv.delete(failuresKey(articleId));
  return { filled: replacements.size, pending, reasons, ...(retryAt ? { retryAt } : {}) };
}

/** Ids of stored articles whose embedded code is still missing (for "make offline-ready"). */
export async function articlesWithPendingCode(db: OffprintDB, ids?: string[]): Promise<string[]> {
  const out: string[] = [];
  // Missing code keeps an article from "ready": only the others can be waiting for it.
  const candidates = ids ?? (await db.articles.where('offline').anyOf('pending', 'partial').primaryKeys());
  const scan = db.contents.where('id').anyOf(candidates);
  await scan.each((c) => {
    if (hasPendingCode(c.html)) out.push(c.id);
  });
  return out;
}
