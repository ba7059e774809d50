import type { Transaction } from 'dexie';
import type { ArticleContent } from '../db/types';
import { preBreaksToNewlines } from '../html/pre-breaks';

/**
 * Database upgrades that rewrite library rows live here, with the library's
 * other writes; lib/db/schema.ts calls them from its version() blocks.
 */

/** v3: code stored before issue 10 keeps Medium's `<br>` inside `<pre>`; store real newlines. */
export async function upgradeToV3(tx: Transaction): Promise<void> {
  await tx
    .table<ArticleContent, string>('contents')
    .toCollection()
    .modify((c) => {
      const html = preBreaksToNewlines(c.html);
      if (html !== c.html) c.html = html;
    });
}
