import { test as base, expect, type BrowserContext, type Worker } from '@playwright/test';
import { PopupPage } from '../pages/popup';
import { ReaderPage } from '../pages/reader';
import { launchWithExtension } from './launch';
import { FixtureServer } from './server';

interface Fixtures {
  server: FixtureServer;
  context: BrowserContext;
  serviceWorker: Worker;
  extensionId: string;
  popup: PopupPage;
  reader: ReaderPage;
  failureScreenshots: void;
}

/**
 * Each test gets its own fixture server and a fresh Chromium profile with
 * the built extension. On failure every open page is screenshotted into the
 * test's output folder (test-results/).
 */
export const test = base.extend<Fixtures & { launched: Awaited<ReturnType<typeof launchWithExtension>> }>({
  // eslint-disable-next-line no-empty-pattern
  server: async ({}, use) => {
    const server = await FixtureServer.start();
    await use(server);
    await server.stop();
  },
  launched: async ({ server }, use) => {
    const launched = await launchWithExtension(server.port);
    await use(launched);
    await launched.close();
  },
  context: async ({ launched }, use) => use(launched.context),
  serviceWorker: async ({ launched }, use) => use(launched.serviceWorker),
  extensionId: async ({ launched }, use) => use(launched.extensionId),
  popup: async ({ context, extensionId }, use) => use(new PopupPage(context, extensionId)),
  reader: async ({ context, extensionId }, use) => use(new ReaderPage(context, extensionId)),
  failureScreenshots: [
    async ({ context }, use, testInfo) => {
      await use();
      if (testInfo.status === testInfo.expectedStatus) return;
      let n = 0;
      for (const page of context.pages()) {
        n += 1;
        const path = testInfo.outputPath(`failure-${n}.png`);
        await page.screenshot({ path, fullPage: true }).catch(() => undefined);
        await testInfo.attach(`page ${n}: ${page.url()}`, { path, contentType: 'image/png' }).catch(() => undefined);
      }
    },
    { auto: true },
  ],
});

export { expect };
