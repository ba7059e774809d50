import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { makeCertificate } from './certificate';

export interface FixtureResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Milliseconds to wait before answering. */
  delayMs?: number;
}

export type FixtureHandler = (req: IncomingMessage, url: URL) => FixtureResponse | Promise<FixtureResponse>;

export interface LoggedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

/**
 * One local port that answers both HTTP and HTTPS (it looks at the first
 * byte: 0x16 starts a TLS handshake), so Chromium can map every real
 * hostname to it with --host-resolver-rules and tests run in parallel
 * without fighting over ports 80 and 443.
 */
export class FixtureServer {
  readonly requests: LoggedRequest[] = [];
  private routes = new Map<string, FixtureHandler>();
  private net = createNetServer((socket) => this.dispatch(socket));
  private http = createHttpServer((req, res) => void this.answer(req, res, 'http'));
  private https = createHttpsServer(makeCertificate(), (req, res) => void this.answer(req, res, 'https'));

  static async start(): Promise<FixtureServer> {
    const server = new FixtureServer();
    await new Promise<void>((resolve) => server.net.listen(0, '127.0.0.1', resolve));
    return server;
  }

  get port(): number {
    return (this.net.address() as AddressInfo).port;
  }

  /**
   * Answers requests for a URL (scheme ignored, query ignored unless the
   * route has one). A string or response object is served as is.
   */
  route(url: string, handler: FixtureHandler | FixtureResponse | string): void {
    const fn: FixtureHandler = typeof handler === 'function' ? handler : () => (typeof handler === 'string' ? { body: handler } : handler);
    const parsed = new URL(url);
    this.routes.set(routeKey(parsed, parsed.search !== ''), fn);
  }

  /** Serves an HTML page at a URL. */
  page(url: string, html: string): void {
    this.route(url, { headers: { 'content-type': 'text/html; charset=utf-8' }, body: html });
  }

  requestsTo(url: string): LoggedRequest[] {
    const key = routeKey(new URL(url));
    return this.requests.filter((r) => routeKey(new URL(r.url)) === key);
  }

  async stop(): Promise<void> {
    this.https.closeAllConnections();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.net.close(() => resolve()));
  }

  private dispatch(socket: Socket): void {
    socket.once('readable', () => {
      const first: Buffer | null = socket.read(1);
      if (!first) return void socket.destroy();
      socket.unshift(first);
      (first[0] === 0x16 ? this.https : this.http).emit('connection', socket);
    });
    socket.on('error', () => socket.destroy());
  }

  private async answer(req: IncomingMessage, res: ServerResponse, scheme: 'http' | 'https'): Promise<void> {
    const url = new URL(`${scheme}://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`);
    this.requests.push({ method: req.method ?? 'GET', url: url.href, headers: req.headers });
    const handler = this.routes.get(routeKey(url, true)) ?? this.routes.get(routeKey(url));
    const response: FixtureResponse = handler ? await handler(req, url) : { status: 404, body: 'Not found' };
    if (response.delayMs) await new Promise((r) => setTimeout(r, response.delayMs));
    res.writeHead(response.status ?? 200, { 'cache-control': 'no-store', ...response.headers });
    res.end(response.body ?? '');
  }
}

function routeKey(url: URL, withQuery = false): string {
  return `${url.host.replace(/:\d+$/, '')}${url.pathname}${withQuery ? url.search : ''}`;
}
