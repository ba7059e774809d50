import type { Page } from '@playwright/test';
import { readStore } from '../harness/stored';
import { expect } from './fixtures';

/** Reads a whole object store of the extension's IndexedDB, from one of its pages. */
export async function storedRecords<T = unknown>(page: Page, store: string): Promise<T[]> {
  return readStore<T>(page, store);
}

/** Waits until the background has stored every article's images (none left pending). */
export async function waitUntilOffline(page: Page): Promise<void> {
  await expect
    .poll(async () => (await storedRecords<{ offline: string }>(page, 'articles')).map((a) => a.offline), { timeout: 30_000 })
    .not.toContain('pending');
}

/**
 * Grants the extension a site's host permission from one of its pages, as
 * a click on the toolbar button grants activeTab for it. Firefox asks for a
 * user gesture, so a button that asks is added to the page and clicked
 * (a real input event); extensions.webextOptionalPermissionPrompts=false
 * answers the prompt.
 */
export async function grantHost(page: Page, url: string): Promise<void> {
  const origin = `${new URL(url).origin}/*`;
  await page.evaluate((origins: string[]) => {
    const button = document.createElement('button');
    button.textContent = 'Test: grant host';
    button.style.cssText = 'position:fixed;top:0;left:0;z-index:99999';
    button.addEventListener('click', () => {
      void browser.permissions.request({ origins }).then((granted) => {
        button.dataset.granted = String(granted);
      });
    });
    document.body.append(button);
  }, [origin]);
  const button = page.getByRole('button', { name: 'Test: grant host' });
  await button.click();
  await expect(button).toHaveAttribute('data-granted', 'true');
  await button.evaluate((el) => el.remove());
}

declare const browser: { permissions: { request(p: { origins: string[] }): Promise<boolean> } };
