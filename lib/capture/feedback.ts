// Feedback for saves started outside the popup (context menu, shortcut): a
// short badge on the tab's toolbar button, and a notification when it failed,
// because a badge cannot say why.

export interface FeedbackApi {
  setBadgeText(details: { tabId: number; text: string | null }): Promise<void>;
  setBadgeBackgroundColor(details: { tabId: number; color: string }): Promise<void>;
  notify(title: string, message: string): Promise<void>;
  sleep(ms: number): Promise<void>;
}

export const BADGE = {
  saving: { text: '…', color: '#6b7280' },
  added: { text: '✓', color: '#2f6f4f' },
  updated: { text: '↻', color: '#2f6f4f' },
  failed: { text: '!', color: '#b42318' },
} as const;

export const FLASH_MS = 4000;

export type SaveOutcome = { status: 'added' | 'updated'; title: string; warning?: string } | { status: 'failed'; error: string };

export async function showSaving(api: FeedbackApi, tabId: number): Promise<void> {
  await setBadge(api, tabId, BADGE.saving);
}

/** Flashes the outcome on the tab's badge, then gives the badge back to the unread count. */
export async function showOutcome(api: FeedbackApi, tabId: number, outcome: SaveOutcome): Promise<void> {
  await setBadge(api, tabId, BADGE[outcome.status]);
  if (outcome.status === 'failed') await api.notify('Offprint couldn’t save this page', outcome.error).catch(() => undefined);
  else if (outcome.warning) await api.notify(`Saved “${outcome.title}” with a warning`, outcome.warning).catch(() => undefined);
  await api.sleep(FLASH_MS);
  // null clears the tab's own text, so the global unread count shows again.
  await api.setBadgeText({ tabId, text: null }).catch(() => undefined);
}

async function setBadge(api: FeedbackApi, tabId: number, badge: { text: string; color: string }): Promise<void> {
  // The tab may be gone already; feedback is best effort.
  await api.setBadgeBackgroundColor({ tabId, color: badge.color }).catch(() => undefined);
  await api.setBadgeText({ tabId, text: badge.text }).catch(() => undefined);
}
