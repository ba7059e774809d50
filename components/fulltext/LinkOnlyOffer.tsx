import { useState } from 'preact/hooks';
import { getDb } from '../../lib/db/schema';
import type { Article } from '../../lib/db/types';
import { isLinkOnly } from '../../lib/fulltext/jobs';
import { useLiveQuery } from '../useLiveQuery';
import { fetchFullTextFromClick, SITES_EXPLANATION } from './fulltext-actions';
import './fulltext.css';

/** On an article that holds only its link: "Fetch full text", and how that job is doing. */
export function LinkOnlyOffer({ article }: { article: Article }) {
  const db = getDb();
  const job = useLiveQuery(async () => (await db.fulltextJobs.get(article.id)) ?? null, [article.id]);
  const [error, setError] = useState('');
  if (!isLinkOnly(article)) return null;
  const state = job.value?.state;
  const run = () => {
    setError('');
    void fetchFullTextFromClick({ id: article.id, url: article.url }).catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  };
  return (
    <div class="warning full-text-offer" role="note" aria-label="Link only">
      <span>Only the link of this article is stored.</span>
      {state === 'queued' || state === 'running' ? (
        <span role="status">{state === 'running' ? 'Fetching the full text…' : job.value?.error ? `Waiting to try again: ${job.value.error}` : 'Waiting to fetch the full text…'}</span>
      ) : (
        <button type="button" class="primary-button" onClick={run} title={SITES_EXPLANATION}>
          Fetch full text
        </button>
      )}
      {state === 'failed' && job.value?.error ? <span role="alert">Could not fetch it: {job.value.error}</span> : null}
      {error ? <span role="alert">{error}</span> : null}
    </div>
  );
}
