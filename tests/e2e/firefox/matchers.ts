import type { ExpectMatcherState } from '@playwright/test';
import { FirefoxLocator } from './adapter';
import type { Snapshot } from './in-page';

/**
 * Playwright's locator assertions (toBeVisible, toHaveText…) for Firefox
 * locators, retried until they hold or the expect timeout passes, with
 * Playwright's text rules: whitespace normalized; a string is a full match
 * for toHaveText and a substring for toContainText; a RegExp is tested.
 */
type Text = string | RegExp;
type Check = (s: Snapshot) => { pass: boolean; actual: unknown };

const norm = (s: string) => s.replace(/[\u200b\u00ad]/g, '').replace(/\s+/g, ' ').trim();
const textIs = (value: string, expected: Text, contains: boolean, ignoreCase = false): boolean => {
  const v = norm(value);
  if (expected instanceof RegExp) return expected.test(v);
  const e = norm(expected);
  return contains ? (ignoreCase ? v.toLowerCase().includes(e.toLowerCase()) : v.includes(e)) : ignoreCase ? v.toLowerCase() === e.toLowerCase() : v === e;
};

async function retry(state: ExpectMatcherState, name: string, locator: unknown, expected: unknown, check: Check, options: { timeout?: number; attributes?: string[] } = {}) {
  if (!(locator instanceof FirefoxLocator)) throw new Error(`${name}: expected a Firefox locator, got ${String(locator)}`);
  const timeout = options.timeout ?? state.timeout ?? 10_000;
  const deadline = Date.now() + timeout;
  let last: { pass: boolean; actual: unknown } = { pass: false, actual: undefined };
  let error: unknown;
  for (;;) {
    try {
      last = check(await locator.snapshot(options.attributes));
      error = undefined;
    } catch (err) {
      error = err;
    }
    if (!error && last.pass !== state.isNot) break;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  // An element that could not be judged (strict mode, page gone) fails the assertion, negated or not.
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return {
    name,
    pass: last.pass,
    expected,
    actual: last.actual,
    message: () =>
      `${state.isNot ? 'not ' : ''}${name}(${expected === undefined ? '' : JSON.stringify(String(expected))}) on ${locator}\n` +
      `Received: ${JSON.stringify(last.actual)}${error ? `\nLast error: ${String(error)}` : ''}\nTimed out after ${timeout} ms`,
  };
}

/** One element for single-element assertions; several is a strict-mode failure, as in Playwright. */
const single = (s: Snapshot, i = 0) => {
  if (s.count > 1) throw new Error(`strict mode: the locator matched ${s.count} elements`);
  return i < s.count ? i : -1;
};

export const locatorMatchers = {
  toBeVisible(this: ExpectMatcherState, locator: unknown, options?: { timeout?: number }) {
    return retry(this, 'toBeVisible', locator, undefined, (s) => ({ pass: single(s) === 0 && s.visible[0] === true, actual: s.count ? (s.visible[0] ? 'visible' : 'hidden') : 'no element' }), options);
  },
  toBeHidden(this: ExpectMatcherState, locator: unknown, options?: { timeout?: number }) {
    return retry(this, 'toBeHidden', locator, undefined, (s) => ({ pass: !s.visible.some(Boolean), actual: `${s.visible.filter(Boolean).length} visible of ${s.count}` }), options);
  },
  toHaveCount(this: ExpectMatcherState, locator: unknown, expected: number, options?: { timeout?: number }) {
    return retry(this, 'toHaveCount', locator, expected, (s) => ({ pass: s.count === expected, actual: s.count }), options);
  },
  toHaveText(this: ExpectMatcherState, locator: unknown, expected: Text, options?: { timeout?: number; ignoreCase?: boolean }) {
    return retry(this, 'toHaveText', locator, expected, (s) => {
      const i = single(s);
      return { pass: i === 0 && textIs(s.texts[0]!, expected, false, options?.ignoreCase), actual: s.texts[0] };
    }, options);
  },
  toContainText(this: ExpectMatcherState, locator: unknown, expected: Text, options?: { timeout?: number; ignoreCase?: boolean }) {
    return retry(this, 'toContainText', locator, expected, (s) => {
      const i = single(s);
      return { pass: i === 0 && textIs(s.texts[0]!, expected, true, options?.ignoreCase), actual: s.texts[0] };
    }, options);
  },
  toHaveAccessibleName(this: ExpectMatcherState, locator: unknown, expected: Text, options?: { timeout?: number }) {
    return retry(this, 'toHaveAccessibleName', locator, expected, (s) => {
      const i = single(s);
      return { pass: i === 0 && textIs(s.names[0]!, expected, false), actual: s.names[0] };
    }, options);
  },
  toHaveValue(this: ExpectMatcherState, locator: unknown, expected: Text, options?: { timeout?: number }) {
    return retry(this, 'toHaveValue', locator, expected, (s) => {
      const i = single(s);
      const value = s.values[0] ?? '';
      return { pass: i === 0 && (expected instanceof RegExp ? expected.test(value) : value === expected), actual: value };
    }, options);
  },
  toHaveAttribute(this: ExpectMatcherState, locator: unknown, name: string, expected: Text, options?: { timeout?: number }) {
    return retry(
      this,
      'toHaveAttribute',
      locator,
      expected,
      (s) => {
        const i = single(s);
        const value = s.attributes[0]?.[name] ?? null;
        return { pass: i === 0 && value !== null && (expected instanceof RegExp ? expected.test(value) : value === expected), actual: value };
      },
      { ...options, attributes: [name] },
    );
  },
};
