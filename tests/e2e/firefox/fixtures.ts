import { test as base, expect as baseExpect, type BrowserContext } from '@playwright/test';
import { rmSync, writeFileSync } from 'node:fs';
import { FixtureServer } from '../harness/server';
import { PopupPage } from '../pages/popup';
import { ReaderPage } from '../pages/reader';
import { FirefoxContext } from './adapter';
import { extensionErrors, launchFirefox, type FirefoxSession, type LaunchOptions } from './browser';
import { locatorMatchers } from './matchers';

interface Fixtures {
  server: FixtureServer;
  firefox: FirefoxSession;
  /**
   * The Firefox session behind Playwright's BrowserContext type: specs and
   * page objects are written against Playwright's API, and the adapter
   * (adapter.ts) implements the part of it they use.
   */
  context: BrowserContext;
  /** moz-extension://<uuid> of the installed build. */
  origin: string;
  popup: PopupPage;
  reader: ReaderPage;
  /** Restarts Firefox on the same profile, as a user closing and reopening it; page objects for the new session. */
  restart: () => Promise<{ firefox: FirefoxSession; context: BrowserContext; popup: PopupPage; reader: ReaderPage }>;
  /** Set with test.use() in a spec that expects the extension to log errors (none does yet). */
  allowExtensionErrors: boolean;
  failureArtifacts: void;
}

/** The shared page objects, pointed at Firefox through the adapter. */
export function pageObjects(context: FirefoxContext, session: FirefoxSession): { popup: PopupPage; reader: ReaderPage } {
  const ctx = context as unknown as BrowserContext;
  return { popup: new PopupPage(ctx, session.uuid, 'moz-extension'), reader: new ReaderPage(ctx, session.uuid, 'moz-extension') };
}

/**
 * Each test gets its own fixture server and a fresh Firefox profile with the
 * built extension installed, and fails if the extension logged an error
 * (uncaught exception or console.error) while it ran. On failure, screenshots of every tab and
 * Firefox's own output are kept in the test's folder (test-results-firefox/).
 */
export const test = base.extend<Fixtures & { session: { current: FirefoxSession; context: FirefoxContext; earlierErrors: string[] } }>({
  // eslint-disable-next-line no-empty-pattern
  server: async ({}, use) => {
    const server = await FixtureServer.start();
    await use(server);
    await server.stop();
  },
  session: async ({ server }, use) => {
    const options: LaunchOptions = { port: server.port };
    const current = await launchFirefox(options);
    const holder = { current, context: new FirefoxContext(current.browser), earlierErrors: [] as string[] };
    await use(holder);
    await holder.current.close();
    rmSync(current.profileDir, { recursive: true, force: true });
  },
  firefox: async ({ session }, use) => use(session.current),
  context: async ({ session }, use) => use(session.context as unknown as BrowserContext),
  origin: async ({ session }, use) => use(session.current.origin),
  popup: async ({ session }, use) => use(pageObjects(session.context, session.current).popup),
  reader: async ({ session }, use) => use(pageObjects(session.context, session.current).reader),
  restart: async ({ session, server }, use) => {
    await use(async () => {
      const { profileDir, downloadDir, uuid } = session.current;
      session.earlierErrors.push(...extensionErrors(session.current));
      await session.current.browser.close();
      session.current = await launchFirefox({ port: server.port, profileDir, downloadDir, install: false }, uuid);
      session.context = new FirefoxContext(session.current.browser);
      return { firefox: session.current, context: session.context as unknown as BrowserContext, ...pageObjects(session.context, session.current) };
    });
  },
  allowExtensionErrors: [false, { option: true }],
  failureArtifacts: [
    async ({ session, allowExtensionErrors }, use, testInfo) => {
      await use();
      const path = testInfo.outputPath('firefox-output.txt');
      writeFileSync(path, session.current.output.join('\n'));
      // Every test also checks that nothing in the extension threw or logged an error meanwhile.
      const errors = allowExtensionErrors ? [] : [...session.earlierErrors, ...extensionErrors(session.current)];
      if (testInfo.status === testInfo.expectedStatus && errors.length === 0) return;
      await testInfo.attach('firefox output', { path, contentType: 'text/plain' });
      let n = 0;
      for (const page of await session.context.refresh().catch(() => [])) {
        n += 1;
        const shot = testInfo.outputPath(`failure-${n}.png`);
        await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
        await testInfo.attach(`tab ${n}`, { path: shot, contentType: 'image/png' }).catch(() => undefined);
      }
      if (errors.length) throw new Error(`The extension logged errors in Firefox:\n${errors.join('\n')}`);
    },
    { auto: true },
  ],
});

/** Playwright's expect, with the locator assertions working on Firefox locators. */
export const expect = baseExpect.extend(locatorMatchers);
