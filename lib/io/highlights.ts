// Highlights in exports and imports (issue 13): Markdown that Obsidian and
// Logseq read well, a zip of one file per article, and the highlights that
// Omnivore and Readwise exports carry.
import type { OffprintDB } from '../db/schema';
import { HIGHLIGHT_COLORS, type Article, type Highlight, type HighlightColor } from '../db/types';
import { describeSpan } from '../highlights/anchor';
import { addHighlight, recordPlacement, type HighlightDeps } from '../library/highlights';
import { frontMatter, safeFileName } from './markdown';
import { parseCsv } from './pocket';
import { zipTextFiles } from './zip';

/** A highlight as an export file carries it, before it is anchored in Offprint's text. */
export interface ImportedHighlight {
  exact: string;
  note?: string;
  color?: HighlightColor;
  createdAt?: number;
}

export interface Annotations {
  highlights: Highlight[];
  articleNote: string;
}

/** A quote as Markdown: each line quoted; code (indented lines) fenced inside the quote so its characters survive. */
function quoteBlock(exact: string): string {
  const code = /(^|\n)[ \t]+\S/.test(exact);
  const lines = code ? ['```', ...exact.replace(/\n+$/, '').split('\n'), '```'] : exact.trim().split(/\n+/).flatMap((l, i) => (i ? ['', l.trim()] : [l.trim()]));
  return lines.map((l) => (l ? `> ${l}` : '>')).join('\n');
}

/**
 * The highlights section of an article's Markdown: the article note, then
 * each highlight in reading order as a quote with its note under it (the
 * shape Readwise's and Omnivore's Obsidian exports use). Highlights that
 * could not be placed are included and marked.
 */
export function annotationsToMarkdown({ highlights, articleNote }: Annotations): string {
  if (highlights.length === 0 && !articleNote) return '';
  const parts: string[] = [];
  if (articleNote) parts.push(`## Notes\n\n${articleNote.trim()}`);
  if (highlights.length) {
    const ordered = [...highlights].sort((a, b) => a.placed - b.placed || a.position.start - b.position.start);
    const items = ordered.map((h) => {
      const lines = [quoteBlock(h.quote.exact)];
      const meta = [h.color !== 'yellow' ? `colour: ${h.color}` : '', h.placed ? '' : 'could not be placed in the current text'].filter(Boolean).join(' · ');
      if (meta) lines.push(`*${meta}*`);
      if (h.note) lines.push(h.note.trim());
      return lines.join('\n\n');
    });
    parts.push(`## Highlights\n\n${items.join('\n\n')}`);
  }
  return parts.join('\n\n') + '\n';
}

export async function annotationsOf(db: OffprintDB, articleId: string): Promise<Annotations> {
  const [highlights, note] = await Promise.all([db.highlights.where('articleId').equals(articleId).toArray(), db.articleNotes.get(articleId)]);
  return { highlights, articleNote: note?.note ?? '' };
}

/** One article's highlights file: front matter, a link to the source, its notes and highlights. */
export function highlightsFile(article: Article, annotations: Annotations): { name: string; text: string } {
  return {
    name: safeFileName(article.title, 'md'),
    text: `${frontMatter(article)}\n\n# ${article.title}\n\n[Source](${article.url})\n\n${annotationsToMarkdown(annotations)}`,
  };
}

/** Every article with highlights or a note (Trash left out), one Markdown file each, in a zip. */
export async function exportAllHighlights(db: OffprintDB, now = Date.now()): Promise<{ name: string; data: Uint8Array; articles: number; highlights: number }> {
  const [all, notes] = await Promise.all([db.highlights.toArray(), db.articleNotes.toArray()]);
  const ids = [...new Set([...all.map((h) => h.articleId), ...notes.map((n) => n.articleId)])];
  const articles = (await db.articles.bulkGet(ids)).filter((a): a is Article => !!a && a.box !== 'trash');
  if (articles.length === 0) throw new Error('You have no highlights or notes yet.');
  const noteOf = new Map(notes.map((n) => [n.articleId, n.note]));
  const files = articles
    .sort((a, b) => b.sortAt - a.sortAt)
    .map((a) => highlightsFile(a, { highlights: all.filter((h) => h.articleId === a.id), articleNote: noteOf.get(a.id) ?? '' }));
  const kept = new Set(articles.map((a) => a.id));
  return { name: `offprint-highlights-${new Date(now).toISOString().slice(0, 10)}.zip`, data: zipTextFiles(files), articles: files.length, highlights: all.filter((h) => kept.has(h.articleId)).length };
}

/**
 * Omnivore's `highlights/<slug>.md`: each highlight is a quote (`> …`, with a
 * `[⤴️](…)` link back at its end), optionally followed by its labels
 * (`#label`) and its note as plain paragraphs.
 */
