import type { DraftArticle } from './draft';

/** Entries of a file that were not imported, grouped by why; the result message lists them. */
export interface Skip {
  count: number;
  reason: string;
}

/** Drafts that carry what their reader skipped. */
export type DraftList = DraftArticle[] & { skipped?: Skip[] };

export function withSkips(drafts: DraftArticle[], skipped: Skip[]): DraftList {
  return Object.assign(drafts, { skipped: skipped.filter((s) => s.count > 0) });
}
