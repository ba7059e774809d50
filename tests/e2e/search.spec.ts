import { AUTHOR, mediumAuthorFeed, samplePosts } from '../fixtures/feeds/medium';
import { SEARCH_LIBRARY } from '../fixtures/search/articles';
import { expect, test } from './harness/fixtures';

const SCHEDULER = 'Kubernetes Scheduler Explained';

test('a misspelt query in the popup, offline, finds and opens the right article', async ({ context, popup }, testInfo) => {
  await popup.open();
  await popup.addArticles(SEARCH_LIBRARY);
  await context.setOffline(true);
  // A freshly opened popup: nothing kept in memory from before.
  const page = await popup.open();
  await page.reload();

  const box = page.getByRole('searchbox', { name: 'Search library' });
  await box.fill('kubernets schedular');
  const results = page.getByRole('listbox', { name: 'Search results' });
  const options = results.getByRole('option');
  await expect(options.first()).toHaveAccessibleName(SCHEDULER);
  // Matched words are highlighted in the title and the snippet.
  await expect(options.first().locator('mark').first()).toHaveText('Kubernetes');
  await expect(options.first().locator('.hit-snippet mark').first()).toHaveText('scheduler');
  // The library lists make way for the results.
  await expect(page.getByRole('tablist', { name: 'Library views' })).toBeHidden();
  await page.screenshot({ path: testInfo.outputPath('search-results.png') });

  await options.first().click();
  await expect(page.getByRole('heading', { level: 1, name: SCHEDULER })).toBeVisible();
  await expect(page.getByText('Every pod waits in a queue')).toBeVisible();

  // Back from the article: the same search and results are still there.
  await page.getByRole('button', { name: /Back/ }).click();
  await expect(box).toHaveValue('kubernets schedular');
  await expect(options.first()).toHaveAccessibleName(SCHEDULER);
});

test('the keyboard moves through results, Enter opens, Escape clears; filters narrow the query', async ({ popup }) => {
  const page = await popup.open();
  await popup.addArticles(SEARCH_LIBRARY);
  const box = page.getByRole('searchbox', { name: 'Search library' });
  await box.fill('scheduler');
  const options = page.getByRole('listbox', { name: 'Search results' }).getByRole('option');
  // Title match first, then body matches, most recent first.
  await expect(options).toHaveCount(3);
  await expect(options.nth(0)).toHaveAccessibleName(SCHEDULER);
  await expect(options.nth(1)).toHaveAccessibleName('Kubernetes Networking for Humans');
  await expect(options.nth(2)).toHaveAccessibleName('Backing up etcd Before an Upgrade');

  await box.press('ArrowDown');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  await box.press('Escape');
  await expect(box).toHaveValue('');
  await expect(page.getByRole('listbox', { name: 'Search results' })).toHaveCount(0);
  await expect(page.getByRole('tablist', { name: 'Library views' })).toBeVisible();

  await box.fill('maxUnavailable');
  await expect(options).toHaveCount(1);
  await page.getByRole('button', { name: 'Filters' }).click();
  await page.getByLabel('Source').selectOption('feed');
  await expect(page.getByRole('status').filter({ hasText: 'No matching articles.' })).toBeVisible();
  await page.getByLabel('Source').selectOption('');
  await page.getByLabel('Starred').check();
  await expect(options).toHaveCount(1);
  await page.screenshot({ path: test.info().outputPath('search-filters.png') });

  await box.fill('priya');
  await page.getByLabel('Starred').uncheck();
  await expect(options).toHaveCount(2);
  await box.press('ArrowDown');
  await box.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Kubernetes Scheduler Explained' })).toBeVisible();
});

