import type { ComponentChildren } from 'preact';
import type { OffprintDB } from '../../lib/db/schema';
import { highlightsSlot } from '../highlights/librarySlot';

/**
 * Views other features add to the library sidebar, between Archive and
 * Trash. Highlights (issue 13) registers here: an id, a label, an optional
 * count and what the middle pane shows when it is chosen.
 */
export interface SidebarSlot {
  id: string;
  label: string;
  count?: (db: OffprintDB) => Promise<number>;
  /** `highlightId`: scroll the opened article to that highlight. */
  render: (props: { onOpenArticle: (id: string, highlightId?: string) => void }) => ComponentChildren;
}

export const SIDEBAR_SLOTS: SidebarSlot[] = [highlightsSlot];
