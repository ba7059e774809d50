import { readFileSync, writeFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import type { Page } from '@playwright/test';
import type { NewArticle } from '../../lib/messages';
import { expect, test } from './harness/fixtures';
import { launchWithExtension } from './harness/launch';
import { LibraryPage } from './pages/library';
import { PopupPage } from './pages/popup';

const URL = 'https://medium.com/@rollouts/safe-rollouts-5f1e2d3c4b5a';
const CODE = 'spec:\n  replicas: 3\n  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 25%';
const P1 = 'Rolling updates replace pods gradually so the service stays up.';
const P2 = 'Set the surge budget before you start the rollout.';
const TEASER = 'Become a member to read the rest of this story about rollbacks.';

const PREVIEW: NewArticle = {
  url: URL,
  guid: 'https://medium.com/p/5f1e2d3c4b5a',
  source: 'feed',
  title: 'Safe rollouts on a budget',
  author: 'Ira Quinn',
  isPreview: 1,
  savedAt: Date.UTC(2026, 9, 1),
  html: `<p>${P1}</p><p>${P2}</p><pre><code>${CODE}</code></pre><p>${TEASER}</p>`,
  text: `${P1}\n\n${P2}\n\n${CODE}\n\n${TEASER}`,
};

const FULL: NewArticle = {
  ...PREVIEW,
  isPreview: 0,
  html: `<p>Why this matters: a bad rollout costs a night of sleep.</p><p>${P1}</p><p>${P2}</p><pre><code>${CODE}</code></pre><p>Rollbacks need the previous ReplicaSet to still exist.</p>`,
  text: `Why this matters: a bad rollout costs a night of sleep.\n\n${P1}\n\n${P2}\n\n${CODE}\n\nRollbacks need the previous ReplicaSet to still exist.`,
};

/** Selects article text from the first `from` to the next `to` after it, as a drag would. */
async function select(page: Page, from: string, to: string): Promise<void> {
  await expect(page.locator('.article-body:not(.loading)')).toContainText(from);
  await page.evaluate(
    ([start, end]) => {
      const body = document.querySelector('.article-body')!;
      const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
      let a: Text | undefined;
      let aAt = 0;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const t = n as Text;
        if (!a) {
          const i = t.data.indexOf(start);
          if (i < 0) continue;
          a = t;
          aAt = i;
        }
        const j = t.data.indexOf(end, t === a ? aAt : 0);
        if (j >= 0) {
          const range = document.createRange();
          range.setStart(a, aAt);
          range.setEnd(t, j + end.length);
          document.getSelection()!.removeAllRanges();
          document.getSelection()!.addRange(range);
          return;
        }
      }
      throw new Error(`text not found: ${start} … ${end}`);
    },
    [from, to] as const,
  );
}

/**
 * The highlights painted in `scope` (CSS Custom Highlight API ranges), in
 * reading order, as their text; `colour` picks one colour.
 */
function painted(page: Page, scope = '.article-body', colour?: string): Promise<string[]> {
  return page.evaluate(
    ([sel, only]) => {
      const root = document.querySelector(sel)!;
      const ranges: Range[] = [];
      for (const c of only ? [only] : ['yellow', 'green', 'blue', 'pink']) {
        for (const r of (CSS.highlights.get(`offprint-${c}`) ?? []) as Iterable<Range>) if (root.contains(r.commonAncestorContainer)) ranges.push(r);
      }
      ranges.sort((a, b) => a.compareBoundaryPoints(Range.START_TO_START, b));
      return ranges.map((r) => r.toString());
    },
    [scope, colour ?? ''] as const,
  );
}

/** Clicks the middle of the first painted highlight whose text contains `text`. */
async function clickHighlight(page: Page, text: string): Promise<void> {
  const point = await page.evaluate((needle) => {
    for (const c of ['yellow', 'green', 'blue', 'pink']) {
      for (const r of (CSS.highlights.get(`offprint-${c}`) ?? []) as Iterable<Range>) {
        if (!r.toString().includes(needle)) continue;
        const box = r.getClientRects()[0]!;
        return { x: box.left + Math.min(box.width / 2, 20), y: box.top + box.height / 2 };
      }
    }
    return undefined;
  }, text);
  if (!point) throw new Error(`no highlight with ${text}`);
  await page.mouse.click(point.x, point.y);
}

