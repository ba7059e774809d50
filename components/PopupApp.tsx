import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { getDb } from '../lib/db/schema';
import type { Article } from '../lib/db/types';
import { listTags } from '../lib/library/actions';
import { countViews } from '../lib/library/queries';
import { FollowingView } from './following/FollowingView';
import { act, describeFailure, openInTab, type LibraryAction } from './library/act';
import { ArticleList } from './library/ArticleList';
import { BulkBar } from './library/BulkBar';
import { isTypingOrModified } from './library/keys';
import { KeyHelp } from './library/KeyHelp';
import { OfflineStatus } from './library/OfflineStatus';
import { SyncStatusLine } from './sync/SyncStatusLine';
import { FetchSelectedButton, FullTextPanel } from './fulltext/FullTextPanel';
import { UndoToast, type Undoable } from './library/UndoToast';
import { useArticleWindow, type ListView } from './library/useArticleWindow';
import { FollowOffer } from './popup/FollowOffer';
import { HighlightsView } from './highlights/HighlightsView';
import { SavePageButton } from './popup/SavePageButton';
import { PopupReader } from './reader/PopupReader';
import { SearchBox } from './search/SearchBox';
import { useLiveQuery } from './useLiveQuery';
import { useSettings } from './useSettings';
import { Welcome } from './Welcome';
import { useSelection } from './useSelection';

export type ViewName = ListView | 'following' | 'highlights';

const VIEWS: { name: ViewName; label: string }[] = [
  { name: 'inbox', label: 'Inbox' },
  { name: 'saved', label: 'Saved' },
  { name: 'starred', label: 'Starred' },
  { name: 'archive', label: 'Archive' },
  { name: 'following', label: 'Following' },
  // Issue 13: every highlight across the library (an icon, like Trash, to fit the popup).
  { name: 'highlights', label: 'Highlights' },
  // An icon keeps six tabs inside the 420 px popup; the tab is still named "Trash".
  { name: 'trash', label: 'Trash' },
];

