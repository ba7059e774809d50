import { marked } from 'marked';
import { importedTextUrl } from './hash';
import { stripTextNoise } from './text-noise';
import { cleanTags, escapeHtml, parseDate, type DraftArticle } from './draft';

const MAX_TITLE = 140;

/**
 * A plain text file as one article. The first line is the title when it
 * reads like one (short); otherwise the title is the text's first words and
 * the line stays in the body. Blank lines separate paragraphs; a file with no
 * blank lines at all has one paragraph per line. Indented or YAML-looking
 * blocks become code, keeping their line breaks.
 */
export function textToDraft(text: string, fileName: string, savedAt?: number): DraftArticle {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  // The page's furniture goes, as when the same page is clipped; the URL stays that of the whole file.
  const lines = stripTextNoise(normalized).split('\n');
  const firstIndex = lines.findIndex((l) => l.trim() !== '');
  if (firstIndex < 0) throw new Error(`${fileName} is empty.`);
  const first = lines[firstIndex]!.trim();
  const titleIsFirstLine = first.length <= MAX_TITLE && !/[.:;,]$/.test(first);
  const title = titleIsFirstLine ? first : firstWords(first) || titleFromFileName(fileName);
  const bodyLines = titleIsFirstLine ? lines.slice(firstIndex + 1) : lines.slice(firstIndex);
  const body = bodyLines.join('\n');
  const html = textBlocksToHtml(body);
  return {
    url: importedTextUrl(normalized),
    title,
    html,
    tags: [],
    savedAt,
  };
}

export function textBlocksToHtml(body: string): string {
  const hasBlankLines = /\n[ \t]*\n/.test(body.trim());
  const blocks = hasBlankLines ? body.split(/\n[ \t]*\n/) : body.split('\n');
  const out: string[] = [];
  for (const raw of blocks) {
    const block = raw.replace(/^\n+|\s+$/g, '');
    if (!block.trim()) continue;
    const lines = block.split('\n');
    if (looksLikeCode(lines)) {
      out.push(`<pre><code>${escapeHtml(block)}</code></pre>`);
    } else if (lines.every((l) => BULLET.test(l))) {
      out.push(`<ul>${lines.map((l) => `<li>${escapeHtml(l.replace(BULLET, ''))}</li>`).join('')}</ul>`);
    } else {
      // Lines inside a paragraph are kept as line breaks: captures put
      // headings and list items on their own lines.
      out.push(`<p>${lines.map((l) => escapeHtml(l.trim())).join('<br>')}</p>`);
    }
  }
  return out.join('\n');
}

/** Code and config samples: several lines, indented, or key: value / shell shaped. */
const BULLET = /^\s*(?:[•·▪◦*-]|\d+[.)])\s+/;

function looksLikeCode(lines: string[]): boolean {
  if (lines.some((l) => BULLET.test(l) && !/^\s*- [\w.-]+:/.test(l))) return false;
  if (lines.length < 2) {
    const line = lines[0]!.trim();
    return /^(?:\$ |kubectl |docker |podman |helm |apiVersion:)/.test(line) && !/\w[.!?]$/.test(line);
  }
  const codeish = lines.filter(
    (l) => /^(?: {2,}|\t)\S/.test(l) || /^[\w.-]+:(?:\s|$)/.test(l) || /^\s*- \w+:/.test(l) || /^(?:\$ |#!|kubectl |docker |podman |helm )/.test(l) || /[{};]\s*$/.test(l),
  ).length;
  return codeish / lines.length >= 0.6;
}

/** The first sentence; an emoji followed by a space also ends one (social posts rarely use full stops). */
function firstWords(line: string): string {
  const boundary = /(?<=[.!?]|\p{Extended_Pictographic})\s/gu;
  let sentence = line;
  for (let m = boundary.exec(line); m; m = boundary.exec(line)) {
    if (m.index >= 20) {
      sentence = line.slice(0, m.index);
      break;
    }
  }
  if (sentence.length <= 100) return sentence.replace(/[.:;,]$/, '');
  return sentence.slice(0, 100).replace(/\s+\S*$/, '') + '…';
}

export function titleFromFileName(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '');
  return base.replace(/[-_]+/g, ' ').trim() || 'Imported text';
}