test('highlight across paragraphs and in code, add notes, read offline, survive preview → full text, find a note by search', async ({ context, popup, reader }) => {
  // A long story in one test; a loaded machine may need more than the default minute.
  test.setTimeout(150_000);
  await popup.open();
  const [id] = await popup.addArticles([PREVIEW]);
  const tab = await reader.open(id!);
  await expect(tab.getByRole('heading', { level: 1, name: PREVIEW.title })).toBeVisible();

  // Across two paragraphs, from the selection toolbar.
  await select(tab, 'gradually so', 'Set the surge');
  const toolbar = tab.getByRole('toolbar', { name: 'Highlight selection' });
  await toolbar.getByRole('button', { name: 'Yellow' }).click();
  await expect.poll(() => painted(tab)).toEqual(['gradually so the service stays up.Set the surge']);

  // Inside the code block, with the h key: the exact characters, indentation included.
  await select(tab, '  strategy:', 'RollingUpdate');
  await tab.keyboard.press('h');
  await expect.poll(() => painted(tab, 'pre')).toEqual(['  strategy:\n    type: RollingUpdate']);
  await expect(tab.locator('pre')).toHaveText(CODE);

  // The teaser paragraph, selected by dragging the mouse over it, in green.
  const box = (await tab.getByText(TEASER).boundingBox())!;
  await tab.mouse.move(box.x + 1, box.y + 4);
  await tab.mouse.down();
  await tab.mouse.move(box.x + box.width + 40, box.y + box.height - 4, { steps: 8 });
  await tab.mouse.up();
  await toolbar.getByRole('button', { name: 'Green' }).click();
  await expect.poll(() => painted(tab, '.article-body', 'green')).toEqual([TEASER]);

  // A note on the code highlight: click it, write Markdown, see it rendered.
  await clickHighlight(tab, 'strategy');
  const popover = tab.getByRole('dialog', { name: 'Highlight' });
  await popover.getByRole('button', { name: 'Add note' }).click();
  await popover.getByRole('textbox', { name: 'Note' }).fill('Keep **maxSurge** low during zanzibar drills');
  await popover.getByRole('button', { name: 'Save note' }).click();
  await expect(popover.locator('strong')).toHaveText('maxSurge');
  await tab.keyboard.press('Escape');
  await expect(popover).toBeHidden();

  // The article note.
  await tab.getByRole('button', { name: 'Add article note' }).click();
  await tab.getByRole('textbox', { name: 'Article note' }).fill('Pair with the **PDB** guide.');
  await tab.getByRole('button', { name: 'Save article note' }).click();
  const list = tab.getByRole('region', { name: 'Highlights' });
  await expect(list.getByRole('button', { name: /^Go to highlight/ })).toHaveCount(3);
  await expect(tab.getByRole('region', { name: 'Article note' }).locator('strong')).toHaveText('PDB');

  // Reload with no network: everything is still there.
  await context.setOffline(true);
  await tab.reload();
  await expect(tab.getByRole('heading', { level: 1, name: PREVIEW.title })).toBeVisible();
  await expect.poll(() => painted(tab)).toHaveLength(3);
  await expect(list.getByText('Keep maxSurge low during zanzibar drills')).toBeVisible();
  await expect(tab.getByRole('region', { name: 'Article note' })).toContainText('Pair with the PDB guide.');

  // The preview becomes the full post: two re-anchor, the teaser's is listed as not placed, with its quote.
  await popup.addArticles([FULL]);
  await expect(tab.getByText('Why this matters')).toBeVisible();
  await expect.poll(() => painted(tab)).toEqual(['gradually so the service stays up.Set the surge', '  strategy:\n    type: RollingUpdate']);
  const unplaced = tab.getByRole('region', { name: 'Could not be placed' });
  await expect(unplaced).toContainText(TEASER);
  await expect(list.getByRole('button', { name: /^Go to highlight/ })).toHaveCount(2);

  // Jump to a highlight from the list.
  await list.getByRole('button', { name: /^Go to highlight: gradually so/ }).click();
  await expect.poll(() => tab.evaluate(() => CSS.highlights.get('offprint-flash')?.size)).toBe(1);

  // Click a highlight to recolour it, then delete it and undo.
  await clickHighlight(tab, 'gradually');
  await popover.getByRole('button', { name: 'Blue' }).click();
  await expect.poll(() => painted(tab, '.article-body', 'blue')).toEqual(['gradually so the service stays up.Set the surge']);
  await tab.keyboard.press('Escape');
  await clickHighlight(tab, 'gradually');
  await popover.getByRole('button', { name: 'Delete highlight' }).click();
  await expect.poll(() => painted(tab, '.article-body', 'blue')).toEqual([]);
  await tab.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(() => painted(tab, '.article-body', 'blue')).toEqual(['gradually so the service stays up.Set the surge']);

  // Search finds a word that is only in a note, and says so.
  await tab.getByRole('combobox', { name: 'Search library' }).or(tab.getByRole('searchbox', { name: 'Search library' })).fill('zanzibar');
  const hit = tab.getByRole('option', { name: PREVIEW.title });
  await expect(hit).toBeVisible();
  await expect(hit).toContainText('Matched your note');

  // Opening a result marks the words it matched (issue 12), and the highlights stay painted over them.
  await tab.getByRole('combobox', { name: 'Search library' }).or(tab.getByRole('searchbox', { name: 'Search library' })).fill('rollingupdate');
  await tab.getByRole('option', { name: PREVIEW.title }).click();
  await expect(tab.locator('.article-body mark.search-match').first()).toHaveText('RollingUpdate');
  await expect.poll(() => painted(tab)).toEqual(['gradually so the service stays up.Set the surge', '  strategy:\n    type: RollingUpdate']);
});

