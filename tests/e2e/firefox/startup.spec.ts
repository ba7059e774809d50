import { extensionErrors } from './browser';
import { expect, test } from './fixtures';

test('the event page starts with no console errors and answers the popup', async ({ firefox, popup }) => {
  const page = await popup.open();
  await expect(popup.welcome).toBeVisible();
  await expect(popup.tab('Inbox')).toHaveAttribute('aria-selected', 'true');
  const reply = await page.evaluate(() => chrome.runtime.sendMessage({ type: 'ping' }));
  expect(reply).toEqual({ ok: true, value: 'pong' });
  await page.screenshot({ path: test.info().outputPath('popup.png') });
  expect(extensionErrors(firefox)).toEqual([]);
});

declare const chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> } };
