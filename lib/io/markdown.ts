import { isWebUrl } from '../urls/safe';
import type { Article } from '../db/types';
import { parseInert } from '../html/text';

/** Languages named by a code block's class (`language-yaml`, `lang-sh`, highlight.js `hljs yaml`). */
function codeLanguage(el: Element): string {
  for (const node of [el, el.querySelector('code')]) {
    const cls = `${node?.getAttribute('class') ?? ''} ${node?.getAttribute('data-lang') ?? ''} ${node?.getAttribute('data-language') ?? ''}`;
    const m = /(?:^|\s)(?:language|lang)-([\w+#.-]+)/.exec(cls) ?? /^\s*([\w+#.-]+)\s*$/.exec(node?.getAttribute('data-lang') ?? node?.getAttribute('data-language') ?? '');
    if (m) return m[1]!.toLowerCase();
  }
  return '';
}

/**
 * A language for code that names none (Medium's feeds never do), from its
 * shape; empty when unsure, since a wrong fence label is worse than none.
 */
export function guessLanguage(code: string): string {
  const lines = code.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) return '';
  const first = lines[0]!.trim();
  if (/^(?:\{|\[)/.test(first)) {
    try {
      JSON.parse(code);
      return 'json';
    } catch {
      /* not JSON */
    }
  }
  if (/^#!.*\b(?:ba|z)?sh\b/.test(first)) return 'bash';
  if (/^FROM\s+\S+/i.test(first) && lines.some((l) => /^(?:RUN|COPY|CMD|ENTRYPOINT|WORKDIR)\b/.test(l))) return 'dockerfile';
  if (/^(?:apiVersion|kind):\s/.test(first) || lines.filter((l) => /^\s*(?:- )?[\w.-]+:(?:\s|$)/.test(l)).length / lines.length > 0.7) return 'yaml';
  if (lines.every((l) => /^\s*(?:\$ |#|(?:sudo |kubectl|docker|podman|helm|terraform|aws|gcloud|az|git|npm|curl|apt(?:-get)?|systemctl|cd|ls|export|echo)\b)/.test(l))) return 'bash';
  return '';
}

/** Text of a `<pre>`, with Medium's `<br>` line breaks kept. */
function preText(el: Element): string {
  let out = '';
  const walk = (n: Node) => {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3) out += c.nodeValue ?? '';
      else if (c.nodeType === 1) {
        if ((c as Element).tagName === 'BR') out += '\n';
        else walk(c);
      }
    }
  };
  walk(el);
  return out.replace(/\n+$/, '');
}

const escapeInline = (s: string) => s.replace(/([\\`*_[\]<>])/g, '\\$1');

/**
 * Markdown of sanitized article HTML: headings, paragraphs, lists, quotes,
 * links, images, emphasis, tables as text rows, and code fenced with its
 * language (the fence grows when the code itself holds backticks).
 */
export function htmlToMarkdown(html: string, doc: Document): string {
  return blocks(parseInert(html, doc)).replace(/\n{3,}/g, '\n\n').trim() + '\n';
}

function blocks(node: Node, listDepth = 0): string {
  let out = '';
  let inline = '';
  const flush = () => {
    const text = inline.replace(/[ \t]+/g, ' ').replace(/ *\n */g, '\n').trim();
    if (text) out += text + '\n\n';
    inline = '';
  };
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 3) {
      inline += escapeInline((c.nodeValue ?? '').replace(/\s+/g, ' '));
      continue;
    }
    if (c.nodeType !== 1) continue;
    const el = c as Element;
    const tag = el.tagName;
    if (/^H[1-6]$/.test(tag)) {
      flush();
      out += `${'#'.repeat(Number(tag[1]))} ${inlineOf(el).trim()}\n\n`;
    } else if (tag === 'P') {
      flush();
      const text = inlineOf(el).trim();
      if (text) out += text + '\n\n';
    } else if (tag === 'PRE') {
      flush();
      const code = preText(el);
      const longest = Math.max(2, ...(code.match(/`+/g) ?? []).map((m) => m.length));
      const fence = '`'.repeat(longest + 1);
      out += `${fence}${codeLanguage(el) || guessLanguage(code)}\n${code}\n${fence}\n\n`;
    } else if (tag === 'BLOCKQUOTE') {
      flush();
      const inner = blocks(el, listDepth).trim();
      out += inner.split('\n').map((l) => (l ? `> ${l}` : '>')).join('\n') + '\n\n';
    } else if (tag === 'UL' || tag === 'OL') {
      flush();
      let n = Number(el.getAttribute('start') ?? 1) || 1;
      for (const li of Array.from(el.children).filter((x) => x.tagName === 'LI')) {
        const marker = tag === 'OL' ? `${n++}.` : '-';
        const body = blocks(li, listDepth + 1).trim();
        const indent = ' '.repeat(marker.length + 1);
        out += `${marker} ${body.split('\n').join('\n' + indent)}\n`;
      }
      out += '\n';
    } else if (tag === 'HR') {
      flush();
      out += '---\n\n';
    } else if (tag === 'TABLE') {
      flush();
      out += tableToMarkdown(el) + '\n\n';
    } else if (['DIV', 'SECTION', 'ARTICLE', 'FIGURE', 'MAIN', 'HEADER', 'FOOTER', 'ASIDE', 'DL'].includes(tag)) {
      flush();
      out += blocks(el, listDepth);
    } else if (tag === 'FIGCAPTION') {
      flush();
      const text = inlineOf(el).trim();
      if (text) out += `*${text}*\n\n`;
    } else {
      inline += inlineOf(el, true);
    }
  }
  flush();
  return out;
}

function inlineOf(el: Element, self = false): string {
  if (self) return inlineElement(el);
  let out = '';
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 3) out += escapeInline((c.nodeValue ?? '').replace(/\s+/g, ' '));
    else if (c.nodeType === 1) out += inlineElement(c as Element);
  }
  return out;
}

