import { useEffect, useState } from 'preact/hooks';
import { getDb } from '../../lib/db/schema';
import type { Article } from '../../lib/db/types';
import { dismissDuplicateGroup, keepOneOfGroup, loadDuplicates, refreshDuplicates } from '../../lib/io/duplicates';
import { formatDate } from '../format';
import { useLiveQuery } from '../useLiveQuery';

const SOURCE_WORDS: Record<Article['source'], string> = { feed: 'From a feed', clip: 'Clipped', import: 'Imported' };

/** Near-duplicates flagged after imports (or on request); the reader picks which copy to keep. */
export function DuplicatesPanel() {
  const db = getDb();
  const [status, setStatus] = useState('');
  const [checking, setChecking] = useState(false);
  const { value } = useLiveQuery(async () => {
    const state = await loadDuplicates(db);
    const ids = [...new Set(state.groups.flatMap((g) => g.ids))];
    const rows = (await db.articles.bulkGet(ids)).filter((a): a is Article => !!a && a.box !== 'trash');
    const byId = new Map(rows.map((a) => [a.id, a]));
    const groups = state.groups
      .map((g) => ({ ...g, articles: g.ids.map((id) => byId.get(id)).filter((a): a is Article => !!a) }))
      .filter((g) => g.articles.length > 1);
    return { groups, checkedAt: state.checkedAt };
  }, []);

  // Feeds and clips arrive while this page is closed: look again when it opens, at most every ten minutes.
  useEffect(() => {
    void loadDuplicates(db).then((state) => {
      if (Date.now() - state.checkedAt > 10 * 60_000) return refreshDuplicates(db);
    });
  }, [db]);

  const check = async () => {
    setChecking(true);
    try {
      const { groups } = await refreshDuplicates(db);
      setStatus(groups.length ? `Found ${groups.length} group${groups.length === 1 ? '' : 's'} of near-duplicates.` : 'No near-duplicates found.');
    } finally {
      setChecking(false);
    }
  };

  const act = async (fn: () => Promise<void>, done: string) => {
    try {
      await fn();
      setStatus(done);
    } catch (err) {
      setStatus(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <section class="io-section" aria-labelledby="dup-heading">
      <h2 id="dup-heading">Duplicates</h2>
      <p class="io-hint">The same article saved twice — from a feed and a clip, or two captures of the same text — is flagged here so you can keep one. The others go to Trash, and the one you keep gains their tags, star and progress.</p>
      <button type="button" class="io-button" disabled={checking} onClick={() => void check()}>
        {checking ? 'Checking…' : 'Check for duplicates'}
      </button>
      <p role="status" class="io-hint">
        {status}
      </p>
      {value?.groups.length ? (
        <ul aria-label="Near-duplicate groups" style={{ padding: 0 }}>
          {value.groups.map((g) => (
            <li key={g.key} class="dup-group" aria-label={`${g.articles.length} copies, ${Math.round(g.similarity * 100)}% overlap`}>
              <strong>
                {g.articles.length} copies, {Math.round(g.similarity * 100)}% of the shorter text overlaps
              </strong>
              <ul>
                {g.articles.map((a) => (
                  <li key={a.id} class="dup-item">
                    <span>
                      {a.title}
                      <br />
                      <span class="dup-meta">
                        {SOURCE_WORDS[a.source]} · {a.wordCount} words · saved {formatDate(a.savedAt)}
                      </span>
                    </span>
                    <button type="button" class="io-button" aria-label={`Keep “${a.title}”`} onClick={() => void act(() => keepOneOfGroup(db, g.key, a.id), `Kept “${a.title}”; the other copies are in Trash.`)}>
                      Keep this
                    </button>
                  </li>
                ))}
              </ul>
              <button type="button" class="io-button" onClick={() => void act(() => dismissDuplicateGroup(db, g.key), 'Marked as not duplicates.')}>
                Not duplicates
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
