import type { Browser, ElementHandle, Page as PuppeteerPage, Target } from 'puppeteer-core';
import { inPage, type Request, type Snapshot, type Step, type TextMatch } from './in-page';

/**
 * The slice of Playwright's BrowserContext / Page / Locator API that the page
 * objects (tests/e2e/pages) and the Firefox specs use, implemented over
 * puppeteer-core driving Firefox through WebDriver BiDi. Locators are lazy
 * chains of steps resolved in the page on every use, like Playwright's; the
 * roles and accessible names come from a small engine (in-page.ts) that
 * follows the same rules for the markup Offprint uses. When a page object
 * gains a method that calls an API missing here, add it here (a few lines),
 * not a second copy of the page object.
 */

const POLL_MS = 100;
export const ACTION_TIMEOUT = 15_000;

type Text = string | RegExp;
const toMatch = (t: Text): TextMatch => (typeof t === 'string' ? { string: t } : { source: t.source, flags: t.flags });
class StrictModeError extends Error {
  override name = 'StrictModeError';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface RoleOptions {
  name?: Text;
  exact?: boolean;
  level?: number;
  selected?: boolean;
  checked?: boolean;
  pressed?: boolean;
  expanded?: boolean;
  includeHidden?: boolean;
}

/** Polls `probe` until it returns a value (not undefined) or the time is up. */
async function until<T>(probe: () => Promise<T | undefined>, what: string, timeout = ACTION_TIMEOUT): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      if (err instanceof StrictModeError) throw err;
      // A navigation in progress destroys the realm the probe ran in; try again.
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeout} ms: ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await sleep(POLL_MS);
  }
}

/**
 * Takes a tab offline. A tab switching process (about:blank to a
 * moz-extension: page) briefly has a discarded browsing context that
 * refuses the setting; it is tried again once the switch is over.
 */
async function setTabOffline(page: PuppeteerPage, offline: boolean): Promise<void> {
  const deadline = Date.now() + ACTION_TIMEOUT;
  for (;;) {
    try {
      return await page.setOfflineMode(offline);
    } catch (err) {
      if (!String(err).includes('context is discarded') || Date.now() > deadline) throw err;
      await sleep(POLL_MS);
    }
  }
}

export class FirefoxContext {
  private offline = false;
  private readonly known = new Map<PuppeteerPage, FirefoxPage>();

  constructor(readonly browser: Browser) {}

  /** Wraps every open tab, in the order the browser lists them. */
  async refresh(): Promise<FirefoxPage[]> {
    const pages = await this.browser.pages();
    return pages.map((p) => this.wrap(p));
  }

  pages(): FirefoxPage[] {
    return [...this.known.values()].filter((p) => !p.isClosed());
  }

  async newPage(): Promise<FirefoxPage> {
    const page = this.wrap(await this.browser.newPage());
    if (this.offline) await setTabOffline(page.raw, true);
    return page;
  }

  /** Only 'page': a tab the extension (or a page) opened. */
  async waitForEvent(event: 'page', options: { timeout?: number } = {}): Promise<FirefoxPage> {
    if (event !== 'page') throw new Error(`FirefoxContext.waitForEvent('${event as string}') is not implemented`);
    // Taken synchronously, so a tab opened by the click that follows this call is never in it.
    const before = new Set(this.browser.targets());
    const target: Target = await this.browser.waitForTarget((t) => t.type() === 'page' && !before.has(t), { timeout: options.timeout ?? ACTION_TIMEOUT });
    const page = await target.page();
    if (!page) throw new Error('The new tab has no page');
    const wrapped = this.wrap(page);
    if (this.offline) await setTabOffline(page, true);
    return wrapped;
  }

  /** Offline for every tab, open now or later (the background has its own switch: the fixture server). */
  async setOffline(offline: boolean): Promise<void> {
    this.offline = offline;
    for (const page of await this.refresh()) await setTabOffline(page.raw, offline).catch(() => undefined);
  }

  private wrap(page: PuppeteerPage): FirefoxPage {
    let wrapped = this.known.get(page);
    if (!wrapped) {
      wrapped = new FirefoxPage(page, this);
      this.known.set(page, wrapped);
    }
    return wrapped;
  }
}

export class FirefoxPage {
  private lastUrl = 'about:blank';

  constructor(
    readonly raw: PuppeteerPage,
    private readonly ctx: FirefoxContext,
  ) {}

  context(): FirefoxContext {
    return this.ctx;
  }

  url(): string {
    return this.lastUrl;
  }

  isClosed(): boolean {
    return this.raw.isClosed();
  }

