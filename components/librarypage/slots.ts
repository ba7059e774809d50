import type { ComponentChildren } from 'preact';
import type { OffprintDB } from '../../lib/db/schema';

/**
 * Views other features add to the library sidebar, between Archive and
 * Trash. Highlights (issue 13) registers here: an id, a label, an optional
 * count and what the middle pane shows when it is chosen.
 */
export interface SidebarSlot {
  id: string;
  label: string;
  count?: (db: OffprintDB) => Promise<number>;
  render: (props: { onOpenArticle: (id: string) => void }) => ComponentChildren;
}

export const SIDEBAR_SLOTS: SidebarSlot[] = [];
