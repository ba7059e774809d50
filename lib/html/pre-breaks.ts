/**
 * Medium (and other feeds) break code lines with `<br>` inside `<pre>`. The
 * block shows its lines, but the text a Copy button, an export or search
 * reads has none. Every write stores real newlines instead. DOM-free (the
 * Chrome background and database upgrades have no DOM).
 */
const PRE_BLOCK = /<pre\b[^>]*>[\s\S]*?<\/pre\s*>/gi;
const BR = /<br\s*\/?>(\r?\n)?/gi;

export function preBreaksToNewlines(html: string): string {
  if (!/<pre\b/i.test(html) || !/<br/i.test(html)) return html;
  return html.replace(PRE_BLOCK, (block) => block.replace(BR, '\n'));
}