  /**
   * Navigates and waits for the new document, not for BiDi's navigation
   * result: Firefox does not report moz-extension: navigations as finished.
   */
  async goto(url: string): Promise<void> {
    const marker = await this.mark();
    void this.raw.goto(url, { timeout: 0 }).catch(() => undefined);
    this.lastUrl = url;
    await this.waitForNewDocument(marker, url);
  }

  async reload(): Promise<void> {
    const marker = await this.mark();
    await this.raw.evaluate(() => location.reload()).catch(() => undefined);
    await this.waitForNewDocument(marker);
  }

  async waitForLoadState(): Promise<void> {
    await until(async () => {
      const [href, state] = await this.raw.evaluate(() => [location.href, document.readyState]);
      if (state !== 'complete' || href === 'about:blank') return undefined;
      this.lastUrl = href!;
      return true;
    }, 'the page to load');
  }

  async title(): Promise<string> {
    return this.raw.evaluate(() => document.title);
  }

  async bringToFront(): Promise<void> {
    await this.raw.bringToFront();
  }

  async close(): Promise<void> {
    await this.raw.close();
  }

  async screenshot(options: { path: string; fullPage?: boolean }): Promise<void> {
    await this.raw.screenshot({ path: options.path as `${string}.png`, fullPage: options.fullPage });
  }

  async evaluate<T, A>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T> {
    return this.raw.evaluate(fn as (arg: unknown) => T, arg) as Promise<T>;
  }

  readonly keyboard = {
    press: (key: string) => this.raw.keyboard.press(key as never),
  };

  /** Clicks at a point of the viewport (CSS pixels), as a person's mouse would. */
  readonly mouse = {
    click: (x: number, y: number) => this.raw.mouse.click(x, y),
  };

  locator(selector: string): FirefoxLocator {
    return new FirefoxLocator(this, [{ kind: 'css', selector }]);
  }

  getByRole(role: string, options: RoleOptions = {}): FirefoxLocator {
    return new FirefoxLocator(this, []).getByRole(role, options);
  }

  getByText(text: Text, options: { exact?: boolean } = {}): FirefoxLocator {
    return new FirefoxLocator(this, []).getByText(text, options);
  }

  getByLabel(text: Text, options: { exact?: boolean } = {}): FirefoxLocator {
    return new FirefoxLocator(this, []).getByLabel(text, options);
  }

  /** Runs the in-page engine. */
  query<T>(request: Request): Promise<T> {
    return this.raw.evaluate(inPage, request) as Promise<T>;
  }

  async handles(steps: Step[]): Promise<ElementHandle<Element>[]> {
    const array = await this.raw.evaluateHandle(inPage, { op: 'count', steps } as Request, true);
    const props = await array.getProperties();
    await array.dispose();
    return [...props.values()].map((h) => h.asElement()).filter((h): h is ElementHandle<Element> => h !== null);
  }

  private async mark(): Promise<string> {
    const marker = `offprint-${Math.random().toString(36).slice(2)}`;
    await this.raw.evaluate((m) => ((window as unknown as Record<string, string>).__offprintMarker = m), marker).catch(() => undefined);
    return marker;
  }

  private async waitForNewDocument(marker: string, url?: string): Promise<void> {
    await until(async () => {
      const [href, state, current] = await this.raw.evaluate(() => [location.href, document.readyState, (window as unknown as Record<string, string | undefined>).__offprintMarker ?? '']);
      if (current === marker || state === 'loading') return undefined;
      if (url && href !== url && href === 'about:blank') return undefined;
      this.lastUrl = href!;
      return true;
    }, `navigation to ${url ?? 'the reloaded page'}`);
  }
}

export class FirefoxLocator {
  constructor(
    readonly page: FirefoxPage,
    readonly steps: Step[],
  ) {}

  private with(...steps: Step[]): FirefoxLocator {
    return new FirefoxLocator(this.page, [...this.steps, ...steps]);
  }

  toString(): string {
    return `locator(${JSON.stringify(this.steps)})`;
  }

  locator(selector: string): FirefoxLocator {
    return this.with({ kind: 'css', selector });
  }

  getByRole(role: string, options: RoleOptions = {}): FirefoxLocator {
    const { name, ...rest } = options;
    return this.with({ kind: 'role', role, ...rest, ...(name === undefined ? {} : { name: toMatch(name) }) });
  }

  getByText(text: Text, options: { exact?: boolean } = {}): FirefoxLocator {
    return this.with({ kind: 'text', text: toMatch(text), exact: options.exact });
  }

  getByLabel(text: Text, options: { exact?: boolean } = {}): FirefoxLocator {
    return this.with({ kind: 'label', text: toMatch(text), exact: options.exact });
  }

