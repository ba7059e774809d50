// Stored-HTML side of gists, DOM-free: the Chrome background has no DOM.

import { GIST_ATTR } from './embeds';

/** The gist hosts Offprint asks optional access to, the first time it needs them. */
export const GIST_ORIGINS = ['https://gist.github.com/*', 'https://api.github.com/*', 'https://gist.githubusercontent.com/*'];

export const GIST_PERMISSION_EXPLANATION =
  'To save the code of gists embedded in articles, Offprint needs to read gist.github.com, api.github.com and gist.githubusercontent.com. It only downloads the gists your saved articles embed.';

export interface GistFile {
  filename: string;
  language?: string;
  content: string;
}

const MARKER = new RegExp(`<pre ${GIST_ATTR}="([^"]*)">[\\s\\S]*?</pre>`, 'g');

function decodeAttr(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The embeds of stored HTML whose code is not in yet. */
export function pendingGists(html: string): string[] {
  return [...new Set([...html.matchAll(MARKER)].map((m) => decodeAttr(m[1]!)))];
}

export function hasPendingCode(html: string): boolean {
  return html.includes(`<pre ${GIST_ATTR}=`);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** GitHub's language name as the class the sanitizer and Markdown export keep ("Shell" -> "shell", "C++" -> "c++"). */
export function languageClass(language: string | undefined): string | undefined {
  const lang = language?.trim().toLowerCase().replace(/\s+/g, '-');
  if (!lang || lang === 'text' || !/^[\w+#.-]+$/.test(lang)) return undefined;
  return lang;
}

/** A gist's files as ordinary code blocks: the file name as caption, the language as class, the text exact. */
export function gistFilesHtml(files: GistFile[]): string {
  return files
    .map((f) => {
      const lang = languageClass(f.language);
      return `<figure><figcaption>${escapeHtml(f.filename)}</figcaption><pre><code${lang ? ` class="language-${escapeHtml(lang)}"` : ''}>${escapeHtml(f.content)}</code></pre></figure>`;
    })
    .join('');
}

/** An embed that turned out not to be code (a Medium video, a tweet): a plain link to it. */
export function embedLinkHtml(url: string): string {
  return `<p><a href="${escapeHtml(url)}">Embedded content: ${escapeHtml(url)}</a></p>`;
}

/** Replaces the markers of the given embeds with their HTML; others stay. */
export function replaceMarkers(html: string, replacements: Map<string, string>): string {
  return html.replace(MARKER, (whole, attr: string) => replacements.get(decodeAttr(attr)) ?? whole);
}