export function PopupApp() {
  const db = getDb();
  useSettings();
  const [view, setView] = useState<ViewName>('inbox');
  const [tag, setTag] = useState<string | undefined>();
  const [range, setRange] = useState({ start: 0, count: 40 });
  const [active, setActive] = useState(0);
  const [focusTick, setFocusTick] = useState(0);
  const { selected, toggleSelect, clearSelection } = useSelection();
  const [openId, setOpenId] = useState<string | undefined>();
  /** The matched words when the open article came from a search (issue 12: marked and scrolled to). */
  const [openTerms, setOpenTerms] = useState<string[] | undefined>();
  const [openHighlight, setOpenHighlight] = useState<string | undefined>();
  const [undo, setUndo] = useState<Undoable | undefined>();
  const [help, setHelp] = useState(false);
  /** Ids waiting for the "Delete forever" confirmation. */
  const [purging, setPurging] = useState<string[] | undefined>();
  const confirmPurge = useRef<HTMLButtonElement>(null);
  useEffect(() => confirmPurge.current?.focus(), [purging]);
  const listView: ListView = view === 'following' || view === 'highlights' ? 'inbox' : view;
  // The visible rows are read first. Counting a box walks its whole index,
  // so counts, tags and feeds wait until the list is on screen.
  const win = useArticleWindow(listView, tag, range.start, range.count);
  const anyStored = useLiveQuery(async () => (await db.articles.where('box').anyOf('inbox', 'saved', 'archive').limit(1).primaryKeys()).length > 0, []);
  const listShown = win !== undefined || view === 'following';
  const counts = useLiveQuery(() => (listShown ? countViews(db) : Promise.resolve(undefined)), [listShown]);
  const tags = useLiveQuery(() => (listShown ? listTags(db) : Promise.resolve(undefined)), [listShown]);
  const following = useLiveQuery(() => (listShown ? db.feeds.count() : Promise.resolve(undefined)), [listShown]);
  // Until the counts arrive, the rows already read give a lower bound.
  const loaded = win ? win.start + win.rows.length : 0;
  const total = win?.total ?? Math.max(counts.value ? counts.value[listView] : 0, loaded);
  const libraryEmpty = anyStored.value === false;

  // The list shrank under the active row (delete, archive): the last row becomes active.
  useEffect(() => {
    if (total > 0 && active > total - 1) setActive(total - 1);
  }, [total, active]);

  const onRange = useCallback((start: number, count: number) => setRange((r) => (r.start === start && r.count === count ? r : { start, count })), []);
  const articleAt = (i: number): Article | undefined => win?.rows[i - (win?.start ?? 0)];
  const clearUndo = useCallback(() => setUndo(undefined), []);

  const switchView = (next: ViewName) => {
    setView(next);
    setActive(0);
    clearSelection();
    setRange({ start: 0, count: 40 });
    setPurging(undefined);
  };

  const [failure, setFailure] = useState('');
  /** Runs an action on articles and offers undo for deletes. */
  const run = async (ids: string[], action: LibraryAction) => {
    // Delete forever cannot be undone: it waits for the confirmation bar.
    if (action.kind === 'purge' && purging !== ids) {
      setPurging(ids);
      return;
    }
    try {
      await act(db, ids, action);
      setFailure('');
    } catch (err) {
      setFailure(describeFailure(err));
      return;
    }
    if (action.kind === 'delete') {
      setUndo({ message: ids.length === 1 ? 'Article deleted.' : `${ids.length} articles deleted.`, undo: () => void act(db, ids, { kind: 'restore' }) });
      clearSelection();
    } else if (action.kind === 'restore') {
      setUndo({ message: ids.length === 1 ? 'Article restored.' : `${ids.length} articles restored.`, undo: () => void act(db, ids, { kind: 'delete' }) });
      clearSelection();
    } else if (action.kind === 'purge') {
      setPurging(undefined);
      clearSelection();
    }
  };

  const keyAction = (key: string, article: Article | undefined): LibraryAction | undefined => {
    if (!article) return undefined;
    // In Trash, delete and archive mean nothing: Restore and Delete forever are the row's buttons.
    if (article.box === 'trash' && (key === '#' || key === 'e')) return undefined;
    if (key === 's') return { kind: article.starred ? 'unstar' : 'star' };
    if (key === 'e') return { kind: article.box === 'archive' ? 'unarchive' : 'archive' };
    if (key === 'm') return { kind: article.isRead ? 'unread' : 'read' };
    if (key === '#') return { kind: 'delete' };
    return undefined;
  };

  useEffect(() => {
    if (openId) return;
    const onKey = (e: KeyboardEvent) => {
      if (help || isTypingOrModified(e)) return;
      // Keys act on the row that has focus; the active index can lag a key pressed right after focus moved.
      const focusedRow = Number((e.target as Element | null)?.closest?.('li[data-index]')?.getAttribute('data-index') ?? NaN);
      const at = Number.isInteger(focusedRow) ? focusedRow : active;
      const current = articleAt(at);
      const move = (to: number) => {
        e.preventDefault();
        // The first j/k from outside the list lands on the current row instead of skipping it.
        const inList = (e.target as Element | null)?.closest?.('.rows');
        setActive(inList ? Math.max(0, Math.min(total - 1, to)) : at);
        setFocusTick((t) => t + 1);
      };
      if (e.key === '?') {
        e.preventDefault();
        setHelp(true);
      } else if (e.key === '/') {
        const search = document.querySelector<HTMLInputElement>('.search-slot input');
        if (search) {
          e.preventDefault();
          search.focus();
        }
      } else if (view === 'following' || view === 'highlights') {
        return;
      } else if (e.key === 'j' || e.key === 'ArrowDown') move(at + 1);
      else if (e.key === 'k' || e.key === 'ArrowUp') move(at - 1);
      else if (e.key === 'Enter' && current && !(e.target instanceof HTMLButtonElement)) {
        e.preventDefault();
        setOpenTerms(undefined);
        setOpenHighlight(undefined);
        setOpenId(current.id);
      } else if (e.key === 'o' && current) {
        e.preventDefault();
        openInTab(current.id);
      } else if (e.key === 'x' && current) {
        toggleSelect(current, !selected.has(current.id));
      } else if (e.key === 'Escape' && purging) {
        setPurging(undefined);
      } else if (e.key === 'Escape' && selected.size) {
        clearSelection();
      } else {
        const ids = selected.size ? [...selected] : current ? [current.id] : [];
        const action = keyAction(e.key, current);
        if (action && ids.length) {
          e.preventDefault();
          // A delete or archive takes the focused row away: focus the row that takes its place.
          const fromList = !!(e.target as Element | null)?.closest?.('.rows');
          setActive(at);
          void run(ids, action).then(() => fromList && setFocusTick((t) => t + 1));
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });


  if (openId) {
    return (
      <PopupReader
        id={openId}
        matchTerms={openTerms}
        focusHighlight={openHighlight}
        onBack={() => {
          setOpenId(undefined);
          setOpenHighlight(undefined);
          // Back to the list with focus on the row that was open, not at the top of the popup.
          setFocusTick((t) => t + 1);
        }}
        onDeleted={(a) => {
          setOpenId(undefined);
          setFocusTick((t) => t + 1);
          setUndo({ message: 'Article deleted.', undo: () => void act(db, [a.id], { kind: 'restore' }) });
        }}
        undo={<UndoToast item={undo} onDone={clearUndo} />}
      />
    );
  }

  const error = win?.error ?? counts.error;
  return (
    <div class="popup">
      <header class="popup-header">
        <h1 class="brand">Offprint</h1>
        <SavePageButton />
        <button
          type="button"
          class="action small"
          title="Open the library in a tab (Alt+Shift+L)"
          onClick={() => {
            void browser.tabs.create({ url: browser.runtime.getURL('/library.html') });
            window.close();
          }}
        >
          Library
        </button>
        <button type="button" class="icon-button" aria-label="Settings, import and export" title="Settings, import and export" onClick={() => void browser.runtime.openOptionsPage()}>
          ⚙
        </button>
        <button type="button" class="icon-button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={() => setHelp(true)}>
          ?
        </button>
      </header>
      <FollowOffer />
      <div class="search-slot">
        <SearchBox
          onOpen={(id, terms) => {
            setOpenTerms(terms);
            setOpenHighlight(undefined);
            setOpenId(id);
          }}
        />
      </div>
      <nav class="tabs" role="tablist" aria-label="Library views" onKeyDown={onTabKey}>
        {VIEWS.map((v) => (
          <button
            key={v.name}
            type="button"
            role="tab"
            id={`tab-${v.name}`}
            aria-selected={view === v.name}
            tabIndex={view === v.name ? 0 : -1}
            aria-controls="view-panel"
            class={view === v.name ? 'tab active' : 'tab'}
            title={v.name === 'trash' || v.name === 'highlights' ? v.label : undefined}
            onClick={() => switchView(v.name)}
          >
            {v.name === 'trash' || v.name === 'highlights' ? (
              <>
                {v.name === 'trash' ? <TrashIcon /> : <HighlighterIcon />}
                <span class="sr-only">{v.label}</span>
              </>
            ) : (
              v.label
            )}{' '}
            <span class="count">{v.name === 'following' ? (following.value ?? '') : v.name === 'highlights' ? '' : counts.value ? counts.value[v.name] : ''}</span>
          </button>
        ))}
      </nav>
      <div class="list-area" id="view-panel" role="tabpanel" aria-labelledby={`tab-${view}`}>
        {view === 'following' ? (
          <FollowingView />
        ) : view === 'highlights' ? (
          <HighlightsView
            onOpen={(articleId, highlightId) => {
              setOpenTerms(undefined);
              setOpenHighlight(highlightId);
              setOpenId(articleId);
            }}
          />
        ) : error ? (
          <p class="error" role="alert">
            Could not read your library: {error.message}
          </p>
        ) : libraryEmpty && view !== 'trash' ? (
          <Welcome />
        ) : (
          <>
            <div class="list-toolbar">
              {view === 'trash' ? <p class="trash-note">Deleted articles are removed for good after a day.</p> : null}
              {purging ? (
                <div class="bulk-bar confirm-bar" role="alertdialog" aria-label="Delete forever?" aria-describedby="purge-question">
                  <span id="purge-question" class="bulk-count">
                    {purging.length === 1 ? 'Delete this article forever?' : `Delete ${purging.length} articles forever?`} This cannot be undone.
                  </span>
                  <button type="button" class="action small danger" ref={confirmPurge} onClick={() => void run(purging, { kind: 'purge' })}>
                    Delete forever
                  </button>
                  <button type="button" class="action small" onClick={() => setPurging(undefined)}>
                    Cancel
                  </button>
                </div>
              ) : selected.size ? (
                <BulkBar count={selected.size} view={listView} onAction={(a) => void run([...selected], a)} onClear={clearSelection} extra={<FetchSelectedButton ids={[...selected]} />} />
              ) : tags.value?.length || tag ? (
                <label class="tag-filter">
                  <span class="sr-only">Filter by tag</span>
                  <select
                    aria-label="Filter by tag"
                    value={tag ?? ''}
                    onChange={(e) => {
                      setTag(e.currentTarget.value || undefined);
                      setActive(0);
                    }}
                  >
                    <option value="">All tags</option>
                    {tags.value?.map((t) => (
                      <option key={t} value={t}>
                        #{t}
                      </option>
                    ))}
                  </select>
                </label>
              ) : null}
            </div>
            {win && total === 0 && (counts.value || anyStored.value === false) ? (
              <p class="empty">{tag ? `Nothing tagged #${tag} here.` : emptyText(listView)}</p>
            ) : (
              <ArticleList
                window={win}
                total={total}
                activeIndex={active}
                focusTick={focusTick}
                selected={selected}
                onRange={onRange}
                onActive={setActive}
                onOpen={(a) => {
                  setOpenTerms(undefined);
                  setOpenId(a.id);
                }}
                onSelect={toggleSelect}
                rowActions={
                  view === 'trash'
                    ? (a) => (
                        <>
                          <button type="button" class="action small" aria-label={`Restore ${a.title}`} onClick={() => void run([a.id], { kind: 'restore' })}>
                            Restore
                          </button>
                          <button type="button" class="action small danger" aria-label={`Delete ${a.title} forever`} onClick={() => void run([a.id], { kind: 'purge' })}>
                            Delete forever
                          </button>
                        </>
                      )
                    : undefined
                }
              />
            )}
          </>
        )}
      </div>
      {failure ? (
        <p class="error" role="alert">
          {failure}
        </p>
      ) : null}
      <SyncStatusLine />
      {libraryEmpty ? null : <FullTextPanel compact />}
      {libraryEmpty ? null : <OfflineStatus />}
      <UndoToast item={undo} onDone={clearUndo} />
      {help ? <KeyHelp onClose={() => setHelp(false)} /> : null}
    </div>
  );
}

/** Arrow keys move between tabs, as in any tab list. */
function onTabKey(e: KeyboardEvent) {
  if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight' && e.key !== 'Home' && e.key !== 'End') return;
  const tabs = [...(e.currentTarget as HTMLElement).querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  const at = tabs.indexOf(document.activeElement as HTMLButtonElement);
  const next = e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : (at + (e.key === 'ArrowRight' ? 1 : -1) + tabs.length) % tabs.length;
  e.preventDefault();
  e.stopPropagation();
  tabs[next]?.focus();
  tabs[next]?.click();
}

function emptyText(view: ListView): string {
  return {
    inbox: 'No new posts. Articles from authors you follow arrive here.',
    saved: 'Nothing saved yet. Clip a page with “Save this page”.',
    starred: 'No starred articles. Press s on an article to star it.',
    archive: 'The archive is empty. Press e on an article to archive it.',
    trash: 'Trash is empty.',
  }[view];
}

function HighlighterIcon() {
  return (
    <svg class="tab-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <path d="M9.5 2.5l4 4-6 6H3.5v-4zM8 4l4 4M2 14.5h6" fill="none" stroke="currentColor" stroke-width="1.3" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}

function TrashIcon() {
  return (
    <svg class="tab-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <path d="M2.5 4h11M6 4V2.5h4V4M4 4l.7 9.5h6.6L12 4M6.8 6.5v5M9.2 6.5v5" fill="none" stroke="currentColor" stroke-width="1.3" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}
