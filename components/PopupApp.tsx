import { useMemo, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { getDb } from '../lib/db/schema';
import type { Article } from '../lib/db/types';
import { createSanitizer } from '../lib/html/sanitize';
import { countViews, getArticle, listBox, listStarred, type BoxCounts } from '../lib/library/queries';
import { ArticleRow } from './ArticleRow';
import { ArticleView } from './ArticleView';
import { FollowingView } from './following/FollowingView';
import { FollowOffer } from './popup/FollowOffer';
import { SavePageButton } from './popup/SavePageButton';
import { SearchBox } from './search/SearchBox';
import { useLiveQuery } from './useLiveQuery';
import { Welcome } from './Welcome';

export type ViewName = 'inbox' | 'saved' | 'starred' | 'archive' | 'following';

const VIEWS: { name: ViewName; label: string }[] = [
  { name: 'inbox', label: 'Inbox' },
  { name: 'saved', label: 'Saved' },
  { name: 'starred', label: 'Starred' },
  { name: 'archive', label: 'Archive' },
  { name: 'following', label: 'Following' },
];

const PAGE = 200;

export function PopupApp() {
  const db = getDb();
  const [view, setView] = useState<ViewName>('inbox');
  const [openId, setOpenId] = useState<string | undefined>();
  const counts = useLiveQuery(() => countViews(db), []);
  const list = useLiveQuery(
    () => (view === 'following' ? Promise.resolve([]) : view === 'starred' ? listStarred(db, 0, PAGE) : listBox(db, view, 0, PAGE)),
    [view],
  );
  const total = counts.value ? counts.value.inbox + counts.value.saved + counts.value.archive : undefined;

  if (openId) return <PopupReader id={openId} onBack={() => setOpenId(undefined)} />;

  return (
    <div class="popup">
      <header class="popup-header">
        <h1 class="brand">Offprint</h1>
        <SavePageButton />
      </header>
      <FollowOffer />
      <SearchBox onOpen={setOpenId} />
      <nav class="tabs" role="tablist" aria-label="Library views">
        {VIEWS.map((v) => (
          <button
            key={v.name}
            type="button"
            role="tab"
            aria-selected={view === v.name}
            class={view === v.name ? 'tab active' : 'tab'}
            onClick={() => setView(v.name)}
          >
            {v.label} <span class="count">{counts.value ? countOf(counts.value, v.name) : ''}</span>
          </button>
        ))}
      </nav>
      <div class="list-area" role="tabpanel" aria-label={VIEWS.find((v) => v.name === view)?.label}>
        {view === 'following' ? (
          <FollowingView />
        ) : list.error || counts.error ? (
          <p class="error" role="alert">
            Could not read your library: {(list.error ?? counts.error)?.message}
          </p>
        ) : total === 0 ? (
          <Welcome />
        ) : list.value && list.value.length === 0 ? (
          <p class="empty">Nothing here yet.</p>
        ) : (
          <ul class="rows" aria-label="Articles">
            {list.value?.map((a: Article) => <ArticleRow key={a.id} article={a} onOpen={(x) => setOpenId(x.id)} />)}
          </ul>
        )}
      </div>
    </div>
  );
}

function countOf(counts: BoxCounts, view: ViewName): number | string {
  return view === 'following' ? '' : counts[view];
}

function PopupReader({ id, onBack }: { id: string; onBack: () => void }) {
  const db = getDb();
  const sanitize = useMemo(() => createSanitizer(window), []);
  const entry = useLiveQuery(() => getArticle(db, id), [id]);
  const openInTab = () => {
    void browser.tabs.create({ url: browser.runtime.getURL(`/reader.html?id=${encodeURIComponent(id)}`) });
    window.close();
  };
  return (
    <div class="popup popup-reading">
      <header class="popup-header">
        <button type="button" class="link-button" onClick={onBack}>
          ← Back
        </button>
        <button type="button" class="link-button" onClick={openInTab}>
          Open in tab
        </button>
      </header>
      <main class="reading">
        {entry.value ? <ArticleView article={entry.value.article} content={entry.value.content} sanitize={sanitize} /> : null}
        {entry.error ? (
          <p class="error" role="alert">
            Could not read this article: {entry.error.message}
          </p>
        ) : null}
      </main>
    </div>
  );
}
