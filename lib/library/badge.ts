import type { OffprintDB } from '../db/schema';
import { countUnreadInbox } from './queries';

export interface BadgeApi {
  setBadgeText(details: { text: string }): Promise<void>;
  setBadgeBackgroundColor(details: { color: string }): Promise<void>;
}

/** Badge text for an unread count: empty at zero, capped so it fits. */
export function badgeText(unread: number): string {
  if (unread <= 0) return '';
  return unread > 999 ? '999+' : String(unread);
}

export async function refreshBadge(db: OffprintDB, action: BadgeApi): Promise<number> {
  const unread = await countUnreadInbox(db);
  await action.setBadgeBackgroundColor({ color: '#2f6f4f' });
  await action.setBadgeText({ text: badgeText(unread) });
  return unread;
}
