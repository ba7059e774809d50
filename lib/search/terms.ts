import type { Article } from '../db/types';
import { compatible, rawTokens, termsOfToken } from './normalize';
import { FIELD } from './records';

/** The fields of an article that search looks at. */
export interface IndexInput {
  article: Pick<Article, 'id' | 'title' | 'author' | 'siteName' | 'url' | 'tags' | 'excerpt' | 'sortAt'>;
  /** Plain text of the body (contents.text). */
  text: string;
  /** Stored HTML (contents.html): its code blocks' languages (`language-yaml`) count as words of the body. */
  html?: string;
  /** Further searchable text of the article the reader wrote (highlights, notes). */
  notes?: string;
}

const CODE_LANGUAGE = /class="[^"]*\blanguage-([\w+#.-]+)/g;

/** The languages of an article's code blocks, as the sanitizer keeps them (`<code class="language-hcl">`). */
export function codeLanguages(html: string | undefined): string {
  if (!html || !html.includes('language-')) return '';
  const found = new Set<string>();
  for (const m of html.matchAll(CODE_LANGUAGE)) found.add(m[1]!);
  return [...found].join(' ');
}

export type FieldName = keyof typeof FIELD;

/**
 * Every searchable field: where its text comes from and how much a match in
 * it counts. A new field is one line here plus a bit in FIELD (and an
 * INDEX_VERSION bump so existing indexes are rebuilt with it).
 */
export const SEARCH_FIELDS: readonly { name: FieldName; weight: number; values: (input: IndexInput) => (string | undefined)[] }[] = [
  { name: 'title', weight: 10, values: ({ article }) => [article.title] },
  { name: 'author', weight: 8, values: ({ article }) => [article.author] },
  { name: 'tags', weight: 5, values: ({ article }) => article.tags },
  { name: 'feed', weight: 4, values: ({ article }) => [article.siteName, hostOf(article.url)] },
  { name: 'notes', weight: 3, values: ({ notes }) => [notes] },
  { name: 'excerpt', weight: 2, values: ({ article }) => [article.excerpt] },
  { name: 'body', weight: 1, values: ({ text, html }) => [text, codeLanguages(html)] },
];

/** Best weight for each combination of FIELD bits. */
export const WEIGHT_OF_BITS = Float32Array.from({ length: 256 }, (_, bits) =>
  Math.max(0, ...SEARCH_FIELDS.map((f) => (bits & FIELD[f.name] ? f.weight : 0))),
);

/** Every term of an article with the FIELD bits of where it occurs. */
export function articleTerms(input: IndexInput): Map<string, number> {
  const terms = new Map<string, number>();
  for (const field of SEARCH_FIELDS) {
    const bit = FIELD[field.name];
    const add = (term: string) => terms.set(term, (terms.get(term) ?? 0) | bit);
    for (const value of field.values(input)) {
      if (!value) continue;
      for (const t of rawTokens(compatible(value))) termsOfToken(t.raw, add);
    }
  }
  return terms;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}
