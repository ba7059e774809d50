import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from './fixtures';
import { EXTENSION_DIR, launchWithExtension } from './launch';

/**
 * A copy of the built extension whose manifest already holds some optional
 * host permissions. Headless Chromium cannot answer the browser's permission
 * prompt, so tests of features that ask for hosts (gists, "Fetch full text")
 * start with them granted; `permissions.request` then resolves true at once,
 * as it does for a user who allowed them before.
 */
export function grantedExtensionDir(origins: string[]): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'offprint-granted-')), 'chrome-mv3');
  cpSync(EXTENSION_DIR, dir, { recursive: true });
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { host_permissions?: string[] };
  manifest.host_permissions = [...new Set([...(manifest.host_permissions ?? []), ...origins])];
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  return dir;
}

/** The standard fixtures, on an extension with these hosts granted. */
export function testWithHosts(origins: string[]) {
  return base.extend<{ extensionDir: string }>({
    // eslint-disable-next-line no-empty-pattern
    extensionDir: async ({}, use) => use(grantedExtensionDir(origins)),
    launched: async ({ server, extensionDir }, use) => {
      const launched = await launchWithExtension(server.port, { extensionDir });
      await use(launched);
      await launched.close();
    },
  });
}
