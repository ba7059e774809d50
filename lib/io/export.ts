import type { OffprintDB } from '../db/schema';
import type { Article } from '../db/types';
import { bytesToBase64 } from './backup';
import { articleToHtml } from './html-export';
import { annotationsOf, annotationsToMarkdown } from './highlights';
import { articleToMarkdown, safeFileName } from './markdown';
import { zipTextFiles } from './zip';

export type ArticleFormat = 'markdown' | 'html';

export interface ExportFile {
  name: string;
  type: string;
  data: string | Uint8Array;
}

export interface ExportDeps {
  /** A document to parse HTML in (the options page's). */
  doc: Document;
  /** Sanitizes stored HTML again before it leaves the extension. */
  sanitize: (html: string, baseUrl?: string) => string;
  now?: number;
}

function day(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

const VISIBLE_BOXES = ['inbox', 'saved', 'archive'] as const;

/** Every article the user can see (all boxes but Trash), newest first. */
export async function visibleArticles(db: OffprintDB): Promise<Article[]> {
  // One equality query per box: an index range each, cheaper than anyOf's cursor jumps.
  const boxes = await Promise.all(VISIBLE_BOXES.map((box) => db.articles.where('box').equals(box).toArray()));
  return boxes.flat().sort((a, b) => b.sortAt - a.sortAt);
}

export async function allExportableIds(db: OffprintDB): Promise<string[]> {
  return (await visibleArticles(db)).map((a) => a.id);
}

async function imagesFor(db: OffprintDB, id: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const img of await db.images.where('articleIds').equals(id).toArray()) {
    out.set(img.url, `data:${img.type || 'application/octet-stream'};base64,${bytesToBase64(new Uint8Array(await img.blob.arrayBuffer()))}`);
  }
  return out;
}

/**
 * One article as a .md or .html file, several as one zip. HTML inlines the
 * images stored offline so the file works without the network.
 */
export async function exportArticles(db: OffprintDB, ids: string[], format: ArticleFormat, deps: ExportDeps): Promise<ExportFile> {
  if (ids.length === 0) throw new Error('Choose at least one article to export.');
  const files: { name: string; text: string }[] = [];
  for (const id of ids) {
    const article = await db.articles.get(id);
    if (!article) continue;
    const content = await db.contents.get(id);
    const html = deps.sanitize(content?.html ?? '', article.url);
    files.push(await render(db, article, html, format, deps));
  }
  if (files.length === 0) throw new Error('The chosen articles are no longer in the library.');
  if (files.length === 1) {
    const only = files[0]!;
    return { name: only.name, type: format === 'markdown' ? 'text/markdown' : 'text/html', data: only.text };
  }
  return { name: `offprint-${format === 'markdown' ? 'markdown' : 'html'}-${day(deps.now ?? Date.now())}.zip`, type: 'application/zip', data: zipTextFiles(files) };
}

async function render(db: OffprintDB, article: Article, html: string, format: ArticleFormat, deps: ExportDeps) {
  if (format === 'markdown') {
    // Highlights and notes follow the article (issue 13).
    const annotations = annotationsToMarkdown(await annotationsOf(db, article.id));
    return { name: safeFileName(article.title, 'md'), text: articleToMarkdown(article, html, deps.doc) + (annotations ? `\n${annotations}` : '') };
  }
  return { name: safeFileName(article.title, 'html'), text: articleToHtml(article, html, await imagesFor(db, article.id)) };
}
