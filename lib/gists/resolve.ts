import { gistFile, gistId, gistUrl, mediumMediaUrl } from './embeds';
import type { GistFile } from './gists';

/** What became of one embed. */
export type EmbedResult =
  | { kind: 'code'; gist: string; files: GistFile[] }
  /** Not a gist after all (a video, a tweet): shown as a link to what it embeds. */
  | { kind: 'other'; href: string }
  /** Could not be fetched now; the marker stays, with this reason, and is retried. */
  | { kind: 'failed'; reason: string; retryAt?: number };

export interface ResolveDeps {
  fetch: typeof fetch;
  now: () => number;
}

const TIMEOUT_MS = 20_000;
const GIST_IN_PAGE = /https?:\/\/gist\.github\.com\/(?:[\w-]+\/)?[0-9a-f]{5,40}(?:\.js)?(?:\?file=[^"'&<\s]+)?/i;

interface ApiGist {
  html_url?: string;
  files?: Record<string, { filename?: string; language?: string | null; content?: string; truncated?: boolean; raw_url?: string } | null>;
}

async function get(deps: ResolveDeps, url: string, accept?: string): Promise<Response> {
  const signal = typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(TIMEOUT_MS) : undefined;
  return deps.fetch(url, { credentials: 'omit', signal, headers: accept ? { accept } : undefined });
}

function offline(err: unknown): EmbedResult {
  const name = (err as { name?: string })?.name;
  return { kind: 'failed', reason: name === 'TimeoutError' ? 'GitHub did not answer in time.' : 'GitHub could not be reached (offline?).' };
}

/** A Medium media embed: its /href redirects to what it embeds; its page embeds the gist script. */
async function resolveMedium(url: string, deps: ResolveDeps): Promise<EmbedResult> {
  let res: Response;
  try {
    res = await get(deps, `${url}/href`);
  } catch (err) {
    const r = offline(err);
    return r.kind === 'failed' ? { ...r, reason: r.reason.replace('GitHub', 'Medium') } : r;
  }
  const landed = gistUrl(res.url);
  if (landed) return resolveGist(landed, deps);
  if (!res.ok) {
    if (res.status === 404 || res.status === 410) return { kind: 'failed', reason: 'Medium no longer has this embed (404).' };
    return { kind: 'failed', reason: `Medium answered ${res.status} for this embed.`, retryAt: retryAfter(res, deps.now()) };
  }
  const body = await res.text().catch(() => '');
  const found = gistUrl(GIST_IN_PAGE.exec(body)?.[0]);
  if (found) return resolveGist(found, deps);
  // Not code: link to what it shows.
  return { kind: 'other', href: res.url && !mediumMediaUrl(res.url) ? res.url : url };
}

function retryAfter(res: Response, now: number): number | undefined {
  const reset = Number(res.headers.get('x-ratelimit-reset'));
  if (res.headers.get('x-ratelimit-remaining') === '0' && reset > 0) return reset * 1000;
  const ra = res.headers.get('retry-after');
  if (!ra) return undefined;
  const secs = Number(ra);
  if (Number.isFinite(secs)) return now + secs * 1000;
  const at = Date.parse(ra);
  return Number.isNaN(at) ? undefined : at;
}

/** A gist's files from GitHub's gists API; truncated files are read whole from their raw URL. */
export async function resolveGist(url: string, deps: ResolveDeps): Promise<EmbedResult> {
  const id = gistId(url);
  if (!id) return { kind: 'other', href: url };
  let res: Response;
  try {
    res = await get(deps, `https://api.github.com/gists/${id}`, 'application/vnd.github+json');
  } catch (err) {
    return offline(err);
  }
  if (res.status === 404) return { kind: 'failed', reason: 'This gist was deleted or made secret (GitHub answered 404).' };
  if (res.status === 403 || res.status === 429) {
    const at = retryAfter(res, deps.now());
    const when = at ? ` Offprint tries again after ${new Date(at).toLocaleTimeString()}.` : '';
    return { kind: 'failed', reason: `GitHub limits how many gists can be read per hour, and that limit is reached.${when}`, retryAt: at };
  }
  if (!res.ok) return { kind: 'failed', reason: `GitHub answered ${res.status} for this gist.`, retryAt: retryAfter(res, deps.now()) };
  let gist: ApiGist;
  try {
    gist = (await res.json()) as ApiGist;
  } catch {
    return { kind: 'failed', reason: 'GitHub sent something that is not a gist.' };
  }
  const only = gistFile(url);
  const entries = Object.values(gist.files ?? {}).filter((f): f is NonNullable<typeof f> => !!f && typeof f.filename === 'string');
  const chosen = only ? entries.filter((f) => f.filename === only) : entries;
  if (!chosen.length) return { kind: 'failed', reason: only ? `This gist has no file named ${only}.` : 'This gist has no files.' };
  const files: GistFile[] = [];
  for (const f of chosen) {
    let content = f.content ?? '';
    if ((f.truncated || f.content === undefined) && f.raw_url) {
      try {
        const raw = await get(deps, f.raw_url);
        if (!raw.ok) return { kind: 'failed', reason: `GitHub answered ${raw.status} for ${f.filename}.` };
        content = await raw.text();
      } catch (err) {
        return offline(err);
      }
    }
    files.push({ filename: f.filename!, language: f.language ?? undefined, content });
  }
  return { kind: 'code', gist: gist.html_url ?? url, files };
}

/** Resolves one marker's URL: a gist, or a Medium media embed that may lead to one. */
export function resolveEmbed(url: string, deps: ResolveDeps): Promise<EmbedResult> {
  if (mediumMediaUrl(url)) return resolveMedium(url, deps);
  return resolveGist(url, deps);
}