export function parseOmnivoreHighlights(markdown: string): ImportedHighlight[] {
  const out: ImportedHighlight[] = [];
  let quote: string[] | undefined;
  let note: string[] = [];
  const flush = () => {
    if (quote) {
      const exact = quote.join('\n').replace(/\s*\[⤴️?\]\([^)]*\)\s*$/u, '').trim();
      const text = note.join('\n').trim();
      if (exact) out.push({ exact, note: text || undefined });
    }
    quote = undefined;
    note = [];
  };
  let inQuote = false;
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const m = /^>\s?(.*)$/.exec(line);
    if (m) {
      if (!inQuote) flush();
      inQuote = true;
      quote ??= [];
      quote.push(m[1]!);
      continue;
    }
    inQuote = false;
    if (!quote) continue;
    // A line of labels only (#tag #other) is not part of the note.
    if (/^\s*(#[\w-]+\s*)+$/.test(line)) continue;
    note.push(line);
  }
  flush();
  return out;
}

export interface ReadwiseRow extends ImportedHighlight {
  title: string;
  url?: string;
}

export function looksLikeReadwiseCsv(text: string): boolean {
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0]!.toLowerCase();
  return /(^|,)"?highlight"?(,|$)/.test(header) && /(^|,)"?(book title|title)"?(,|$)/.test(header);
}

const READWISE_COLORS: Record<string, HighlightColor> = { yellow: 'yellow', green: 'green', blue: 'blue', pink: 'pink', red: 'pink', purple: 'blue', orange: 'yellow' };

/** Readwise's highlights CSV: Highlight, Book Title, Note, Color, Highlighted at, and a URL column in newer exports. */
export function parseReadwiseCsv(text: string): ReadwiseRow[] {
  const rows = parseCsv(text);
  const header = rows.shift()?.map((h) => h.trim().toLowerCase()) ?? [];
  const col = (...names: string[]) => header.findIndex((h) => names.includes(h));
  const [iText, iTitle, iNote, iColor, iAt, iUrl] = [col('highlight'), col('book title', 'title'), col('note'), col('color'), col('highlighted at', 'created at'), col('url', 'source url')];
  return rows.flatMap((r) => {
    const exact = (r[iText] ?? '').trim();
    if (!exact) return [];
    const at = iAt >= 0 ? Date.parse(r[iAt] ?? '') : NaN;
    return [
      {
        exact,
        title: (r[iTitle] ?? '').trim(),
        url: iUrl >= 0 ? (r[iUrl] ?? '').trim() || undefined : undefined,
        note: iNote >= 0 ? (r[iNote] ?? '').trim() || undefined : undefined,
        color: READWISE_COLORS[(r[iColor] ?? '').trim().toLowerCase()],
        createdAt: Number.isNaN(at) ? undefined : at,
      },
    ];
  });
}

/**
 * Stores imported highlights on an article, anchored in its stored text (the
 * reader re-anchors them in the rendered text when it is shown); a quote the
 * article already has is skipped, so importing twice does not double them.
 */
export async function storeImportedHighlights(db: OffprintDB, articleId: string, items: ImportedHighlight[], deps?: HighlightDeps): Promise<{ added: number; notFound: number }> {
  if (items.length === 0) return { added: 0, notFound: 0 };
  const [content, existing] = await Promise.all([db.contents.get(articleId), db.highlights.where('articleId').equals(articleId).toArray()]);
  const text = content?.text ?? '';
  const have = new Set(existing.map((h) => h.quote.exact));
  const flat = (s: string) => s.replace(/\s+/g, ' ').trim();
  const flatText = flat(text);
  let added = 0;
  const missing: string[] = [];
  for (const item of items) {
    if (have.has(item.exact)) continue;
    have.add(item.exact);
    const at = text.indexOf(item.exact);
    const sel = at >= 0 ? describeSpan(text, { start: at, end: at + item.exact.length }) : describeSpan(item.exact, { start: 0, end: item.exact.length });
    const color = item.color && (HIGHLIGHT_COLORS as readonly string[]).includes(item.color) ? item.color : 'yellow';
    const h = await addHighlight(db, { articleId, color, note: item.note, createdAt: item.createdAt, ...sel }, deps);
    added += 1;
    // Not in the article's text (even with whitespace evened out): listed as "could not be placed"
    // until the reader finds it (it also tries approximate matches).
    if (at < 0 && !flatText.includes(flat(item.exact))) missing.push(h.id);
  }
  await recordPlacement(db, missing.map((id) => ({ id, placed: 0 as const })));
  return { added, notFound: missing.length };
}
