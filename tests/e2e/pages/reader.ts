import type { Locator, Page } from '@playwright/test';
import { ExtensionPage } from './extension-page';

/** The full-tab reader page. */
export class ReaderPage extends ExtensionPage {
  async open(articleId: string): Promise<Page> {
    return this.openPath(`reader.html?id=${encodeURIComponent(articleId)}`);
  }

  /** Adopts a reader tab opened by the extension itself. */
  attach(page: Page): this {
    this.page = page;
    return this;
  }

  get title(): Locator {
    return this.current.getByRole('heading', { level: 1 });
  }

  get body(): Locator {
    return this.current.locator('.article-body');
  }
}
