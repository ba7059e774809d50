import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { getDb } from '../../lib/db/schema';
import { isLinkOnly, jobsIn, PROGRESS_KEY, type FullTextProgress } from '../../lib/fulltext/jobs';
import { sendMessage } from '../../lib/messages';
import { useLiveQuery } from '../useLiveQuery';
import { fetchFullTextFromClick, formatEta, SITES_EXPLANATION } from './fulltext-actions';
import './fulltext.css';

const send = (m: unknown) => browser.runtime.sendMessage(m);

/**
 * "Fetch full text" for every link-only article (Pocket stubs, URL lists):
 * progress with an estimate, pause/resume, and each failure in plain words.
 * `compact` is the popup's one-line version, shown only while a batch runs.
 */
export function FullTextPanel({ compact = false }: { compact?: boolean }) {
  const db = getDb();
  const progress = useLiveQuery(async () => ((await db.kv.get(PROGRESS_KEY))?.value as FullTextProgress | undefined) ?? null, []);
  const linkOnly = useLiveQuery(async () => (compact ? 0 : db.articles.filter((a) => isLinkOnly(a)).count()), [compact]);
  const failures = useLiveQuery(async () => {
    if (compact) return [];
    const jobs = await jobsIn(db, 'failed').limit(200).toArray();
    const articles = await db.articles.bulkGet(jobs.map((j) => j.articleId));
    return jobs.map((j, i) => ({ id: j.articleId, title: articles[i]?.title ?? j.url, url: j.url, error: j.error ?? '' }));
  }, [compact, progress.value?.failed]);
  const [error, setError] = useState('');
  const p = progress.value;
  const left = p ? p.queued + p.running : 0;
  const total = p ? left + p.done + p.failed : 0;
  const act = (type: 'fulltext:pause' | 'fulltext:resume' | 'fulltext:clear') => void sendMessage(send, type).catch((err: unknown) => setError(String(err)));
  const status =
    p && total > 0 ? (
      <span class="progress-text" role="status" aria-label="Full text progress">
        {left > 0 ? (p.paused ? 'Paused: ' : 'Fetching full text… ') : 'Full text: '}
        {p.done + p.failed}/{total} done{p.failed ? `, ${p.failed} failed` : ''}
        {left > 0 && !p.paused && p.etaMs !== undefined ? ` · ${formatEta(p.etaMs)}` : ''}
        <progress max={total} value={p.done + p.failed} aria-label="Full text fetched" />
      </span>
    ) : null;
  const controls =
    p && left > 0 ? (
      p.paused ? (
        <button type="button" class="link-button" onClick={() => act('fulltext:resume')}>
          Resume
        </button>
      ) : (
        <button type="button" class="link-button" onClick={() => act('fulltext:pause')}>
          Pause
        </button>
      )
    ) : null;
  if (compact) {
    if (!p || left === 0) return null;
    return (
      <div class="fulltext-compact">
        {status}
        {controls}
      </div>
    );
  }
  const start = () => {
    setError('');
    void fetchFullTextFromClick('all').catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  };
  return (
    <section class="io-section fulltext-panel" aria-labelledby="fulltext-heading">
      <h2 id="fulltext-heading">Full text for link-only articles</h2>
      <p class="io-hint">
        {linkOnly.value ? `${linkOnly.value} saved article${linkOnly.value === 1 ? ' holds' : 's hold'} only a link (a Pocket export, a list of URLs).` : 'Every saved article has its text.'} {SITES_EXPLANATION}
      </p>
      {linkOnly.value && left === 0 ? (
        <p>
          <button type="button" class="io-button primary" onClick={start}>
            Fetch full text for all {linkOnly.value}
          </button>
        </p>
      ) : null}
      {status || controls ? (
        <p class="fulltext-status">
          {status}
          {controls}
          {p && left === 0 && total > 0 ? (
            <button type="button" class="link-button" onClick={() => act('fulltext:clear')}>
              Clear this list
            </button>
          ) : null}
        </p>
      ) : null}
      {error ? <p role="alert">{error}</p> : null}
      {failures.value?.length ? (
        <ul class="fulltext-failures" aria-label="Articles whose full text could not be fetched">
          {failures.value.map((f) => (
            <li key={f.id}>
              <a href={f.url} target="_blank" rel="noopener noreferrer">
                {f.title}
              </a>
              : {f.error}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** The bulk bar's "Fetch full text" for the selected articles. */
export function FetchSelectedButton({ ids }: { ids: string[] }) {
  const [note, setNote] = useState('');
  const run = () => {
    void fetchFullTextFromClick({ ids }).then(
      (n) => setNote(n ? `Fetching the full text of ${n} link-only article${n === 1 ? '' : 's'}.` : 'None of the selected articles is link-only.'),
      (err: unknown) => setNote(err instanceof Error ? err.message : String(err)),
    );
  };
  return (
    <>
      <button type="button" class="action small" onClick={run} title={SITES_EXPLANATION}>
        Fetch full text
      </button>
      {note ? <span role="status">{note}</span> : null}
    </>
  );
}
