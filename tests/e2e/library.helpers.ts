import type { BrowserContext, Page } from '@playwright/test';
import { mediumAuthorFeed, postUrl, samplePosts, type MediumPostSpec } from '../fixtures/feeds/medium';
import { png } from '../fixtures/reader/articles';
import type { FixtureServer } from './harness/server';

export const ROWAN = { name: 'Rowan Vale', handle: 'rowanvale', posts: samplePosts(4) };
export const KAI = { name: 'Kai Ops', handle: 'kaiops', posts: samplePosts(3, 4) };

/** Serves both authors' Medium feeds and every post's lead image. */
export function serveFeeds(server: FixtureServer): void {
  for (const a of [ROWAN, KAI]) {
    server.route(`https://medium.com/feed/@${a.handle}`, { headers: { 'content-type': 'application/rss+xml; charset=utf-8' }, body: mediumAuthorFeed(a.posts, a.name, a.handle) });
    a.posts.forEach((p, i) => server.route(`https://cdn-images-1.medium.com/max/1024/1*${p.id}.png`, { headers: { 'content-type': 'image/png' }, body: png(120, 80, [40 + i * 50, 110, 160]) }));
  }
}

/** Follows a feed through the background, as the popup's Follow does. */
export async function follow(page: Page, handle: string): Promise<void> {
  const reply = (await page.evaluate((input) => chrome.runtime.sendMessage({ type: 'feeds:follow', payload: { input } }), `https://medium.com/feed/@${handle}`)) as { ok: boolean; error?: string };
  if (!reply.ok) throw new Error(reply.error);
}

/**
 * A speechSynthesis that speaks nothing but records what it was asked to
 * say and ends each utterance a moment later, so Listen can be checked.
 */
export async function stubSpeech(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const log = { spoken: [] as string[], cancels: 0 };
    let current: SpeechSynthesisUtterance | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stub = {
      speaking: false,
      paused: false,
      pending: false,
      getVoices: () => [{ name: 'Test Voice', lang: 'en-US', localService: true, default: true, voiceURI: 'test' }],
      speak(u: SpeechSynthesisUtterance) {
        current = u;
        log.spoken.push(u.text);
        // Long enough that a test can pause in the middle of a sentence.
        timer = setTimeout(() => current === u && u.onend?.(new Event('end') as SpeechSynthesisEvent), 1500);
      },
      cancel() {
        log.cancels += 1;
        clearTimeout(timer);
        current = undefined;
      },
      pause() {},
      resume() {},
      addEventListener() {},
      removeEventListener() {},
    };
    Object.defineProperty(window, 'speechSynthesis', { value: stub, configurable: true });
    Object.assign(window, { __speech: log });
  });
}

export function spoken(page: Page): Promise<{ spoken: string[]; cancels: number }> {
  return page.evaluate(() => (window as unknown as { __speech: { spoken: string[]; cancels: number } }).__speech);
}

export const titleOf = (p: MediumPostSpec) => p.title;
export { postUrl };

declare const chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> } };
