import type { Article } from '../db/types';
import { compatible, rawTokens, termsOfToken } from './normalize';
import { FIELD } from './records';

/** The fields of an article that search looks at. */
export interface IndexInput {
  article: Pick<Article, 'id' | 'title' | 'author' | 'siteName' | 'url' | 'tags' | 'excerpt' | 'sortAt'>;
  /** Plain text of the body (contents.text). */
  text: string;
  /** Highlighted passages and notes (issue 13); the indexer fills it in. */
  notes?: string;
}

/** Every term of an article with the FIELD bits of where it occurs. */
export function articleTerms({ article, text, notes }: IndexInput): Map<string, number> {
  const terms = new Map<string, number>();
  const addField = (value: string | undefined, bit: number) => {
    if (!value) return;
    const add = (term: string) => terms.set(term, (terms.get(term) ?? 0) | bit);
    for (const t of rawTokens(compatible(value))) termsOfToken(t.raw, add);
  };
  addField(article.title, FIELD.title);
  addField(article.author, FIELD.author);
  addField(article.siteName, FIELD.feed);
  addField(hostOf(article.url), FIELD.feed);
  for (const tag of article.tags) addField(tag, FIELD.tags);
  addField(article.excerpt, FIELD.excerpt);
  addField(text, FIELD.body);
  addField(notes, FIELD.note);
  return terms;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}
