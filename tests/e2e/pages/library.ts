import type { Locator, Page } from '@playwright/test';
import { ExtensionPage } from './extension-page';

/** The full-tab library page. */
export class LibraryPage extends ExtensionPage {
  async open(): Promise<Page> {
    const page = await this.openPath('library.html');
    await page.getByRole('region', { name: 'Article list' }).waitFor();
    return page;
  }

  attach(page: Page): this {
    this.page = page;
    return this;
  }

  get sidebar(): Locator {
    return this.current.getByRole('navigation', { name: 'Library' });
  }

  /** A sidebar entry (box, folder, feed, tag or saved view) by its label. */
  source(label: string): Locator {
    return this.sidebar.getByRole('button', { name: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\#]/g, '\\$&')}(\\s|$)`) });
  }

  get list(): Locator {
    return this.current.getByRole('list', { name: 'Articles' });
  }

  get rows(): Locator {
    return this.list.getByRole('listitem');
  }

  article(title: string): Locator {
    return this.list.getByRole('button', { name: title, exact: true });
  }

  get listTitle(): Locator {
    return this.current.getByRole('region', { name: 'Article list' }).getByRole('heading', { level: 2 }).first();
  }

  get reader(): Locator {
    return this.current.getByRole('region', { name: 'Reader' });
  }

  get readerTitle(): Locator {
    return this.reader.getByRole('heading', { level: 1 });
  }
}