test('Markdown export holds quote and note; a backup restored in a fresh profile keeps them; the Highlights view lists them', async ({ server, context, extensionId, serviceWorker, popup, reader }) => {
  await popup.open();
  const [id] = await popup.addArticles([FULL]);
  const tab = await reader.open(id!);
  await select(tab, 'Set the surge', 'rollout.');
  await tab.getByRole('toolbar', { name: 'Highlight selection' }).getByRole('button', { name: 'Note' }).click();
  const popover = tab.getByRole('dialog', { name: 'Highlight' });
  await popover.getByRole('textbox', { name: 'Note' }).fill('Budget = 25% for stateless services');
  await popover.getByRole('button', { name: 'Save note' }).click();
  await expect(popover).toContainText('Budget = 25% for stateless services');
  await tab.keyboard.press('Escape');

  // The context menu's "Highlight selection" (a native menu cannot be clicked: its listener is run).
  await select(tab, 'Why this matters', 'night of sleep.');
  await serviceWorker.evaluate(
    (pageUrl) => (globalThis as unknown as { offprintListeners: { contextMenu: (info: unknown, tab?: unknown) => unknown } }).offprintListeners.contextMenu({ menuItemId: 'offprint-highlight-selection', pageUrl }),
    tab.url(),
  );
  await expect.poll(() => painted(tab)).toEqual(['Why this matters: a bad rollout costs a night of sleep.', 'Set the surge budget before you start the rollout.']);

  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  await options.getByRole('group', { name: 'Articles to export' }).getByRole('checkbox', { name: FULL.title }).check();
  const [md] = await Promise.all([options.waitForEvent('download'), options.getByRole('button', { name: 'Export selected (1)' }).click()]);
  const mdPath = test.info().outputPath('article.md');
  await md.saveAs(mdPath);
  const markdown = readFileSync(mdPath, 'utf8');
  expect(markdown).toContain('## Highlights\n\n> Why this matters: a bad rollout costs a night of sleep.\n\n> Set the surge budget before you start the rollout.\n\nBudget = 25% for stateless services');

  await options.reload();
  const [zip] = await Promise.all([options.waitForEvent('download'), options.getByRole('button', { name: 'Download highlights (zip)' }).click()]);
  expect(zip.suggestedFilename()).toMatch(/^offprint-highlights-.*\.zip$/);
  await options.reload();
  const [backup] = await Promise.all([options.waitForEvent('download'), options.getByRole('button', { name: 'Download backup' }).click()]);
  const backupPath = test.info().outputPath('backup.json');
  await backup.saveAs(backupPath);

  const fresh = await launchWithExtension(server.port);
  try {
    const page = await fresh.context.newPage();
    await page.goto(`chrome-extension://${fresh.extensionId}/options.html`);
    await page.getByLabel('Choose files to import').setInputFiles([backupPath]);
    await expect(page.getByRole('list', { name: 'Imported files' })).toContainText('Restored 1 article with 2 highlights');
    const other = new PopupPage(fresh.context, fresh.extensionId);
    const view = await other.open();
    await other.tab('Highlights').click();
    const entries = view.getByRole('list', { name: 'Highlights' });
    await expect(entries).toContainText('Set the surge budget before you start the rollout.');
    await expect(entries).toContainText('Budget = 25% for stateless services');
    await view.getByRole('combobox', { name: 'Filter highlights by colour' }).selectOption('pink');
    await expect(view.getByText('No highlights match these filters.')).toBeVisible();
    await view.getByRole('combobox', { name: 'Filter highlights by colour' }).selectOption('yellow');
    await entries.getByRole('button', { name: FULL.title }).first().click();
    await expect(view.getByRole('heading', { level: 1, name: FULL.title })).toBeVisible();
    await expect.poll(() => painted(view)).toEqual(['Why this matters: a bad rollout costs a night of sleep.', 'Set the surge budget before you start the rollout.']);
  } finally {
    await fresh.close();
  }
});

