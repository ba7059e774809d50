/**
 * A small WebDAV client on plain fetch: PROPFIND, GET, PUT, MOVE, MKCOL and
 * DELETE are all sync needs, and fetch is the one HTTP API that exists in
 * Chrome's service worker and Firefox's event page alike (the npm `webdav`
 * client brings XML and Node polyfills for features we do not use). Paths are
 * relative to the sync folder. Every failure becomes a DavError with a plain
 * message and a problem code the UI can act on.
 */
export type DavProblem = 'unreachable' | 'auth' | 'forbidden' | 'missing' | 'not-webdav' | 'full' | 'server' | 'cut-short';

export class DavError extends Error {
  constructor(
    message: string,
    readonly problem: DavProblem,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface DavSettings {
  /** The folder URL. */
  url: string;
  user: string;
  password: string;
}

export interface DavEntry {
  /** Path relative to the folder, without a trailing slash; '' is the folder itself. */
  path: string;
  isFolder: boolean;
  size?: number;
  availableBytes?: number;
}

export interface DavClient {
  readonly folderUrl: string;
  propfind(path: string, depth: 0 | 1): Promise<DavEntry[]>;
  /** undefined when the file does not exist. */
  get(path: string): Promise<Uint8Array | undefined>;
  put(path: string, body: Uint8Array): Promise<void>;
  /** Writes whole or not at all: PUT to a temporary name, then MOVE over the real one. */
  putAtomic(path: string, body: Uint8Array): Promise<void>;
  move(from: string, to: string): Promise<void>;
  /** Creates a folder; an existing one is fine. */
  mkcol(path: string): Promise<void>;
  remove(path: string): Promise<void>;
  /** Bytes sent and received so far (request and response bodies). */
  readonly traffic: { sent: number; received: number; requests: number };
}

type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

export function folderUrlOf(url: string): string {
  const u = new URL(url.trim());
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  u.hash = '';
  u.search = '';
  return u.toString();
}

function basicAuth(user: string, password: string): string {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return `Basic ${btoa(s)}`;
}

export function problemOfStatus(status: number, host: string): DavError {
  if (status === 401) return new DavError(`${host} refused the login: check the user name and the app password.`, 'auth', status);
  if (status === 403) return new DavError(`${host} does not allow this account to use that folder (403 Forbidden).`, 'forbidden', status);
  if (status === 404 || status === 409) return new DavError(`The folder does not exist on ${host}.`, 'missing', status);
  if (status === 405 || status === 501) return new DavError(`${host} answers, but not as a WebDAV folder (${status}). Check the folder address (for Nextcloud it ends in /remote.php/dav/files/<user>/<folder>/).`, 'not-webdav', status);
  if (status === 507 || status === 413) return new DavError(`${host} is out of space for this account (${status}).`, 'full', status);
  return new DavError(`${host} answered ${status} (a server error); sync will try again later.`, 'server', status);
}

export function createDavClient(settings: DavSettings, fetchFn: FetchFn): DavClient {
  const folderUrl = folderUrlOf(settings.url);
  const host = new URL(folderUrl).host;
  const auth = basicAuth(settings.user, settings.password);
  const traffic = { sent: 0, received: 0, requests: 0 };
  const urlOf = (path: string) => new URL(path.split('/').map(encodeURIComponent).join('/'), folderUrl).toString();

  async function request(method: string, path: string, init: { body?: Uint8Array | string; headers?: Record<string, string> } = {}): Promise<Response> {
    const body = typeof init.body === 'string' ? new TextEncoder().encode(init.body) : init.body;
    traffic.requests += 1;
    traffic.sent += body?.length ?? 0;
    try {
      return await fetchFn(urlOf(path), {
        method,
        headers: { Authorization: auth, ...init.headers },
        body: body as BodyInit | undefined,
        credentials: 'omit',
        cache: 'no-store',
        redirect: 'follow',
      });
    } catch {
      throw new DavError(`Could not reach ${host}: check the address, your network, and that the server is running.`, 'unreachable');
    }
  }

  async function bytesOf(res: Response): Promise<Uint8Array> {
    const buf = new Uint8Array(await res.arrayBuffer());
    traffic.received += buf.length;
    return buf;
  }

  async function expectOk(res: Response, allowed: number[] = []): Promise<void> {
    await bytesOf(res);
    if (!res.ok && !allowed.includes(res.status)) throw problemOfStatus(res.status, host);
  }

  const client: DavClient = {
    folderUrl,
    traffic,
    async propfind(path, depth) {
      const res = await request('PROPFIND', path, {
        headers: { Depth: String(depth), 'Content-Type': 'application/xml; charset=utf-8' },
        body: '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/><d:getcontentlength/><d:quota-available-bytes/></d:prop></d:propfind>',
      });
      const text = new TextDecoder().decode(await bytesOf(res));
      if (res.status !== 207) {
        if (res.ok) throw new DavError(`${host} answers, but not as a WebDAV folder (it sent a web page). Check the folder address.`, 'not-webdav', res.status);
        throw problemOfStatus(res.status, host);
      }
      return parseMultistatus(text, new URL(urlOf(path)).pathname, new URL(folderUrl).pathname);
    },
    async get(path) {
      const res = await request('GET', path);
      if (res.status === 404) {
        await bytesOf(res);
        return undefined;
      }
      if (!res.ok) {
        await bytesOf(res);
        throw problemOfStatus(res.status, host);
      }
      try {
        return await bytesOf(res);
      } catch {
        throw new DavError(`The download of ${path} from ${host} was cut short.`, 'cut-short');
      }
    },
    async put(path, body) {
      await expectOk(await request('PUT', path, { body, headers: { 'Content-Type': 'application/octet-stream' } }));
    },
    async putAtomic(path, body) {
      const tmp = `${path}.tmp-${Math.random().toString(36).slice(2, 10)}`;
      await client.put(tmp, body);
      try {
        await client.move(tmp, path);
      } catch (err) {
        await client.remove(tmp).catch(() => undefined);
        throw err;
      }
    },
    async move(from, to) {
      await expectOk(await request('MOVE', from, { headers: { Destination: urlOf(to), Overwrite: 'T' } }));
    },
    async mkcol(path) {
      // 405: it exists already.
      await expectOk(await request('MKCOL', path), [405]);
    },
    async remove(path) {
      await expectOk(await request('DELETE', path), [404]);
    },
  };
  return client;
}

function tagRe(name: string, flags = ''): RegExp {
  return new RegExp(`<(?:[A-Za-z][\\w.-]*:)?${name}\\b[^>]*>([\\s\\S]*?)</(?:[A-Za-z][\\w.-]*:)?${name}>`, flags);
}

/** The responses of a 207 Multi-Status, by path relative to the folder. Regexes, as a worker has no DOMParser. */
export function parseMultistatus(xml: string, requestPath: string, folderPath: string): DavEntry[] {
  const out: DavEntry[] = [];
  for (const m of xml.matchAll(tagRe('response', 'g'))) {
    const block = m[1] ?? '';
    const hrefRaw = tagRe('href').exec(block)?.[1]?.trim();
    if (!hrefRaw) continue;
    let path: string;
    try {
      path = decodeURIComponent(new URL(decodeXml(hrefRaw), 'http://x').pathname);
    } catch {
      continue;
    }
    const folder = decodeURIComponent(folderPath);
    if (!path.startsWith(folder)) {
      if (decodeURIComponent(requestPath) !== path) continue;
    }
    const rel = path.startsWith(folder) ? path.slice(folder.length).replace(/\/$/, '') : '';
    const isFolder = /<(?:[A-Za-z][\w.-]*:)?collection\b/.test(block);
    const size = numberIn(block, 'getcontentlength');
    const avail = numberIn(block, 'quota-available-bytes');
    out.push({ path: rel, isFolder, ...(size !== undefined ? { size } : {}), ...(avail !== undefined ? { availableBytes: avail } : {}) });
  }
  return out;
}

function numberIn(block: string, tag: string): number | undefined {
  const text = tagRe(tag).exec(block)?.[1]?.trim() ?? '';
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

function decodeXml(s: string): string {
  return s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
}