test('a word many articles have as typed does not also match its neighbours; a rare one still does', async ({ popup }) => {
  const page = await popup.open();
  // 20 feed articles with "state" as typed (taken as meant from 20), one clipped article with only "stage".
  const stateful = Array.from({ length: 20 }, (_, i) => ({
    url: `https://ops-notes.example/state/${i}`,
    guid: `state-${i}`,
    source: 'feed' as const,
    title: `Runbook ${i + 1}: Drift Checks`,
    author: 'Ada Brook',
    siteName: 'Ops Notes',
    publishedAt: Date.UTC(2026, 3, 1 + i),
    savedAt: Date.UTC(2026, 3, 1 + i),
    html: `<p>Compare the live state with the plan before step ${i + 1}.</p>`,
    text: `Compare the live state with the plan before step ${i + 1}.`,
  }));
  const staged = {
    url: 'https://ops-notes.example/stage',
    guid: 'stage-only',
    source: 'clip' as const,
    title: 'Blue-Green Rollouts',
    author: 'Ada Brook',
    siteName: 'Ops Notes',
    publishedAt: Date.UTC(2026, 4, 1),
    savedAt: Date.UTC(2026, 4, 1),
    html: '<p>Promote the green stage once its checks pass.</p>',
    text: 'Promote the green stage once its checks pass.',
  };
  await popup.addArticles([...stateful, staged]);
  const box = page.getByRole('searchbox', { name: 'Search library' });
  const options = page.getByRole('listbox', { name: 'Search results' }).getByRole('option');
  await box.fill('state');
  await expect(options.first()).toHaveAccessibleName(/Runbook \d+: Drift Checks/);
  // Among clipped articles only: none has "state", and "stage" is not taken for it.
  await page.getByRole('button', { name: 'Filters' }).click();
  await page.getByLabel('Source').selectOption('clip');
  await expect(page.getByRole('status').filter({ hasText: 'No matching articles.' })).toBeVisible();
  // "stage", in one article, is rare: a typo of it is still looked for, below the word as typed.
  await page.getByLabel('Source').selectOption('');
  await box.fill('stage');
  await expect(options.first()).toHaveAccessibleName('Blue-Green Rollouts');
  await expect(options.nth(1)).toHaveAccessibleName(/Runbook \d+: Drift Checks/);
  await page.screenshot({ path: test.info().outputPath('search-as-typed.png') });
});

test('the reader page has a search box that opens another article', async ({ popup, reader }, testInfo) => {
  await popup.open();
  const [first] = await popup.addArticles(SEARCH_LIBRARY);
  const tab = await reader.open(first!);
  await tab.getByRole('searchbox', { name: 'Search library' }).fill('etcd snapshot');
  const option = tab.getByRole('listbox', { name: 'Search results' }).getByRole('option');
  await expect(option).toHaveCount(1);
  await tab.screenshot({ path: testInfo.outputPath('reader-search.png') });
  await option.click();
  await expect(tab.getByRole('heading', { level: 1, name: 'Backing up etcd Before an Upgrade' })).toBeVisible();
  expect(new URL(tab.url()).searchParams.get('id')).not.toBe(first);
});

test('posts stored by following an author are searchable at once, offline', async ({ context, server, popup }) => {
  const profile = `https://medium.com/@${AUTHOR.handle}`;
  server.page(profile, `<!doctype html><html><head><title>${AUTHOR.name} – Medium</title><meta property="al:android:app_name" content="Medium"></head><body></body></html>`);
  server.route(`https://medium.com/feed/@${AUTHOR.handle}`, { headers: { 'content-type': 'application/rss+xml; charset=utf-8' }, body: mediumAuthorFeed(samplePosts(10)) });
  const tab = await context.newPage();
  await tab.goto(profile);
  const page = await popup.open();
  await page.getByRole('button', { name: `Follow ${AUTHOR.name}` }).click();
  await expect(page.getByRole('status').filter({ hasText: `Following ${AUTHOR.name}: 10 articles added.` })).toBeVisible();

  await context.setOffline(true);
  await page.reload();
  await page.getByRole('searchbox', { name: 'Search library' }).fill('karpentr node');
  const options = page.getByRole('listbox', { name: 'Search results' }).getByRole('option');
  await expect(options).toHaveCount(1);
  await expect(options.first()).toHaveAccessibleName('Karpenter node pools, part 10');
  await page.getByRole('searchbox', { name: 'Search library' }).fill('rowan vale');
  await expect(options).toHaveCount(10);
});
