import { Readability } from '@mozilla/readability';
import { importedTextUrl } from './hash';
import { cleanTags, parseDate, type DraftArticle } from './draft';
import { ImportError } from './errors';
import { titleFromFileName } from './text';

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
export function savedPageToDraft(html: string, fileName: string, parseHtml: ParseHtml, savedAt?: number): DraftArticle {
  const probe = parseHtml(html);
  const url = savedPageUrl(html, probe);
  const meta = (name: string) => probe.querySelector(`meta[name="${name}"], meta[property="${name}"]`)?.getAttribute('content') ?? undefined;
  const publishedAt = parseDate(meta('offprint:date') ?? meta('article:published_time') ?? meta('date'));
  const keywords = meta('keywords');
  const doc = parseHtml(html, url);
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
  };
}
