// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { localizeImages } from '../../../lib/offline/localize';
import { formatBytes, storageUse } from '../../../lib/offline/storage';
import { freshDb } from '../helpers/db';

describe('localizeImages', () => {
  it('points stored images at object URLs and flags the missing ones', async () => {
    const db = freshDb();
    await db.images.put({ url: 'https://img.test/a.png?x=1&y=2', blob: new Blob(['png'], { type: 'image/png' }), type: 'image/png', bytes: 3, articleIds: ['a'], fetchedAt: 1 });
    let n = 0;
    const fakeUrl = { createObjectURL: () => `blob:local/${++n}` };
    const out = await localizeImages(db, '<p><img loading="lazy" src="https://img.test/a.png?x=1&amp;y=2" alt="A"><img src="https://img.test/b.png" alt="B"></p>', new DOMParser(), fakeUrl);
    expect(out.objectUrls).toEqual(['blob:local/1']);
    expect(out.missing).toBe(1);
    expect(out.html).toContain('<img src="blob:local/1" alt="A">');
    expect(out.html).toContain('src="https://img.test/b.png" alt="B" data-offline-missing=""');
  });

  it('leaves HTML without images untouched', async () => {
    const out = await localizeImages(freshDb(), '<p>Hi</p>', new DOMParser());
    expect(out).toEqual({ html: '<p>Hi</p>', objectUrls: [], missing: 0 });
  });
});

describe('storage', () => {
  it('formats sizes and reads the estimate', async () => {
    expect(formatBytes(500)).toBe('500 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(250 * 1024 * 1024)).toBe('250 MB');
    expect(await storageUse({ estimate: async () => ({ usage: 10, quota: 100 }) })).toEqual({ usage: 10, quota: 100 });
    expect(await storageUse(undefined)).toBeUndefined();
  });
});
