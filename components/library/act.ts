import { browser } from 'wxt/browser';
import type { OffprintDB } from '../../lib/db/schema';
import { addTag, archive, moveToTrash, purgeArticles, removeTag, restoreFromTrash, setRead, setStarred, unarchive } from '../../lib/library/actions';
import { sendMessage } from '../../lib/messages';
import { isQuotaError } from '../../lib/offline/images';
import { noteUserTag } from '../../lib/library/user-tags';

export type LibraryAction =
  | { kind: 'read' | 'unread' | 'star' | 'unstar' | 'archive' | 'unarchive' | 'delete' | 'restore' | 'purge' }
  | { kind: 'tag' | 'untag'; tag: string };

/** Runs a library action from the UI, then asks the background to refresh the badge. */
export async function act(db: OffprintDB, ids: string[], action: LibraryAction): Promise<void> {
  if (ids.length === 0) return;
  switch (action.kind) {
    case 'read':
    case 'unread':
      await setRead(db, ids, action.kind === 'read' ? 1 : 0);
      break;
    case 'star':
    case 'unstar':
      await setStarred(db, ids, action.kind === 'star' ? 1 : 0);
      break;
    case 'archive':
      await archive(db, ids);
      break;
    case 'unarchive':
      await unarchive(db, ids);
      break;
    case 'delete':
      await moveToTrash(db, ids, Date.now());
      break;
    case 'restore':
      await restoreFromTrash(db, ids);
      break;
    case 'purge':
      // "Delete forever" from Trash: no undo, so the UI confirms first.
      await purgeArticles(db, ids);
      break;
    case 'tag':
      // Remembered as the reader's own tag, so lists show it before feed categories.
      await noteUserTag(db, await addTag(db, ids, action.tag));
      break;
    case 'untag':
      await removeTag(db, ids, action.tag);
      break;
  }
  void sendMessage((m) => browser.runtime.sendMessage(m), 'badge:refresh').catch(() => undefined);
}

/** Words for a failed action; a full disk gets its own explanation. */
export function describeFailure(err: unknown): string {
  if (isQuotaError(err)) return 'Your disk is full, so that change was not saved. Nothing already stored was lost; free some space and try again.';
  return `That did not work: ${err instanceof Error ? err.message : String(err)}`;
}

/** Opens the full reader page for an article in a new tab and closes the popup. */
export function openInTab(id: string): void {
  void browser.tabs.create({ url: browser.runtime.getURL(`/reader.html?id=${encodeURIComponent(id)}`) });
  window.close();
}
