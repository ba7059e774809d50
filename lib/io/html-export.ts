import { isWebUrl } from '../urls/safe';
import type { Article } from '../db/types';
import { escapeHtml } from './draft';

const STYLE = `body{margin:0;background:#fdfcf9;color:#1d1d1f;font:19px/1.6 Georgia,"Times New Roman",serif}
main{max-width:68ch;margin:0 auto;padding:2rem 1.25rem 4rem}
h1{font-size:2rem;line-height:1.2;margin:0 0 .5rem}.byline{color:#666;font:15px/1.4 system-ui,sans-serif;margin:0 0 2rem}
img{max-width:100%;height:auto}pre{background:#f3f1ec;padding:1rem;overflow:auto;font:14px/1.45 ui-monospace,Menlo,Consolas,monospace}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}blockquote{border-left:3px solid #ccc;margin-left:0;padding-left:1rem;color:#444}
a{color:#0b5cad}footer{margin-top:3rem;font:14px system-ui,sans-serif;color:#666}
@media (prefers-color-scheme:dark){body{background:#1b1b1d;color:#e6e6e6}pre{background:#2a2a2d}a{color:#7ab7ff}.byline,footer{color:#aaa}}`;

/**
 * One article as a self-contained HTML page: inline style, no scripts, and
 * images inlined as data: URLs when they are stored offline, so the file
 * opens anywhere without the network. `html` must already be sanitized.
 */
export function articleToHtml(article: Article, html: string, images: Map<string, string> = new Map()): string {
  const body = images.size ? html.replace(/(<img\b[^>]*?\ssrc=")([^"]+)(")/gi, (whole, a: string, src: string, b: string) => {
    const data = images.get(src.replace(/&amp;/g, '&'));
    return data ? `${a}${data}${b}` : whole;
  }) : html;
  const date = article.publishedAt ?? article.savedAt;
  const byline = [article.author, article.siteName, new Date(date).toISOString().slice(0, 10)].filter(Boolean).map((s) => escapeHtml(String(s))).join(' · ');
  const meta = [
    ['author', article.author],
    ['offprint:url', article.url],
    ['offprint:date', new Date(date).toISOString()],
    ['keywords', article.tags.join(', ')],
  ]
    .filter(([, v]) => v)
    .map(([k, v]) => `<meta name="${k}" content="${escapeHtml(v!)}">`)
    .join('\n');
  return `<!doctype html>
<html lang="${escapeHtml(article.lang ?? 'en')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data: https: http:; style-src 'unsafe-inline'">
<title>${escapeHtml(article.title)}</title>
${isWebUrl(article.url) ? `<link rel="canonical" href="${escapeHtml(article.url)}">\n` : ''}${meta}
<style>${STYLE}</style>
</head>
<body>
<main>
<article>
<h1>${escapeHtml(article.title)}</h1>
<p class="byline">${byline}</p>
${body}
</article>
<footer>Saved with Offprint from ${isWebUrl(article.url) ? `<a href="${escapeHtml(article.url)}">${escapeHtml(article.url)}</a>` : escapeHtml(article.url)}</footer>
</main>
</body>
</html>
`;
}
