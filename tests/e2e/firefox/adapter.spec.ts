import { expect, test } from './fixtures';

// The adapter's locators and assertions must fail where Playwright's would,
// or the Firefox specs could pass on a broken build.

const PAGE = `<!doctype html><html><head><title>Adapter check</title></head><body>
<h1>Library</h1>
<nav aria-label="Views"><button role="tab" aria-selected="true">Inbox <span>3</span></button><button role="tab" aria-selected="false">Saved</button></nav>
<label>Search library <input type="search" value=""></label>
<ul aria-label="Articles"><li aria-label="First post"><button>First post</button></li><li aria-label="Second post"><button disabled>Second post</button></li></ul>
<p hidden>Hidden words</p><p aria-hidden="true"><button>Invisible</button></p>
<div role="status">Saved 2 articles.</div>
</body></html>`;

test('the adapter finds by role, name, label and text as Playwright does, and its assertions fail when they should', async ({ context, server }) => {
  server.page('https://adapter.example.dev/', PAGE);
  const page = await context.newPage();
  await page.goto('https://adapter.example.dev/');

  await expect(page.getByRole('heading', { level: 1, name: 'Library' })).toBeVisible();
  await expect(page.getByRole('tab', { name: /^Inbox\b/ })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tab', { name: 'inbox' })).toHaveCount(1);
  await expect(page.getByRole('tab', { name: 'inbox', exact: true })).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Articles' }).getByRole('listitem')).toHaveCount(2);
  await expect(page.getByRole('listitem', { name: 'Second post' }).getByRole('button')).toHaveAccessibleName('Second post');
  await expect(page.getByRole('button', { name: 'Invisible' })).toHaveCount(0);
  await expect(page.getByText('Hidden words')).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: 'Saved 2' })).toContainText('articles');

  const box = page.getByLabel('Search library');
  await box.fill('kubernetes');
  await expect(box).toHaveValue('kubernetes');

  // Wrong expectations fail (quickly, with what was found).
  const fails = async (check: Promise<unknown>) => expect(await check.then(() => 'passed', (err: Error) => err.message)).not.toBe('passed');
  await fails(expect(page.getByRole('heading', { name: 'Nothing like it' })).toBeVisible({ timeout: 500 }));
  await fails(expect(page.getByRole('status')).toHaveText('Saved 3 articles.', { timeout: 500 }));
  await fails(expect(page.getByRole('status')).not.toContainText('Saved', { timeout: 500 }));
  // Several matches for a single-element assertion or an action is an error, as in Playwright's strict mode.
  await fails(expect(page.getByRole('tab')).toHaveText('Inbox 3', { timeout: 500 }));
  await fails(page.getByRole('listitem').getByRole('button').click());
  // A disabled button cannot be clicked.
  await fails(page.getByRole('button', { name: 'Second post' }).click({ timeout: 1000 }));
});
