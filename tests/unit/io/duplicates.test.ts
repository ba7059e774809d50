import { describe, expect, it } from 'vitest';
import { containment, dismissDuplicateGroup, findNearDuplicates, keepOneOfGroup, loadDuplicates, refreshDuplicates, shingleSample } from '../../../lib/io/duplicates';
import { storeArticles } from '../../../lib/library/store';
import { fixedDeps, freshDb, newArticle } from '../helpers/db';

const sentences = [
  'Canary releases send a small share of traffic to the new version first.',
  'The share grows only while error rates and latency stay inside the budget.',
  'Rolling back means moving the traffic weight, not rebuilding anything.',
  'Service meshes make the weights a configuration change instead of a deploy.',
  'Dashboards should compare the canary with the baseline, not with yesterday.',
  'Automated analysis removes the temptation to call a noisy canary healthy.',
  'Keep the canary running long enough to see a full traffic cycle.',
  'Most failed canaries fail on configuration, not on code.',
];
const article = sentences.join(' ');
const other = 'Backups are only real once a restore has been tested end to end. Schedule restore drills, time them, and write down every manual step you needed so the next drill needs fewer of them. Store the backups in another account so one compromised key cannot delete both the data and its copies.';

describe('near-duplicate detection', () => {
  it('sees the same text through different formatting, Unicode styles and extra surrounding text', () => {
    const feedCopy = shingleSample(article);
    const clip = shingleSample(`Menu Home About\n\n${article.toUpperCase().replace(/\. /g, '.\n\n')}\n\nShare this post. Sign in to comment.`);
    const mathBold = shingleSample(article.replace('Canary', '𝗖𝗮𝗻𝗮𝗿𝘆'));
    expect(containment(feedCopy, clip)).toBeGreaterThan(0.9);
    expect(containment(feedCopy, mathBold)).toBeGreaterThan(0.9);
    expect(containment(feedCopy, shingleSample(other))).toBe(0);
  });

  it('groups a feed article, a clip and an import of the same text, and leaves unrelated ones alone', async () => {
    const db = freshDb();
    const deps = fixedDeps();
    await storeArticles(
      db,
      [
        newArticle({ url: 'https://medium.com/@x/canaries-1', source: 'feed', title: 'Canaries', text: article + ' ' + article.replace(/canary/gi, 'pilot') }),
        newArticle({ url: 'https://blog.example/canaries', source: 'clip', title: 'Canaries (clip)', text: `Intro line here. ${article} ${article.replace(/canary/gi, 'pilot')} Footer.` }),
        newArticle({ url: 'urn:offprint:import:1', source: 'import', title: 'canaries.txt', text: article.replace(/canary/gi, 'pilot') + ' ' + article }),
        newArticle({ url: 'https://blog.example/backups', title: 'Backups', text: other + ' ' + other.replace(/restore/g, 'recovery') }),
      ],
      deps,
    );
    const groups = await findNearDuplicates(db);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.ids).toEqual(['id-1', 'id-2', 'id-3']);
    expect(groups[0]!.similarity).toBeGreaterThan(0.8);
  });

  it('lets the user keep one: the others go to Trash and their tags, star and progress move to the kept one', async () => {
    const db = freshDb();
    await storeArticles(db, [newArticle({ url: 'https://a.example/1', title: 'A', text: article, tags: ['x'] }), newArticle({ url: 'https://b.example/1', title: 'B', text: article, tags: ['y'] })], fixedDeps());
    await db.articles.update('id-2', { starred: 1, progress: 0.6 });
    const state = await refreshDuplicates(db, 5);
    expect(state.groups).toHaveLength(1);
    await keepOneOfGroup(db, state.groups[0]!.key, 'id-1', 99);
    expect(await db.articles.get('id-1')).toMatchObject({ box: 'saved', starred: 1, progress: 0.6, tags: ['x', 'y'] });
    expect(await db.articles.get('id-2')).toMatchObject({ box: 'trash', deletedAt: 99 });
    expect((await loadDuplicates(db)).groups).toHaveLength(0);
    // Trash is not compared, so the pair does not come back.
    expect((await refreshDuplicates(db)).groups).toHaveLength(0);
  });

  it('remembers “not duplicates”', async () => {
    const db = freshDb();
    await storeArticles(db, [newArticle({ url: 'https://a.example/1', text: article }), newArticle({ url: 'https://b.example/1', text: article })], fixedDeps());
    const { groups } = await refreshDuplicates(db);
    await dismissDuplicateGroup(db, groups[0]!.key);
    expect((await refreshDuplicates(db)).groups).toHaveLength(0);
    expect((await loadDuplicates(db)).dismissed).toEqual([groups[0]!.key]);
  });
});
