import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real WebDAV server for tests and benches: Debian's rclone
 * (`rclone serve webdav`) on 127.0.0.1, serving a fresh directory, with a
 * user and password. No mock: every test talks HTTP to it.
 */
export interface WebdavServer {
  url: string;
  port: number;
  dir: string;
  user: string;
  pass: string;
  /** Stops the server, keeping the directory (a later start on it resumes). */
  stop(): Promise<void>;
  /** Starts it again on the same port and directory. */
  restart(): Promise<void>;
  /** Stops and removes the directory. */
  dispose(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitUp(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`rclone exited: ${log()}`);
    try {
      await fetch(url, { method: 'OPTIONS' });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`rclone did not start: ${log()}`);
}

export async function startWebdav(options: { user?: string; pass?: string; dir?: string } = {}): Promise<WebdavServer> {
  const user = options.user ?? 'reader';
  const pass = options.pass ?? 'app-password-1';
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'offprint-dav-'));
  const port = await freePort();
  const url = `http://localhost:${port}/`;
  let child: ChildProcess | undefined;
  let output = '';
  const start = async () => {
    if (child && child.exitCode === null) return; // Still running: nothing to restart.
    output = '';
    child = spawn(process.env.RCLONE_PATH ?? 'rclone', ['serve', 'webdav', dir, '--addr', `127.0.0.1:${port}`, '--user', user, '--pass', pass, '--config', '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    await waitUp(url, child, () => output);
  };
  const stop = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
    });
  };
  await start();
  return {
    url,
    port,
    dir,
    user,
    pass,
    stop,
    restart: start,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
