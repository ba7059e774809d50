// `npm run test:firefox`: builds the Firefox extension and runs the Firefox
// end-to-end suite (playwright.firefox.config.ts). With --if-present (as
// `npm test` calls it) a machine without Firefox skips the suite with one
// line saying so (not in CI); asked for directly, a missing Firefox is an error.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { findFirefox, firefoxMajorVersion } from './browser';

const args = process.argv.slice(2);
// In CI a missing or too old Firefox fails: .ci/run installs it, so a skip there would hide a gap.
const ifPresent = args.includes('--if-present') && !process.env.CI;
const passThrough = args.filter((a) => a !== '--if-present');

const how = 'install firefox-esr (Debian/Ubuntu: `sudo apt-get install -y firefox-esr`) or set FIREFOX_PATH';

/** Skips (with --if-present outside CI) or fails, with one line saying why. */
function unavailable(why: string): never {
  if (ifPresent) {
    console.log(`Firefox e2e: skipped, ${why}.`);
    process.exit(0);
  }
  console.error(`Firefox e2e: ${why}.`);
  process.exit(1);
}

let firefox: string | undefined;
try {
  firefox = findFirefox();
} catch (err) {
  console.error(`Firefox e2e: ${(err as Error).message}`);
  process.exit(1);
}
if (!firefox) unavailable(`no Firefox found (${how})`);
let version: number;
try {
  version = firefoxMajorVersion(firefox);
} catch (err) {
  const detail = String((err as { stderr?: string }).stderr || (err as Error).message).trim().split('\n')[0];
  unavailable(`${firefox} does not run (${detail}); ${how}`);
}

const run = (cmd: string, argv: string[]) => spawnSync(cmd, argv, { stdio: 'inherit' }).status ?? 1;

if (run('npx', ['wxt', 'build', '-b', 'firefox']) !== 0) process.exit(1);

const manifest = JSON.parse(readFileSync('.output/firefox-mv3/manifest.json', 'utf8')) as { browser_specific_settings: { gecko: { strict_min_version: string } } };
const minimum = Number.parseInt(manifest.browser_specific_settings.gecko.strict_min_version, 10);
if (version < minimum) unavailable(`${firefox} is Firefox ${version}; Offprint needs Firefox ${minimum} or newer (strict_min_version in wxt.config.ts)`);
console.log(`Firefox e2e: ${firefox} (Firefox ${version}; Offprint needs ${minimum}+)`);
process.exit(run('npx', ['playwright', 'test', '-c', 'playwright.firefox.config.ts', ...passThrough]));
