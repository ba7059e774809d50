import { shortPost } from '../fixtures/reader/articles';
import { expect, test } from './harness/fixtures';

test('Trash: a deleted article stays there after the undo toast, can be restored, and deleted forever after a confirmation', async ({ context, popup }) => {
  await popup.open();
  const posts = [shortPost(1), shortPost(2), shortPost(3)];
  await popup.addArticles(posts);
  await context.setOffline(true);
  const page = await popup.open();
  await popup.tab('Saved').click();
  await expect(popup.tab('Saved')).toContainText('3');

  // Delete two by keyboard and let the undo toast run out.
  await popup.article(posts[0]!.title).focus();
  await page.keyboard.press('#');
  await expect(popup.article(posts[0]!.title)).toHaveCount(0);
  await popup.article(posts[1]!.title).focus();
  await page.keyboard.press('#');
  await expect(popup.article(posts[1]!.title)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Undo' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Undo' })).toHaveCount(0, { timeout: 15_000 });

  // Trash is a tab like the others, reached with the arrow keys.
  await popup.tab('Saved').focus();
  await page.keyboard.press('End');
  await expect(popup.tab('Trash')).toHaveAttribute('aria-selected', 'true');
  await expect(popup.tab('Trash')).toContainText('2');
  await expect(page.getByText('Deleted articles are removed for good after a day.')).toBeVisible();
  await expect(popup.article(posts[0]!.title)).toBeVisible();
  await expect(popup.article(posts[1]!.title)).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('popup-trash.png') });

  // `#` in Trash does not delete again (no second "deleted" toast).
  await popup.article(posts[0]!.title).focus();
  await page.keyboard.press('#');
  await expect(page.getByText('Article deleted.')).toHaveCount(0);
  await expect(popup.tab('Trash')).toContainText('2');

  // Restore one: it goes back to Saved.
  await page.getByRole('button', { name: `Restore ${posts[0]!.title}` }).click();
  await expect(popup.article(posts[0]!.title)).toHaveCount(0);
  await expect(popup.tab('Trash')).toContainText('1');
  await expect(popup.tab('Saved')).toContainText('2');

  // Delete the other forever: Cancel keeps it, confirming removes it.
  await page.getByRole('button', { name: `Delete ${posts[1]!.title} forever` }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Delete forever?' });
  await expect(confirm).toContainText('cannot be undone');
  await expect(confirm.getByRole('button', { name: 'Delete forever' })).toBeFocused();
  await page.screenshot({ path: test.info().outputPath('popup-trash-confirm.png') });
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(popup.article(posts[1]!.title)).toBeVisible();
  await page.getByRole('button', { name: `Delete ${posts[1]!.title} forever` }).click();
  await confirm.getByRole('button', { name: 'Delete forever' }).click();
  await expect(popup.article(posts[1]!.title)).toHaveCount(0);
  await expect(page.getByText('Trash is empty.')).toBeVisible();

  // After reopening: the restored one is in Saved, the purged one is nowhere.
  await popup.open();
  await popup.tab('Saved').click();
  await expect(popup.article(posts[0]!.title)).toBeVisible();
  await expect(popup.article(posts[2]!.title)).toBeVisible();
  await expect(popup.article(posts[1]!.title)).toHaveCount(0);
  await popup.tab('Trash').click();
  await expect(page.getByText('Trash is empty.')).toBeVisible();
});

test('Trash: restore and delete forever on a selection', async ({ popup }) => {
  await popup.open();
  const posts = [shortPost(1), shortPost(2), shortPost(3)];
  await popup.addArticles(posts);
  const page = await popup.open();
  await popup.tab('Saved').click();
  for (const p of posts) await page.getByRole('checkbox', { name: `Select ${p.title}` }).check();
  await page.getByRole('toolbar', { name: 'Selected articles' }).getByRole('button', { name: 'Delete' }).click();
  await popup.tab('Trash').click();
  await expect(popup.tab('Trash')).toContainText('3');

  await page.getByRole('checkbox', { name: `Select ${posts[0]!.title}` }).check();
  await page.getByRole('checkbox', { name: `Select ${posts[1]!.title}` }).check();
  const bulk = page.getByRole('toolbar', { name: 'Selected articles' });
  await expect(bulk.getByRole('button', { name: 'Delete', exact: true })).toHaveCount(0);
  await bulk.getByRole('button', { name: 'Restore' }).click();
  await expect(popup.tab('Trash')).toContainText('1');
  await expect(popup.tab('Saved')).toContainText('2');

  await page.getByRole('checkbox', { name: `Select ${posts[2]!.title}` }).check();
  await bulk.getByRole('button', { name: 'Delete forever' }).click();
  await page.getByRole('alertdialog', { name: 'Delete forever?' }).getByRole('button', { name: 'Delete forever' }).click();
  await expect(page.getByText('Trash is empty.')).toBeVisible();
  await expect(popup.tab('Trash')).toHaveAccessibleName('Trash 0');
});