  filter(options: { hasText?: Text; hasNotText?: Text; has?: FirefoxLocator }): FirefoxLocator {
    const steps: Step[] = [];
    if (options.hasText !== undefined) steps.push({ kind: 'hasText', text: toMatch(options.hasText) });
    if (options.hasNotText !== undefined) steps.push({ kind: 'hasNotText', text: toMatch(options.hasNotText) });
    if (options.has) steps.push({ kind: 'has', steps: options.has.steps });
    return this.with(...steps);
  }

  first(): FirefoxLocator {
    return this.with({ kind: 'nth', index: 0 });
  }

  last(): FirefoxLocator {
    return this.with({ kind: 'nth', index: -1 });
  }

  nth(index: number): FirefoxLocator {
    return this.with({ kind: 'nth', index });
  }

  snapshot(attributes: string[] = []): Promise<Snapshot> {
    return this.page.query<Snapshot>({ op: 'snapshot', steps: this.steps, attributes });
  }

  count(): Promise<number> {
    return this.page.query<number>({ op: 'count', steps: this.steps });
  }

  async all(): Promise<FirefoxLocator[]> {
    return Array.from({ length: await this.count() }, (_, i) => this.nth(i));
  }

  async isVisible(): Promise<boolean> {
    const s = await this.snapshot();
    return s.visible[0] === true;
  }

  async waitFor(options: { state?: 'visible' | 'attached' | 'hidden' | 'detached'; timeout?: number } = {}): Promise<void> {
    const state = options.state ?? 'visible';
    await until(
      async () => {
        const s = await this.snapshot();
        const ok = state === 'attached' ? s.count > 0 : state === 'detached' ? s.count === 0 : state === 'hidden' ? !s.visible.some(Boolean) : s.visible.some(Boolean);
        return ok ? true : undefined;
      },
      `${this} to be ${state}`,
      options.timeout,
    );
  }

  async textContent(): Promise<string | null> {
    return (await this.snapshot()).texts[0] ?? null;
  }

  async innerText(): Promise<string> {
    const handle = await this.one();
    return handle.evaluate((el) => (el as HTMLElement).innerText);
  }

  async getAttribute(name: string): Promise<string | null> {
    return (await this.snapshot([name])).attributes[0]?.[name] ?? null;
  }

  async inputValue(): Promise<string> {
    return (await this.snapshot()).values[0] ?? '';
  }

  async evaluate<T, A>(fn: (el: Element, arg: A) => T | Promise<T>, arg?: A): Promise<T> {
    const handle = await this.one();
    return handle.evaluate(fn as (el: Element, a: unknown) => T, arg) as Promise<T>;
  }

  async click(options: { timeout?: number } = {}): Promise<void> {
    const handle = await this.one({ enabled: true, timeout: options.timeout });
    await handle.click();
  }

  /** Sets the value and fires input and change, as Playwright's fill does. */
  async fill(value: string): Promise<void> {
    const handle = await this.one({ enabled: true });
    await handle.evaluate((el, v) => {
      const input = el as HTMLInputElement;
      input.focus();
      const proto = Object.getPrototypeOf(input) as object;
      Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(input, v);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }, value);
  }

  async press(key: string): Promise<void> {
    const handle = await this.one();
    await handle.focus();
    await this.page.raw.keyboard.press(key as never);
  }

  async selectOption(value: string): Promise<void> {
    const handle = await this.one({ enabled: true });
    await (handle as ElementHandle<HTMLSelectElement>).select(value);
  }

  async setInputFiles(paths: string | string[]): Promise<void> {
    const handle = await this.one({ visible: false });
    await (handle as ElementHandle<HTMLInputElement>).uploadFile(...(Array.isArray(paths) ? paths : [paths]));
  }

  /**
   * The one element this locator means, once it is there (visible and
   * enabled for actions). More than one is an error, as in Playwright.
   */
  private async one(need: { visible?: boolean; enabled?: boolean; timeout?: number } = {}): Promise<ElementHandle<Element>> {
    const visible = need.visible ?? true;
    return until(async () => {
      const handles = await this.page.handles(this.steps);
      if (handles.length > 1) throw new StrictModeError(`${this} matched ${handles.length} elements`);
      const [handle] = handles;
      if (!handle) return undefined;
      const ok = await handle.evaluate(
        (el, { visible, enabled }) => {
          const rect = el.getBoundingClientRect();
          const shown = rect.width > 0 && rect.height > 0 && getComputedStyle(el).visibility === 'visible';
          return (!visible || shown) && (!enabled || !(el as HTMLButtonElement).disabled);
        },
        { visible, enabled: need.enabled ?? false },
      );
      return ok ? handle : undefined;
    }, `${this} to be ${visible ? 'visible' : 'attached'}${need.enabled ? ' and enabled' : ''}`, need.timeout);
  }
}
