import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OffprintDB } from '../../../lib/db/schema';
import { storeArticles } from '../../../lib/library/store';
import { rebuildSearchIndex } from '../../../lib/search/indexer';
import { LibrarySearch, rehearsalQueries } from '../../../lib/search/search';
import { queryWords } from '../../../lib/search/normalize';
import { Vocabulary } from '../../../lib/search/vocabulary';
import { fixedDeps, freshDb, newArticle } from '../helpers/db';

const TOPICS = ['kubernetes scheduler', 'terraform modules', 'prometheus alerting', 'container registries'];

async function library(): Promise<OffprintDB> {
  const db = freshDb();
  const items = Array.from({ length: 60 }, (_, i) =>
    newArticle({
      url: `https://blog.example/${i}`,
      guid: `g${i}`,
      title: `Notes ${i} on ${TOPICS[i % 4]}`,
      text: `Operating ${TOPICS[i % 4]} in production, part ${i}. Observability${i % 3 ? '' : ' and rollbacks'} matter.`,
      publishedAt: Date.UTC(2026, 0, 1) + i * 86_400_000,
    }),
  );
  await storeArticles(db, items, fixedDeps());
  await rebuildSearchIndex(db); // a compacted vocabulary, as after any build
  return db;
}

afterEach(() => vi.restoreAllMocks());

describe('rehearsal queries', () => {
  it('are words of the library, one misspelt and one cut short, that parse back into the same words', () => {
    const words = ['container', 'kubernetes', 'observability', 'pod', 'rollbacks', 'scheduler', 'v1.28'];
    const dfs = Uint32Array.from([50, 60, 5, 70, 41, 30, 80]);
    const got = rehearsalQueries(new Vocabulary(words, dfs));
    // The most frequent terms of 8-12 letters (kubernetes, container, rollbacks) with those nearest 40 articles (rollbacks, container, scheduler).
    expect(got).toEqual(['kubrenetes rollbacks', 'container conta', 'rolblacks scheduler']);
    for (const q of got) expect(queryWords(q).join(' ')).toBe(q);
  });

  it('are none for an empty vocabulary', () => {
    expect(rehearsalQueries(new Vocabulary([], []))).toEqual([]);
  });
});

describe('warming the search', () => {
  it('rehearses on the real index, and answers the same afterwards as a search that was never warmed', async () => {
    const db = await library();
    const cold = new LibrarySearch(db);
    const want = await cold.search('kubernets schedular');
    const warmed = new LibrarySearch(db);
    const answer = vi.spyOn(warmed as unknown as { answer: () => unknown }, 'answer');
    await warmed.warm();
    expect(answer.mock.calls.length).toBe(3);
    const got = await warmed.search('kubernets schedular');
    expect(got.hits.map((h) => h.article.id)).toEqual(want.hits.map((h) => h.article.id));
    expect(got.hits.length).toBeGreaterThan(0);
    expect(got.hits.map((h) => h.snippet)).toEqual(want.hits.map((h) => h.snippet));
  });

  it('stops rehearsing once the reader searches', async () => {
    const db = await library();
    const search = new LibrarySearch(db);
    const answer = vi.spyOn(search as unknown as { answer: () => unknown }, 'answer');
    const warming = search.warm();
    const result = await search.search('terraform');
    await warming;
    expect(result.hits.length).toBe(15);
    expect(answer.mock.calls.length).toBe(1);
  });
});
