import { Readability } from '@mozilla/readability';
import { importedTextUrl } from './hash';
import { cleanTags, parseDate, type DraftArticle } from './draft';
import { ImportError } from './errors';
import { titleFromFileName } from './text';
import { HUGE_PAGE_WARNING, mainTextHtml } from '../capture/fallback';
import { limitDepth, MAX_DEPTH, type DepthReport } from './html-depth';

/** Past this many elements a saved page keeps its main text (as a clip of a huge page does). */
const MAX_ELEMENTS = 30_000;

/** Parses HTML into an inert document (DOMParser in pages, jsdom in tests). */
export type ParseHtml = (html: string, url?: string) => Document;

/** Where a saved page came from: the browser's “saved from” note, canonical link or og:url. */
export function savedPageUrl(html: string, doc: Document): string | undefined {
  const savedFrom = /<!--\s*saved from url=\(\d+\)(\S+?)\s*-->/i.exec(html)?.[1];
  const candidates = [
    doc.querySelector('meta[name="offprint:url"]')?.getAttribute('content'),
    doc.querySelector('link[rel="canonical"]')?.getAttribute('href'),
    doc.querySelector('meta[property="og:url"]')?.getAttribute('content'),
    savedFrom,
  ];
  return candidates.find((u): u is string => !!u && /^https?:\/\//i.test(u));
}

/**
 * A saved web page (Save Page As, SingleFile, Offprint's own HTML export)
 * through Readability, as a clip would be.
 */
export function savedPageToDraft(raw: string, fileName: string, parseHtml: ParseHtml, savedAt?: number, checked?: DepthReport): DraftArticle {
  // Nesting beyond what any article needs is flattened before any DOM work (see html-depth.ts).
  const report = checked ?? limitDepth(raw);
  const html = report.html;
  const flattenedNote = report.flattened ? `This page’s markup was nested ${report.maxDepth} levels deep; Offprint flattened what was deeper than ${MAX_DEPTH} levels and kept its text.` : undefined;
  const probe = parseHtml(html);
  const url = savedPageUrl(html, probe);
  const meta = (name: string) => probe.querySelector(`meta[name="${name}"], meta[property="${name}"]`)?.getAttribute('content') ?? undefined;
  const publishedAt = parseDate(meta('offprint:date') ?? meta('article:published_time') ?? meta('date'));
  const keywords = meta('keywords');
  const doc = parseHtml(html, url);
  if (report.elements > MAX_ELEMENTS) {
    // As the clipper does with huge pages: the main text, without looking for the article.
    const main = mainTextHtml(doc);
    return {
      url: url ?? importedTextUrl(main),
      title: probe.title.trim() || titleFromFileName(fileName),
      author: meta('author') || undefined,
      publishedAt,
      html: main,
      tags: cleanTags(keywords ? keywords.split(',') : []),
      savedAt,
      captureWarning: [HUGE_PAGE_WARNING, flattenedNote].filter(Boolean).join(' '),
    };
  }
  const parsed = new Readability(doc, { charThreshold: 100 }).parse();
  if (!parsed || !parsed.content || !(parsed.textContent ?? '').trim()) {
    throw new ImportError(`No article text found in ${fileName}.`);
  }
  const text = (parsed.textContent ?? '').trim();
  return {
    url: url ?? importedTextUrl(text),
    title: parsed.title?.trim() || probe.title.trim() || titleFromFileName(fileName),
    author: parsed.byline?.trim() || meta('author') || undefined,
    siteName: parsed.siteName?.trim() || undefined,
    excerpt: parsed.excerpt?.trim() || undefined,
    lang: parsed.lang || undefined,
    publishedAt: publishedAt ?? parseDate(parsed.publishedTime),
    html: parsed.content,
    tags: cleanTags(keywords ? keywords.split(',') : []),
    savedAt,
    captureWarning: flattenedNote,
  };
}
