import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { zipSync } from 'fflate';
import puppeteer, { type Browser } from 'puppeteer-core';

export const FIREFOX_EXTENSION_DIR = resolve(process.env.OFFPRINT_FIREFOX_EXTENSION_DIR ?? '.output/firefox-mv3');
const CANDIDATES = ['/usr/bin/firefox-esr', '/usr/bin/firefox', '/Applications/Firefox.app/Contents/MacOS/firefox'];

/** The Firefox to test with: $FIREFOX_PATH, else the usual install paths; undefined when there is none. */
export function findFirefox(): string | undefined {
  const fromEnv = process.env.FIREFOX_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`FIREFOX_PATH is set to ${fromEnv}, but no file is there.`);
    return fromEnv;
  }
  return CANDIDATES.find((p) => existsSync(p));
}

/** Major version of a Firefox executable ("Mozilla Firefox 153.8.0esr" -> 153). */
export function firefoxMajorVersion(executable: string): number {
  const out = execFileSync(executable, ['--version'], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
  const match = /(\d+)\.\d+/.exec(out);
  if (!match) throw new Error(`Cannot read the version of ${executable}: ${out}`);
  return Number(match[1]);
}

/** The gecko id and strict_min_version of the built Firefox extension. */
export function builtManifest(dir = FIREFOX_EXTENSION_DIR): { id: string; minVersion: string } {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) throw new Error(`No Firefox build at ${dir}: run \`npm run build:firefox\` first.`);
  const gecko = (JSON.parse(readFileSync(path, 'utf8')) as { browser_specific_settings: { gecko: { id: string; strict_min_version: string } } }).browser_specific_settings.gecko;
  return { id: gecko.id, minVersion: gecko.strict_min_version };
}

/**
 * The build packed as an .xpi, installed like a user's add-on (permanently,
 * so it survives a restart). Unsigned add-ons install this way only where
 * `xpinstall.signatures.required` may be turned off: ESR, Developer Edition,
 * Nightly and unbranded builds.
 */
function packXpi(dir: string): string {
  const files: Record<string, Uint8Array> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path);
    }
  };
  walk(dir);
  const out = join(mkdtempSync(join(tmpdir(), 'offprint-xpi-')), 'offprint.xpi');
  writeFileSync(out, zipSync(files));
  return out;
}

export interface LaunchOptions {
  /** Port of the fixture server every hostname goes to (80 and 443 are remapped to it). */
  port: number;
  /** Keep and reuse this profile (for restarts); a fresh one is made and removed otherwise. */
  profileDir?: string;
  /** Where <a download> files land. */
  downloadDir?: string;
  /** Install the build (false on a restart: the add-on is already in the profile). */
  install?: boolean;
}

export interface FirefoxSession {
  browser: Browser;
  /** moz-extension://<uuid>, fixed in advance with the uuids pref. */
  origin: string;
  uuid: string;
  profileDir: string;
  downloadDir: string;
  /** Everything Firefox printed since launch (console of extension pages included). */
  output: string[];
  close(): Promise<void>;
}

/** A uuid per launch series; the same profile keeps its uuid across restarts. */
function newUuid(): string {
  return crypto.randomUUID();
}

/**
 * Debian's Firefox ESR with the built extension installed, every hostname
 * resolved to 127.0.0.1 and ports 80/443 sent to the fixture server, the
 * test certificate accepted, and extension pages reachable over BiDi.
 */
export async function launchFirefox(options: LaunchOptions, uuid = newUuid()): Promise<FirefoxSession> {
  const executablePath = findFirefox();
  if (!executablePath) throw new Error('No Firefox found for the Firefox tests. Install one (Debian/Ubuntu: `sudo apt-get install -y firefox-esr`) or point FIREFOX_PATH at it.');
  const { id } = builtManifest();
  const profileDir = options.profileDir ?? mkdtempSync(join(tmpdir(), 'offprint-firefox-'));
  const downloadDir = options.downloadDir ?? join(profileDir, 'downloads');
  mkdirSync(downloadDir, { recursive: true });
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    userDataDir: profileDir,
    acceptInsecureCerts: true,
    defaultViewport: { width: 1100, height: 800 },
    protocolTimeout: 60_000,
    // BiDi may open moz-extension: pages only with this flag.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [id]: uuid }),
      'xpinstall.signatures.required': false,
      'extensions.webextOptionalPermissionPrompts': false,
      'network.dns.forceResolve': '127.0.0.1',
      'network.socket.forcePort': `80=${options.port};443=${options.port}`,
      'network.dns.disableIPv6': true,
      'network.proxy.type': 0,
      'dom.security.https_only_mode': false,
      // Console output of pages (extension pages included) on stdout, for extensionErrors();
      // none of Firefox's own, and no experiments (Nimbus) that log when they cannot sync.
      'devtools.console.stdout.content': true,
      'devtools.console.stdout.chrome': false,
      'messaging-system.rsexperimentloader.enabled': false,
      'app.normandy.enabled': false,
      'app.shield.optoutstudies.enabled': false,
      'browser.download.folderList': 2,
      'browser.download.dir': downloadDir,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      'browser.download.start_downloads_in_tmp_dir': false,
      'browser.download.alwaysOpenPanel': false,
    },
  });
  const output: string[] = [];
  const child = browser.process();
  child?.stdout?.on('data', (d: Buffer) => output.push(...String(d).split('\n').filter(Boolean)));
  child?.stderr?.on('data', (d: Buffer) => output.push(...String(d).split('\n').filter(Boolean)));
  try {
    if (options.install !== false) {
      const xpi = packXpi(FIREFOX_EXTENSION_DIR);
      // webExtension.install with Firefox's moz:permanent parameter; puppeteer's
      // installExtension(path) installs temporarily, and a temporary add-on is
      // gone after a restart.
      const connection = (browser as unknown as { connection?: { send(method: string, params: object): Promise<unknown> } }).connection;
      if (!connection) throw new Error('puppeteer-core no longer exposes its BiDi connection; update tests/e2e/firefox/browser.ts');
      await connection.send('webExtension.install', { extensionData: { type: 'archivePath', path: xpi }, 'moz:permanent': true });
      rmSync(xpi, { force: true });
    }
  } catch (err) {
    await browser.close();
    throw new Error(`Firefox refused to install the build: ${String(err)}`, { cause: err });
  }
  return {
    browser,
    origin: `moz-extension://${uuid}`,
    uuid,
    profileDir,
    downloadDir,
    output,
    async close() {
      await browser.close().catch(() => undefined);
      if (!options.profileDir) rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/**
 * Errors Firefox printed: uncaught exceptions and rejections in the
 * extension's pages (the event page included), and console.error calls
 * (devtools.console.stdout.content prints those without their source, so
 * a test that opens web pages of its own sees theirs too). Firefox's own
 * loggers that print whatever the prefs say are left out: Nimbus's RSLoader
 * still syncs for Firefox Labs (enabled by policy, not by a pref) and fails
 * now and then, as every hostname here resolves to the fixture server.
 */
const FIREFOX_LOGGERS = /^console\.error: RSLoader:/;

export function extensionErrors(session: FirefoxSession): string[] {
  return session.output.filter((line) => (line.startsWith('JavaScript error:') && line.includes(session.uuid)) || (line.startsWith('console.error:') && !FIREFOX_LOGGERS.test(line)));
}
