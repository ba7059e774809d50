import type { BrowserContext, Page } from '@playwright/test';
import type { NewArticle } from '../../../lib/messages';

/** Shared by page objects of the extension's own pages. */
export abstract class ExtensionPage {
  page: Page | undefined;

  constructor(
    readonly context: BrowserContext,
    readonly extensionId: string,
    /** 'moz-extension' when the Firefox adapter drives the page object (tests/e2e/firefox). */
    readonly scheme: 'chrome-extension' | 'moz-extension' = 'chrome-extension',
  ) {}

  url(path: string): string {
    return `${this.scheme}://${this.extensionId}/${path}`;
  }

  protected get current(): Page {
    if (!this.page) throw new Error('Open the page first');
    return this.page;
  }

  async openPath(path: string): Promise<Page> {
    this.page ??= await this.context.newPage();
    await this.page.goto(this.url(path));
    return this.page;
  }

  /** Stores articles through the background, as an import would. */
  async addArticles(articles: NewArticle[]): Promise<string[]> {
    const page = this.page ?? (await this.openPath('popup.html'));
    const reply = await page.evaluate((list) => chrome.runtime.sendMessage({ type: 'library:add', payload: { articles: list } }), articles);
    const typed = reply as { ok: boolean; value?: { ids: string[] }; error?: string };
    if (!typed.ok) throw new Error(typed.error);
    return typed.value!.ids;
  }
}

declare const chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> } };