/** Front matter fields Offprint writes on export and reads back on import. */
export interface FrontMatter {
  title?: string;
  author?: string;
  url?: string;
  date?: string;
  tags?: string[];
  [key: string]: string | string[] | undefined;
}

/** Splits a `---` YAML front matter block (the simple subset exporters write) from Markdown. */
export function splitFrontMatter(md: string): { meta: FrontMatter; body: string } {
  const m = /^---[ \t]*\n([\s\S]*?)\n---[ \t]*(?:\n|$)/.exec(md);
  if (!m) return { meta: {}, body: md };
  const meta: FrontMatter = {};
  let listKey: string | undefined;
  for (const line of m[1]!.split('\n')) {
    const item = /^\s+-\s+(.*)$/.exec(line);
    if (item && listKey) {
      const list = (meta[listKey] as string[] | undefined) ?? [];
      list.push(unquote(item[1]!));
      meta[listKey] = list;
      continue;
    }
    const kv = /^([A-Za-z_][\w-]*):\s*(.*)$/.exec(line);
    if (!kv) continue;
    const key = kv[1]!.toLowerCase();
    const value = kv[2]!.trim();
    if (value === '') {
      listKey = key;
      meta[key] = [];
    } else if (value.startsWith('[') && value.endsWith(']')) {
      listKey = undefined;
      meta[key] = value.slice(1, -1).split(',').map((v) => unquote(v.trim())).filter(Boolean);
    } else {
      listKey = undefined;
      meta[key] = unquote(value);
    }
  }
  return { meta, body: md.slice(m[0].length) };
}

function unquote(v: string): string {
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) {
    try {
      return JSON.parse(v) as string;
    } catch {
      return v.slice(1, -1);
    }
  }
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1).replace(/''/g, "'");
  return v;
}

/**
 * A Markdown file as one article: front matter (ours, Obsidian's, Omnivore's)
 * gives title, author, URL, date and tags; otherwise a leading `# heading` or
 * the first line is the title.
 */
export function markdownToDraft(md: string, fileName: string, savedAt?: number): DraftArticle {
  const normalized = md.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const { meta, body } = splitFrontMatter(normalized);
  let text = body;
  let title = typeof meta.title === 'string' ? meta.title : undefined;
  if (!title) {
    const heading = /^\s*#\s+(.+?)\s*#*\s*(?:\n|$)/.exec(text);
    if (heading) {
      title = heading[1]!;
      text = text.slice(heading[0].length);
    } else {
      const firstLine = text.split('\n').find((l) => l.trim() !== '')?.trim();
      if (!firstLine) throw new Error(`${fileName} is empty.`);
      if (firstLine.length <= MAX_TITLE) {
        title = firstLine.replace(/^[#>*\s]+/, '');
        text = text.slice(text.indexOf(firstLine) + firstLine.length);
      } else {
        title = firstWords(firstLine);
      }
    }
  } else {
    // Exports often repeat the title as the first heading.
    text = text.replace(new RegExp(`^\\s*#\\s+${escapeRegExp(title)}\\s*\\n`), '');
  }
  const html = marked.parse(text, { async: false, gfm: true, breaks: false }) as string;
  const url = typeof meta.url === 'string' ? meta.url : typeof meta.source === 'string' ? meta.source : undefined;
  const date = typeof meta.date === 'string' ? meta.date : typeof meta.published === 'string' ? meta.published : undefined;
  return {
    url: url && /^https?:\/\//.test(url) ? url : importedTextUrl(normalized),
    title: title || titleFromFileName(fileName),
    author: typeof meta.author === 'string' ? meta.author : undefined,
    publishedAt: parseDate(date),
    html,
    tags: cleanTags(meta.tags ?? meta.labels),
    savedAt: parseDate(meta.saved) ?? savedAt,
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