function inlineElement(el: Element): string {
  const inner = () => inlineOf(el);
  switch (el.tagName) {
    case 'BR':
      return '  \n';
    case 'STRONG':
    case 'B': {
      const t = inner().trim();
      return t ? `**${t}**` : '';
    }
    case 'EM':
    case 'I': {
      const t = inner().trim();
      return t ? `*${t}*` : '';
    }
    case 'DEL':
    case 'S':
      return `~~${inner()}~~`;
    case 'CODE': {
      const t = el.textContent ?? '';
      const ticks = t.includes('`') ? '``' : '`';
      return `${ticks}${t}${ticks}`;
    }
    case 'A': {
      const href = el.getAttribute('href');
      const t = inner().trim();
      // Only web addresses (and in-page anchors) stay links; javascript:, data: and the like become text.
      return href && (isWebUrl(href) || href.startsWith('#')) ? `[${t || href}](${href.replace(/\)/g, '%29').replace(/ /g, '%20')})` : t;
    }
    case 'IMG': {
      const src = el.getAttribute('src');
      return src ? `![${escapeInline(el.getAttribute('alt') ?? '')}](${src.replace(/\)/g, '%29')})` : '';
    }
    default:
      return inner();
  }
}

function tableToMarkdown(table: Element): string {
  const rows = Array.from(table.querySelectorAll('tr')).map((tr) =>
    Array.from(tr.children).map((cell) => inlineOf(cell).trim().replace(/\|/g, '\\|').replace(/\n/g, ' ')),
  );
  if (rows.length === 0) return '';
  const width = Math.max(...rows.map((r) => r.length));
  const line = (r: string[]) => `| ${Array.from({ length: width }, (_, i) => r[i] ?? '').join(' | ')} |`;
  return [line(rows[0]!), `|${' --- |'.repeat(width)}`, ...rows.slice(1).map(line)].join('\n');
}

function yamlString(s: string): string {
  return JSON.stringify(s);
}

/** YAML front matter with the fields Obsidian, Readwise and Offprint's own import read. */
export function frontMatter(article: Article): string {
  const lines = ['---', `title: ${yamlString(article.title)}`];
  if (article.author) lines.push(`author: ${yamlString(article.author)}`);
  lines.push(`url: ${yamlString(article.url)}`);
  const date = article.publishedAt ?? article.savedAt;
  lines.push(`date: ${new Date(date).toISOString()}`);
  lines.push(`saved: ${new Date(article.savedAt).toISOString()}`);
  if (article.siteName) lines.push(`site: ${yamlString(article.siteName)}`);
  lines.push(article.tags.length ? `tags:\n${article.tags.map((t) => `  - ${yamlString(t)}`).join('\n')}` : 'tags: []');
  lines.push('---');
  return lines.join('\n');
}

export function articleToMarkdown(article: Article, html: string, doc: Document): string {
  return `${frontMatter(article)}\n\n# ${article.title}\n\n${htmlToMarkdown(html, doc)}`;
}

/** A file name from a title: readable, safe on every OS, unique enough. */
export function safeFileName(title: string, ext: string): string {
  const base = title
    .normalize('NFKC')
    // eslint-disable-next-line no-control-regex -- control characters are invalid in file names
    .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80)
    .replace(/[. ]+$/, '');
  return `${base || 'article'}.${ext}`;
}
