import { describe, expect, it } from 'vitest';
import type { Feed } from '../../../lib/db/types';
import { groupByFolder, moveFeedToFolder, renameFeed } from '../../../lib/feeds/manage';
import { freshDb } from '../helpers/db';

const feed = (id: string, title: string, folder?: string): Feed => ({ id, url: `https://x.test/${id}`, title, kind: 'web', addedAt: 1, nextCheckAt: 2, failures: 0, ...(folder ? { folder } : {}) });

describe('managing feeds', () => {
  it('renames a feed and moves it into and out of a folder', async () => {
    const db = freshDb();
    await db.feeds.add(feed('a', 'Old name'));
    await renameFeed(db, 'a', '  New   name ');
    await moveFeedToFolder(db, 'a', ' Platform ');
    expect(await db.feeds.get('a')).toMatchObject({ title: 'New name', folder: 'Platform' });
    await moveFeedToFolder(db, 'a', '');
    expect((await db.feeds.get('a'))!.folder).toBeUndefined();
  });

  it('refuses an empty name and says when the feed is gone', async () => {
    const db = freshDb();
    await db.feeds.add(feed('a', 'Name'));
    await expect(renameFeed(db, 'a', '   ')).rejects.toThrow('needs a name');
    expect((await db.feeds.get('a'))!.title).toBe('Name');
    await expect(renameFeed(db, 'gone', 'x')).rejects.toThrow('no longer followed');
    await expect(moveFeedToFolder(db, 'gone', 'x')).rejects.toThrow('no longer followed');
  });

  it('groups feeds by folder, folders A–Z, feeds without a folder last', () => {
    const groups = groupByFolder([feed('1', 'Zed', 'Ops'), feed('2', 'Amy'), feed('3', 'Bob', 'Cloud'), feed('4', 'Al', 'Ops')]);
    expect(groups.map((g) => [g.folder, g.feeds.map((f) => f.title)])).toEqual([
      ['Cloud', ['Bob']],
      ['Ops', ['Al', 'Zed']],
      ['', ['Amy']],
    ]);
  });
});
