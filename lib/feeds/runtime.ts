import { browser } from 'wxt/browser';
import { ALARM_PERIOD_MINUTES, POLL_ALARM } from './service';

/** Creates the polling alarm unless it exists (alarms survive worker restarts). */
export async function ensurePollAlarm(): Promise<void> {
  const existing = await browser.alarms.get(POLL_ALARM);
  if (!existing) await browser.alarms.create(POLL_ALARM, { delayInMinutes: 1, periodInMinutes: ALARM_PERIOD_MINUTES });
}

export async function openBackgroundTab(url: string): Promise<number> {
  const tab = await browser.tabs.create({ url, active: false });
  if (tab.id === undefined) throw new Error('Could not open the post in a tab.');
  return tab.id;
}

/** Resolves when the tab has finished loading; rejects after a timeout. */
export function waitForTabLoad(tabId: number, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      clearTimeout(timer);
      browser.tabs.onUpdated.removeListener(listener);
      if (err) reject(err);
      else resolve();
    };
    const listener = (id: number, info: { status?: string }) => {
      if (id === tabId && info.status === 'complete') done();
    };
    const timer = setTimeout(() => done(new Error('The post did not finish loading within 30 seconds.')), timeoutMs);
    browser.tabs.onUpdated.addListener(listener);
    void browser.tabs.get(tabId).then((tab) => {
      if (tab.status === 'complete') done();
    }, done);
  });
}

export async function showNotification(title: string, message: string): Promise<void> {
  await browser.notifications.create({ type: 'basic', iconUrl: browser.runtime.getURL('/icon/128.png'), title, message });
}
