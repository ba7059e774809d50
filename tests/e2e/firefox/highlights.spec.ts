import type { Page } from '@playwright/test';
import type { NewArticle } from '../../../lib/messages';
import { expect, test } from './fixtures';

// Highlights and notes in Firefox's reader page: the CSS Custom Highlight API
// paints them, Firefox's IndexedDB keeps them, offline.

const P1 = 'Rolling updates replace pods gradually so the service stays up.';
const P2 = 'Set the surge budget before you start the rollout.';
const P3 = 'Rollbacks need the previous ReplicaSet to still exist.';
const ARTICLE: NewArticle = {
  url: 'https://medium.com/@rollouts/safe-rollouts-5f1e2d3c4b5a',
  source: 'clip',
  title: 'Safe rollouts on a budget',
  author: 'Ira Quinn',
  savedAt: Date.UTC(2026, 9, 1),
  html: `<p>${P1}</p><p>${P2}</p><p>${P3}</p>`,
  text: `${P1}\n\n${P2}\n\n${P3}`,
};

/** Selects article text from the first `from` to the next `to` after it, as a drag would. */
async function select(page: Page, from: string, to: string): Promise<void> {
  await expect(page.locator('.article-body:not(.loading)')).toContainText(from);
  await page.evaluate(
    ([start, end]) => {
      const walker = document.createTreeWalker(document.querySelector('.article-body')!, NodeFilter.SHOW_TEXT);
      let a: Text | undefined;
      let aAt = 0;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const t = n as Text;
        if (!a) {
          aAt = t.data.indexOf(start);
          if (aAt < 0) continue;
          a = t;
        }
        const j = t.data.indexOf(end, t === a ? aAt : 0);
        if (j < 0) continue;
        const range = document.createRange();
        range.setStart(a, aAt);
        range.setEnd(t, j + end.length);
        document.getSelection()!.removeAllRanges();
        document.getSelection()!.addRange(range);
        return;
      }
      throw new Error(`text not found: ${start} … ${end}`);
    },
    [from, to] as const,
  );
}

/** The painted highlights (CSS Custom Highlight API ranges) in reading order, as their text. */
function painted(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const ranges: Range[] = [];
    for (const c of ['yellow', 'green', 'blue', 'pink']) for (const r of (CSS.highlights.get(`offprint-${c}`) ?? []) as Iterable<Range>) ranges.push(r);
    ranges.sort((a, b) => a.compareBoundaryPoints(Range.START_TO_START, b));
    return ranges.map((r) => r.toString());
  });
}

test('a highlight across two paragraphs and one made with h, a note on it, kept through an offline reload', async ({ context, popup, reader }) => {
  await popup.open();
  const [id] = await popup.addArticles([ARTICLE]);
  const tab = await reader.open(id!);
  await expect(reader.title).toHaveText(ARTICLE.title);

  // Across two paragraphs, from the selection toolbar.
  await select(tab, 'gradually so', 'Set the surge');
  await tab.getByRole('toolbar', { name: 'Highlight selection' }).getByRole('button', { name: 'Yellow' }).click();

  // At once, as a quick reader would, the next passage with the h key: the first save,
  // still under way, must not clear this selection when it ends.
  await select(tab, 'previous ReplicaSet', 'exist.');
  await tab.keyboard.press('h');
  await expect.poll(() => painted(tab)).toEqual(['gradually so the service stays up.Set the surge', 'previous ReplicaSet to still exist.']);

  // A note on the first: click the painted text, write Markdown.
  const point = await tab.evaluate(() => {
    const range = [...(CSS.highlights.get('offprint-yellow') as unknown as Iterable<Range>)].find((r) => r.toString().startsWith('gradually'))!;
    const box = range.getClientRects()[0]!;
    return { x: box.left + Math.min(box.width / 2, 20), y: box.top + box.height / 2 };
  });
  await tab.mouse.click(point.x, point.y);
  const popover = tab.getByRole('dialog', { name: 'Highlight' });
  await popover.getByRole('button', { name: 'Add note' }).click();
  await popover.getByRole('textbox', { name: 'Note' }).fill('Keep **maxSurge** low');
  await popover.getByRole('button', { name: 'Save note' }).click();
  await expect(popover.locator('strong')).toHaveText('maxSurge');
  await tab.keyboard.press('Escape');
  await expect(popover).toBeHidden();

  // Reloaded with no network: both highlights are painted again and the note is listed.
  await context.setOffline(true);
  await tab.reload();
  expect(await tab.evaluate(() => navigator.onLine)).toBe(false);
  await expect(reader.title).toHaveText(ARTICLE.title);
  await expect.poll(() => painted(tab)).toEqual(['gradually so the service stays up.Set the surge', 'previous ReplicaSet to still exist.']);
  const list = tab.getByRole('region', { name: 'Highlights' });
  await expect(list.getByRole('button', { name: /^Go to highlight/ })).toHaveCount(2);
  await expect(list.getByText('Keep maxSurge low')).toBeVisible();
  await tab.screenshot({ path: test.info().outputPath('highlights-offline.png') });
});
