import type { OffprintDB } from '../db/schema';
import type { Feed } from '../db/types';

/** Renames a followed feed (the name shown everywhere); an empty name is refused. */
export async function renameFeed(db: OffprintDB, feedId: string, title: string): Promise<void> {
  const name = title.trim().replace(/\s+/g, ' ').slice(0, 200);
  if (!name) throw new Error('A feed needs a name.');
  if ((await db.feeds.update(feedId, { title: name })) === 0) throw new Error('That feed is no longer followed.');
}

/** Moves a feed into a folder, or out of every folder with '' (folders hold one level, as OPML imports them). */
export async function moveFeedToFolder(db: OffprintDB, feedId: string, folder: string): Promise<void> {
  const name = folder.trim().replace(/\s+/g, ' ').slice(0, 120);
  const changed = await db.feeds
    .where('id')
    .equals(feedId)
    .modify((f) => {
      if (name) f.folder = name;
      else delete f.folder;
    });
  if (changed === 0) throw new Error('That feed is no longer followed.');
}

export interface FeedGroup {
  /** '' for feeds in no folder. */
  folder: string;
  feeds: Feed[];
}

/** Feeds grouped by folder, folders A–Z, feeds A–Z, feeds in no folder last. */
export function groupByFolder(feeds: Feed[]): FeedGroup[] {
  const groups = new Map<string, Feed[]>();
  for (const f of feeds) {
    const key = f.folder?.trim() ?? '';
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const byTitle = (a: Feed, b: Feed) => a.title.localeCompare(b.title);
  return [...groups.entries()]
    .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)))
    .map(([folder, list]) => ({ folder, feeds: list.sort(byTitle) }));
}
