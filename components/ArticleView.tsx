import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { Article, ArticleContent } from '../lib/db/types';
import type { Sanitize } from '../lib/html/sanitize';
import { getDb } from '../lib/db/schema';
import { formatDate, formatMinutes, hostOf } from './format';
import { useArticleHtml } from './reader/useArticleHtml';
import { addCopyButtons } from './reader/codeBlocks';
import { FullTextOffer } from './following/FullTextOffer';
import { LinkOnlyOffer } from './fulltext/LinkOnlyOffer';
import { showGistPlaceholders } from './reader/gistPlaceholders';
import { failuresKey } from '../lib/gists/fill';
import { GIST_ORIGINS, hasPendingCode } from '../lib/gists/gists';
import { useLiveQuery } from './useLiveQuery';

interface Props {
  article: Article;
  content: ArticleContent | undefined;
  sanitize: Sanitize;
  /** Called with the body element once it shows the final (offline) HTML. */
  onBodyReady?: (body: HTMLElement) => void;
  /** Library actions, shown under the byline. */
  actions?: ComponentChildren;
}

/**
 * An article's header and body. The stored HTML is sanitized again here and
 * its images come from the local copy.
 */
export function ArticleView({ article, content, sanitize, onBodyReady, actions }: Props) {
  const body = useArticleHtml(getDb(), article, content, sanitize);
  const bodyRef = useRef<HTMLDivElement>(null);
  // Embedded gists still waiting for their code (issue 15): why, and whether the gist hosts are allowed.
  const pendingCode = !!content && hasPendingCode(content.html);
  const gistFailures = useLiveQuery(async () => (pendingCode ? ((await getDb().kv.get(failuresKey(article.id)))?.value as Record<string, string> | undefined) ?? {} : {}), [article.id, pendingCode]);
  const [gistsAllowed, setGistsAllowed] = useState<boolean | undefined>(pendingCode ? undefined : true);
  useEffect(() => {
    if (pendingCode) void browser.permissions.contains({ origins: GIST_ORIGINS }).then(setGistsAllowed, () => setGistsAllowed(false));
  }, [pendingCode]);
  const gistsReady = !pendingCode || (gistFailures.value !== undefined && gistsAllowed !== undefined);
  useEffect(() => {
    if (!body || !bodyRef.current || !gistsReady) return;
    if (pendingCode) showGistPlaceholders(bodyRef.current, article.id, gistFailures.value ?? {}, gistsAllowed ?? false);
    addCopyButtons(bodyRef.current);
    onBodyReady?.(bodyRef.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [body?.html, gistsReady]);
  const byline = [article.author, article.siteName ?? hostOf(article.url), formatDate(article.publishedAt ?? article.savedAt), formatMinutes(article.readingMinutes)].filter(Boolean);
  return (
    <article class="article" lang={article.lang}>
      <header>
        <h1 class="article-title">{article.title}</h1>
        <p class="byline">{byline.join(' · ')}</p>
        {actions}
        {article.captureWarning ? (
          <p class="warning" role="note">
            {article.captureWarning}
          </p>
        ) : null}
        {body && body.missing > 0 ? (
          <p class="note" role="note">
            {body.missing === 1 ? '1 image is' : `${body.missing} images are`} not stored offline yet.
          </p>
        ) : null}
        <FullTextOffer article={article} />
        <LinkOnlyOffer article={article} />
      </header>
      {!content ? (
        <p class="warning">This article’s text is missing.</p>
      ) : body ? (
        // `body.html` was sanitized in useArticleHtml.
        <div class="article-body" ref={bodyRef} dangerouslySetInnerHTML={{ __html: body.html }} />
      ) : (
        <div class="article-body loading" aria-busy="true" />
      )}
      <footer class="article-footer">
        <a href={article.url} target="_blank" rel="noopener noreferrer">
          Read the original
        </a>
      </footer>
    </article>
  );
}
