import type { BrowserContext, Page, Worker } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FixtureServer } from './harness/server';

const FIXTURES = join(import.meta.dirname, '../fixtures/capture');

export interface CaptureFixture {
  /** The URL to open (with tracking parameters, as a reader would arrive). */
  url: string;
  expected: {
    meta: Record<string, string>;
    keyText: string[];
    code: { lang?: string; text: string }[];
    images: string[];
    noise: string[];
  };
}

/** Serves tests/fixtures/capture/<slug>/source.html at its expected URL. */
export function serveCaptureFixture(server: FixtureServer, slug: string): CaptureFixture {
  const expected = JSON.parse(readFileSync(join(FIXTURES, slug, 'expected.json'), 'utf8')) as CaptureFixture['expected'] & { url: string };
  const html = readFileSync(join(FIXTURES, slug, 'source.html'), 'utf8');
  const url = new URL(expected.url);
  server.page(`${url.origin}${url.pathname}`, html);
  return { url: expected.url, expected };
}

/**
 * Clicks the extension's toolbar button on a tab, as a person would, through
 * the DevTools protocol (Extensions.triggerAction). Chrome grants `activeTab`
 * for that tab exactly as for a real click, and opens the real popup, which
 * Playwright does not attach to; the tests then use the popup page in a tab.
 */
export async function clickToolbarButton(context: BrowserContext, page: Page, extensionId: string): Promise<void> {
  const session = await context.browser()!.newBrowserCDPSession();
  try {
    const { targetInfos } = (await session.send('Target.getTargets', { filter: [{ type: 'tab' }] } as never)) as { targetInfos: { targetId: string; type: string; url: string }[] };
    const tab = targetInfos.find((t) => t.type === 'tab' && t.url === page.url());
    if (!tab) throw new Error(`No tab target for ${page.url()}`);
    await session.send('Extensions.triggerAction' as never, { id: extensionId, targetId: tab.targetId } as never);
  } finally {
    await session.detach();
  }
}

/** The browser's tab id of a page, from the service worker. */
export async function tabIdOf(serviceWorker: Worker, page: Page): Promise<number> {
  const title = await page.title();
  const id = await serviceWorker.evaluate(async (t) => {
    const tabs = await chrome.tabs.query({});
    return tabs.find((tab) => tab.title === t)?.id;
  }, title);
  if (id === undefined) throw new Error(`No tab titled ${title}`);
  return id;
}

/** Runs the context-menu or shortcut listener the background registered. */
export async function runListener(serviceWorker: Worker, kind: 'contextMenu' | 'command', arg: string, tabId: number): Promise<void> {
  await serviceWorker.evaluate(
    async ({ kind, arg, tabId }) => {
      const listeners = (globalThis as unknown as { offprintListeners: Record<string, (a: unknown, tab: { id: number }) => Promise<void> | undefined> }).offprintListeners;
      const first = kind === 'contextMenu' ? { menuItemId: arg, editable: false, pageUrl: '' } : arg;
      // Not awaited: the badge flash lasts seconds; tests watch the badge instead.
      void listeners[kind]!(first, { id: tabId });
    },
    { kind, arg, tabId },
  );
}

export async function badgeText(serviceWorker: Worker, tabId: number): Promise<string> {
  return serviceWorker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
}

declare const chrome: {
  tabs: { query(q: object): Promise<{ id?: number; title?: string }[]> };
  action: { getBadgeText(d: { tabId: number }): Promise<string> };
};
