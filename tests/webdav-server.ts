import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real WebDAV server for tests and benches: Debian's rclone
 * (`rclone serve webdav`) on 127.0.0.1, serving a fresh directory, with a
 * user and password. No mock: every test talks HTTP to it.
 * `OFFPRINT_DAV=apache` runs Apache's mod_dav instead (Debian's apache2), a
 * server with other habits (full-URL hrefs, 201/204 answers, its own locking).
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
    if (child.exitCode !== null) throw new Error(`WebDAV server exited: ${log()}`);
    try {
      await fetch(url, { method: 'OPTIONS' });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`WebDAV server did not start: ${log()}`);
}

/** Apache httpd with mod_dav in the foreground; started by root it runs as www-data (it will not run as root). */
function apacheCommand(dir: string, port: number, user: string, pass: string): [string, string[]] {
  const conf = mkdtempSync(join(tmpdir(), 'offprint-apache-'));
  const asRoot = process.getuid?.() === 0;
  const m = (name: string) => `LoadModule ${name}_module /usr/lib/apache2/modules/mod_${name}.so`;
  execFileSync('htpasswd', ['-bc', join(conf, 'htpasswd'), user, pass], { stdio: 'ignore' });
  writeFileSync(
    join(conf, 'httpd.conf'),
    [
      'ServerRoot /etc/apache2',
      'ServerName localhost',
      `Listen 127.0.0.1:${port}`,
      `PidFile ${conf}/httpd.pid`,
      `ErrorLog ${conf}/error.log`,
      ...['mpm_event', 'authz_core', 'authn_core', 'auth_basic', 'authn_file', 'authz_user', 'dav', 'dav_fs'].map(m),
      ...(asRoot ? ['User www-data', 'Group www-data'] : []),
      `DavLockDB ${conf}/DavLock`,
      `DocumentRoot ${dir}`,
      `<Directory ${dir}>`,
      '  Dav On',
      '  AuthType Basic',
      '  AuthName "Offprint test"',
      `  AuthUserFile ${conf}/htpasswd`,
      '  Require valid-user',
      '</Directory>',
    ].join('\n'),
  );
  if (asRoot) {
    // The tests write into the served folder too (a truncated file by hand): both may write.
    execFileSync('chown', ['-R', 'www-data:www-data', conf, dir]);
    chmodSync(dir, 0o777);
  }
  return [process.env.APACHE_PATH ?? 'apache2', ['-f', join(conf, 'httpd.conf'), '-DFOREGROUND']];
}

export async function startWebdav(options: { user?: string; pass?: string; dir?: string } = {}): Promise<WebdavServer> {
  const user = options.user ?? 'reader';
  const pass = options.pass ?? 'app-password-1';
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'offprint-dav-'));
  const port = await freePort();
  const url = `http://localhost:${port}/`;
  let child: ChildProcess | undefined;
  let output = '';
  let apache: [string, string[]] | undefined; // Its config, made once: a restart reuses it.
  const start = async () => {
    if (child && child.exitCode === null) return; // Still running: nothing to restart.
    output = '';
    const [command, args] =
      process.env.OFFPRINT_DAV === 'apache'
        ? (apache ??= apacheCommand(dir, port, user, pass))
        : [process.env.RCLONE_PATH ?? 'rclone', ['serve', 'webdav', dir, '--addr', `127.0.0.1:${port}`, '--user', user, '--pass', pass, '--config', '/dev/null']];
    child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
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
