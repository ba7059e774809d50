import type { Locator, Page } from '@playwright/test';
import { ExtensionPage } from './extension-page';

/** The toolbar popup, opened as a tab (popup.html) the way tests can reach it. */
export class PopupPage extends ExtensionPage {
  async open(): Promise<Page> {
    const page = await this.openPath('popup.html');
    await page.getByRole('heading', { name: 'Offprint', exact: true }).waitFor();
    return page;
  }

  tab(name: string): Locator {
    return this.current.getByRole('tab', { name: new RegExp(`^${name}\\b`) });
  }

  get articleList(): Locator {
    return this.current.getByRole('list', { name: 'Articles' });
  }

  article(title: string): Locator {
    return this.current.getByRole('button', { name: title, exact: true });
  }

  get welcome(): Locator {
    return this.current.getByRole('heading', { name: 'Welcome to Offprint' });
  }

  async openArticle(title: string): Promise<void> {
    await this.article(title).click();
    await this.current.getByRole('heading', { level: 1, name: title }).waitFor();
  }

  /** Clicks "Open in tab" and returns the reader page it opened. */
  async openInTab(): Promise<Page> {
    const popup = this.current;
    const opened = this.context.waitForEvent('page');
    // The popup closes itself as it opens the tab, sometimes before the click returns.
    await popup
      .getByRole('button', { name: 'Open in tab' })
      .click()
      .catch((err: unknown) => {
        if (!popup.isClosed()) throw err;
      });
    const reader = await opened;
    await reader.waitForLoadState();
    return reader;
  }
}
