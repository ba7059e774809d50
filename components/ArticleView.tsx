import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { Article, ArticleContent } from '../lib/db/types';
import type { Sanitize } from '../lib/html/sanitize';
import { getDb } from '../lib/db/schema';
import { isWebUrl } from '../lib/urls/safe';
import { formatDate, formatMinutes, hostOf } from './format';
import { useArticleHtml } from './reader/useArticleHtml';
import { addCopyButtons } from './reader/codeBlocks';
import { FullTextOffer } from './following/FullTextOffer';
import { ArticleHighlights } from './highlights/ArticleHighlights';
import { markMatches } from '../lib/search/mark';
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
  /** The highlights list starts open (the reader page); scroll to `focusHighlight` once painted. */
  highlightsOpen?: boolean;
  focusHighlight?: string;
  /** Opened from a search: these words are marked (issue 12), before highlights are painted so both show. */
  matchTerms?: string[];
}

/**
 * An article's header and body. The stored HTML is sanitized again here and
 * its images come from the local copy.
 */
export function ArticleView({ article, content, sanitize, onBodyReady, actions, highlightsOpen, focusHighlight, matchTerms }: Props) {
  const body = useArticleHtml(getDb(), article, content, sanitize);
  const bodyRef = useRef<HTMLDivElement>(null);
  // The rendered body and a tick per new HTML, for painting highlights on it.
  const [painted, setPainted] = useState<{ el: HTMLElement | null; tick: number }>({ el: null, tick: 0 });
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
    // Marking splits text nodes, so it comes before painting (painted ranges would lose nodes marked later).
    if (matchTerms?.length) markMatches(bodyRef.current, new Set(matchTerms));
    setPainted((p) => ({ el: bodyRef.current, tick: p.tick + 1 }));
    onBodyReady?.(bodyRef.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [body?.html, gistsReady, matchTerms?.join(' ')]);
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
      <ArticleHighlights db={getDb()} article={article} body={painted.el} bodyTick={painted.tick} sanitize={sanitize} defaultOpen={highlightsOpen} focusId={focusHighlight} />
      {!content ? (
        <p class="warning">This article’s text is missing.</p>
      ) : body ? (
        // `body.html` was sanitized in useArticleHtml.
        <div class="article-body" ref={bodyRef} dangerouslySetInnerHTML={{ __html: body.html }} />
      ) : (
        <div class="article-body loading" aria-busy="true" />
      )}
      <footer class="article-footer">
        {isWebUrl(article.url) ? (
          <a href={article.url} target="_blank" rel="noopener noreferrer">
            Read the original
          </a>
        ) : (
          // Not a web address (javascript:, data:, file:…): shown as text, never a link.
          <span class="original-unlinked">Original address (not a web link): {article.url}</span>
        )}
      </footer>
    </article>
  );
}