test('an Omnivore export with highlights imports them, and says what it could not keep', async ({ popup, context, extensionId }) => {
  const meta = [{ id: 'o1', slug: 'tf-state', title: 'Locking Terraform state', author: 'Noor', url: 'https://infra.example.dev/tf-state', savedAt: '2024-04-02T09:00:00Z', state: 'Succeeded', labels: ['terraform'] }];
  const zip = zipSync({
    'metadata_0_to_1.json': strToU8(JSON.stringify(meta)),
    'content/tf-state.html': strToU8('<p>Store state remotely with a lock table.</p><p>Never edit the state file by hand.</p>'),
    'highlights/tf-state.md': strToU8('> Never edit the state file by hand. [⤴️](https://omnivore.app/me/tf-state#h1)\n\n#terraform\n\nUse `terraform state mv` instead.\n'),
    'highlights/missing.md': strToU8('> A quote of an article not in the export\n'),
  });
  const path = test.info().outputPath('omnivore-export.zip');
  writeFileSync(path, zip);
  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  await options.getByLabel('Choose files to import').setInputFiles([path]);
  const row = options.getByRole('list', { name: 'Imported files' });
  await expect(row).toContainText('1 highlight kept');
  await expect(row).toContainText('1 highlight in highlights/ belong to no article of the export and were not imported');

  const page = await popup.open();
  await popup.tab('Highlights').click();
  await page.getByRole('combobox', { name: 'Filter highlights by tag' }).selectOption('terraform');
  const entries = page.getByRole('list', { name: 'Highlights' });
  await expect(entries).toContainText('Never edit the state file by hand.');
  await expect(entries.locator('code')).toHaveText('terraform state mv');
  await entries.getByRole('button', { name: 'Locking Terraform state' }).click();
  await expect.poll(() => painted(page)).toEqual(['Never edit the state file by hand.']);
  // Highlighting in the popup reader too.
  await select(page, 'Store state', 'lock table.');
  await page.getByRole('toolbar', { name: 'Highlight selection' }).getByRole('button', { name: 'Pink' }).click();
  await expect.poll(() => painted(page, '.article-body', 'pink')).toEqual(['Store state remotely with a lock table.']);
});

test('the library page reader highlights with h, and its Highlights view opens the article at the highlight', async ({ context, extensionId, popup }) => {
  await popup.open();
  await popup.addArticles([FULL]);
  const library = new LibraryPage(context, extensionId);
  const page = await library.open();
  await page.setViewportSize({ width: 1400, height: 860 });
  await library.article(FULL.title).click();
  await expect(library.readerTitle).toHaveText(FULL.title);

  await select(page, 'Set the surge', 'rollout.');
  await expect(library.reader.getByRole('toolbar', { name: 'Highlight selection' })).toBeVisible();
  await page.keyboard.press('h');
  await expect.poll(() => painted(page)).toEqual([P2]);
  await expect(library.reader.getByText('Highlights and notes (1)')).toBeVisible();
  // `h` only highlighted: the article is still open and still in the Inbox.
  await expect(library.readerTitle).toHaveText(FULL.title);

  await page.reload();
  await library.source('Highlights').click();
  const entries = page.getByRole('region', { name: 'Article list' }).getByRole('list', { name: 'Highlights' });
  await expect(entries).toContainText(P2);
  await entries.getByRole('button', { name: FULL.title }).click();
  await expect(library.readerTitle).toHaveText(FULL.title);
  await expect.poll(() => painted(page)).toEqual([P2]);
  await page.screenshot({ path: test.info().outputPath('library-highlights.png') });
});
