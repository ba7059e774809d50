// Stored-HTML side of gists, DOM-free: the Chrome background has no DOM.

import { decodeEntities } from '../text/plain';
import { GIST_ATTR, MARKER_PREFIX } from './embeds';

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

/**
 * A gist's files as ordinary code blocks: the file name as caption, the language as class, the text exact.
 * Each figure keeps the embed it came from (`data-offprint-gist` on the figure, not on a <pre>: it is
 * code now, not a placeholder), so a later copy still holding the placeholder can be given the code back.
 */
export function gistFilesHtml(files: GistFile[], from?: string): string {
  const origin = from ? ` ${GIST_ATTR}="${escapeHtml(from)}"` : '';
  return files
    .map((f) => {
      const lang = languageClass(f.language);
      return `<figure${origin}><figcaption>${escapeHtml(f.filename)}</figcaption><pre><code${lang ? ` class="language-${escapeHtml(lang)}"` : ''}>${escapeHtml(f.content)}</code></pre></figure>`;
    })
    .join('');
}

/** An embed that turned out not to be code (a Medium video, a tweet): a plain link to it. */
export function embedLinkHtml(url: string, from?: string): string {
  return `<p${from ? ` ${GIST_ATTR}="${escapeHtml(from)}"` : ''}><a href="${escapeHtml(url)}">Embedded content: ${escapeHtml(url)}</a></p>`;
}

/** Replaces the markers of the given embeds with their HTML; others stay. */
export function replaceMarkers(html: string, replacements: Map<string, string>): string {
  return html.replace(MARKER, (whole, attr: string) => replacements.get(decodeAttr(attr)) ?? whole);
}

/** Filled embeds in stored HTML (figures of code, or the link of an embed that was not code), each with its embed URL. */
const FILLED = new RegExp(`<(figure|p) ${GIST_ATTR}="([^"]*)">[\\s\\S]*?</\\1>`, 'g');
const FIGURE_PARTS = /<figcaption>([\s\S]*?)<\/figcaption>\s*<pre>\s*<code[^>]*>([\s\S]*?)<\/code>/;

/** The plain text of one filled element, as the stored text has it (caption, then code; or the link's words). */
function filledText(element: string): string {
  const parts = FIGURE_PARTS.exec(element);
  const strip = (s: string) => decodeEntities(s.replace(/<[^>]*>/g, ''));
  return parts ? `${strip(parts[1]!)}\n\n${strip(parts[2]!)}` : strip(element).trim();
}

/** What stored HTML has filled, by embed URL: the elements' HTML and text, in document order. */
export function filledEmbeds(html: string): Map<string, { html: string; text: string }> {
  const out = new Map<string, { html: string; text: string }>();
  for (const m of html.matchAll(FILLED)) {
    const url = decodeAttr(m[2]!);
    const prev = out.get(url);
    const text = filledText(m[0]);
    out.set(url, prev ? { html: prev.html + m[0], text: `${prev.text}\n\n${text}` } : { html: m[0], text });
  }
  return out;
}

/**
 * A new copy of an article (a re-polled feed item, a capture of the page again) whose embeds are
 * placeholders, given the code the stored copy already has for the same embeds: the placeholders
 * become the stored figures, in HTML and text. Other placeholders stay, to be filled.
 */
export function carryFilledEmbeds(incoming: { html: string; text: string }, stored: { html: string } | undefined): { html: string; text: string } {
  if (!stored || !hasPendingCode(incoming.html) || !stored.html.includes(GIST_ATTR)) return incoming;
  const filled = filledEmbeds(stored.html);
  if (!filled.size) return incoming;
  let text = incoming.text;
  const html = incoming.html.replace(MARKER, (whole, attr: string) => {
    const url = decodeAttr(attr);
    const found = filled.get(url);
    if (!found) return whole;
    // The placeholder's words in the text: "Embedded code: URL".
    const at = text.indexOf(MARKER_PREFIX + url);
    if (at >= 0) text = text.slice(0, at) + found.text + text.slice(at + MARKER_PREFIX.length + url.length);
    return found.html;
  });
  return html === incoming.html ? incoming : { html, text };
}
