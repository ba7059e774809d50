import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { getDb } from '../../lib/db/schema';
import type { Article, Feed } from '../../lib/db/types';
import { groupByFolder } from '../../lib/feeds/manage';
import { listTags } from '../../lib/library/actions';
import { countByTag, SORT_ORDERS, unreadByFeed, type SortOrder } from '../../lib/library/places';
import { countViews } from '../../lib/library/queries';
import { listSavedViews, saveView } from '../../lib/library/saved-views';
import { userTags as loadUserTags } from '../../lib/library/user-tags';
import type { SearchFilters } from '../../lib/search/search';
import { act, describeFailure, type LibraryAction } from '../library/act';
import { BulkBar } from '../library/BulkBar';
import { articleKeyAction, isTypingOrModified } from '../library/keys';
import { KeyHelp } from '../library/KeyHelp';
import { UndoToast, type Undoable } from '../library/UndoToast';
import type { ListView } from '../library/useArticleWindow';
import { prefetchArticle } from '../reader/prefetch';
import { ReaderPane } from '../reader/ReaderPane';
import { SyncStatusLine } from '../sync/SyncStatusLine';
import { createSanitizer } from '../../lib/html/sanitize';
import { forgetSearch, librarySearch, SearchBox } from '../search/SearchBox';
import { useLiveQuery } from '../useLiveQuery';
import { useSettledQuery } from '../useSettledQuery';
import { FeedManager } from './FeedManager';
import { LIBRARY_LIST_KEYS, LIBRARY_READER_KEYS } from './keys';
import { LibraryList } from './LibraryList';
import { QuickSwitcher, type SwitchTarget } from './QuickSwitcher';
import { selectionKey, INBOX, type Selection } from './selection';
import { BOXES, Sidebar, TRASH } from './Sidebar';
import { SIDEBAR_SLOTS } from './slots';
import { useLibraryWindow, VIEW_LIMIT } from './useLibraryWindow';
import './library.css';
import { useSelection } from '../useSelection';

const SORT_KEY = 'offprint:library-sort';

function initialSort(): SortOrder {
  try {
    const s = localStorage.getItem(SORT_KEY);
    if (SORT_ORDERS.some(([v]) => v === s)) return s as SortOrder;
  } catch {
    // No localStorage: the default order.
  }
  return 'newest';
}

/** The full-tab library: sidebar of sources, the article list, and the reader. */
export function LibraryApp() {
  const db = getDb();
  const search = useMemo(librarySearch, []);
  const [sel, setSel] = useState<Selection>(INBOX);
  const [sort, setSortState] = useState<SortOrder>(initialSort);
  const [range, setRange] = useState({ start: 0, count: 40 });
  const [active, setActive] = useState(0);
  const [focusTick, setFocusTick] = useState(0);
  const { selected, toggleSelect, clearSelection } = useSelection();
  const [openId, setOpenId] = useState<string | undefined>();
  /** The highlight to scroll to in the open article (picked in the Highlights view). */
  const [openHighlight, setOpenHighlight] = useState<string | undefined>();
  const openIndex = useRef(0);
  const [help, setHelp] = useState<false | 'list' | 'reader'>(false);
  const [switcher, setSwitcher] = useState(false);
  const [managing, setManaging] = useState<string | undefined>();
  const [undo, setUndo] = useState<Undoable | undefined>();
  const [failure, setFailure] = useState('');
  const [sidebarOpen, setSidebarOpen] = useState(false);
  const [listenTick, setListenTick] = useState(0);
  const [readerEl, setReaderEl] = useState<HTMLElement | null>(null);
  const searchState = useRef<{ query: string; filters: SearchFilters }>({ query: '', filters: {} });
  const [searching, setSearching] = useState(false);
  const [naming, setNaming] = useState(false);
  const [searchKey, setSearchKey] = useState(0);

  const feeds = useLiveQuery(() => db.feeds.toArray(), []);
  const views = useLiveQuery(() => listSavedViews(db), []);
  const win = useLibraryWindow(sel, sort, range.start, range.count, feeds.value, views.value, search);
  // Latched: once the first rows were shown, counts stay on (switching lists must not recount everything).
  const shownOnce = useRef(false);
  if (win !== undefined) shownOnce.current = true;
  const listShown = shownOnce.current;
  // Counting walks indexes (about a second per 50,000 articles in IndexedDB): counts
  // wait until the first rows are on screen, and follow writes a moment later.
  const settled = { tables: ['articles', 'feeds'], enabled: listShown, delayMs: 300 };
  const counts = useSettledQuery(() => countViews(db), [], settled);
  const tags = useSettledQuery(() => listTags(db), [], settled);
  const mine = useLiveQuery(() => loadUserTags(db), []);
  const feedIds = (feeds.value ?? []).map((f) => f.id).join('\n');
  const unread = useSettledQuery(() => (feedIds ? unreadByFeed(db, feedIds.split('\n')) : Promise.resolve(new Map<string, number>())), [feedIds], settled);
  const tagKey = tags.value?.join('\n') ?? '';
  const tagCounts = useSettledQuery(() => (tagKey ? countByTag(db, tagKey.split('\n')) : Promise.resolve(new Map<string, number>())), [tagKey], settled);
  const viewCounts = useSettledQuery(
    async () => {
      const out = new Map<string, string>();
      for (const v of views.value ?? []) {
        const r = await search.search(v.query, v.filters, { limit: VIEW_LIMIT });
        out.set(v.id, `${r.hits.length}${r.more ? '+' : ''}`);
      }
      return out;
    },
    [views.value],
    { ...settled, tables: ['articles', 'searchMeta'] },
  );
  const slotCounts = useLiveQuery(async () => new Map(await Promise.all(SIDEBAR_SLOTS.filter((s) => s.count).map(async (s) => [s.id, await s.count!(db)] as [string, number]))), []);

  const feedMap = useMemo(() => new Map((feeds.value ?? []).map((f) => [f.id, f])), [feeds.value]);
  const groups = useMemo(() => groupByFolder(feeds.value ?? []), [feeds.value]);
  const folders = groups.map((g) => g.folder).filter(Boolean);
  const userTagSet = mine.value ?? new Set<string>();
  const total = win?.total ?? 0;
  const rowAt = (i: number): Article | undefined => win?.rows[i - (win?.start ?? 0)];
  const reading = !!openId;

  useEffect(() => {
    if (total > 0 && active > total - 1) setActive(total - 1);
  }, [total, active]);
  const onRange = useCallback((start: number, count: number) => setRange((r) => (r.start === start && r.count === count ? r : { start, count })), []);
  const clearUndo = useCallback(() => setUndo(undefined), []);

  const title = selectionTitle(sel, feedMap, views.value ?? []);
  useEffect(() => {
    document.title = `${title} · Offprint library`;
  }, [title]);

  const choose = (next: Selection) => {
    setSel(next);
    setActive(0);
    clearSelection();
    setRange({ start: 0, count: 40 });
    setSidebarOpen(false);
    if (next.kind !== 'place' || next.place.kind !== 'feed') setManaging(undefined);
  };
  const setSort = (s: SortOrder) => {
    setSortState(s);
    setActive(0);
    setRange({ start: 0, count: 40 });
    try {
      localStorage.setItem(SORT_KEY, s);
    } catch {
      // Only a preference.
    }
  };
  const open = (a: Article, index: number) => {
    openIndex.current = index;
    setActive(index);
    setOpenHighlight(undefined);
    setOpenId(a.id);
  };
  /** The article `step` rows from the open one; if the open one left the list, the one now in its place counts as next. */
  const neighbour = (step: 1 | -1): { article: Article; index: number } | undefined => {
    if (!openId || !win) return undefined;
    const at = win.rows.findIndex((r) => r.id === openId);
    const index = at === -1 ? openIndex.current + (step === 1 ? 0 : -1) : win.start + at + step;
    const article = rowAt(index);
    return article && article.id !== openId ? { article, index } : undefined;
  };
  const go = (step: 1 | -1) => {
    const n = neighbour(step);
    if (!n) return false;
    open(n.article, n.index);
    setFocusTick((t) => t + 1);
    readerEl?.scrollTo({ top: 0 });
    return true;
  };

  const run = async (ids: string[], action: LibraryAction) => {
    try {
      await act(db, ids, action);
      setFailure('');
    } catch (err) {
      setFailure(describeFailure(err));
      return false;
    }
    if (action.kind === 'delete') {
      setUndo({ message: ids.length === 1 ? 'Article deleted.' : `${ids.length} articles deleted.`, undo: () => void act(db, ids, { kind: 'restore' }) });
      clearSelection();
    } else if (action.kind === 'restore' || action.kind === 'purge') {
      clearSelection();
    }
    return true;
  };

  // Keys: one handler for the whole page, so list and reader agree on what each key does.
  // It is replaced on every render (a ref), so a key pressed right after a change sees it.
  const onKeyRef = useRef<(e: KeyboardEvent) => void>(() => undefined);
  {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setSwitcher(true);
        return;
      }
      // The open dialog is read from the page, not from state: a key pressed right after it
      // closed can reach a handler from before the re-render.
      if (document.querySelector('.overlay [aria-modal="true"]') || isTypingOrModified(e)) return;
      const target = e.target as Element | null;
      const inList = !!target?.closest?.('.lib-list-pane');
      // With an article open, the keys act on it wherever focus is (j/k read the next one).
      const context = reading ? 'reader' : 'list';
      if (e.key === '?') {
        e.preventDefault();
        setHelp(context);
        return;
      }
      if (e.key === '/') {
        const box = document.querySelector<HTMLInputElement>('.lib-search input[type="search"]');
        if (box) {
          e.preventDefault();
          box.focus();
        }
        return;
      }
      if (context === 'reader') {
        const article = rowAt(openIndex.current)?.id === openId ? rowAt(openIndex.current) : win?.rows.find((r) => r.id === openId);
        if (e.key === 'Enter' && target instanceof HTMLButtonElement) return;
        if (e.key === 'j' || e.key === 'k') {
          e.preventDefault();
          go(e.key === 'j' ? 1 : -1);
        } else if (e.key === 'Escape') {
          e.preventDefault();
          closeReader();
        } else if (e.key === 'l') {
          e.preventDefault();
          setListenTick((t) => t + 1);
        } else if (article) {
          const action = articleKeyAction(article, e.key);
          if (!action || (article.box === 'trash' && (e.key === '#' || e.key === 'e'))) return;
          e.preventDefault();
          const leaves = action.kind === 'delete' || (action.kind === 'archive' && sel.kind === 'place' && sel.place.kind === 'box') || (action.kind === 'unarchive' && sel.kind === 'place' && sel.place.kind === 'box');
          const after = leaves ? neighbour(1) ?? neighbour(-1) : undefined;
          void run([article.id], action).then((ok) => {
            if (ok && after) open(after.article, after.index - (after.index > openIndex.current ? 1 : 0));
          });
        }
        return;
      }
      const focusedRow = Number(target?.closest?.('li[data-index]')?.getAttribute('data-index') ?? NaN);
      const at = Number.isInteger(focusedRow) ? focusedRow : active;
      const current = rowAt(at);
      const move = (to: number) => {
        e.preventDefault();
        setActive(inList ? Math.max(0, Math.min(total - 1, to)) : at);
        setFocusTick((t) => t + 1);
      };
      if (e.key === 'j' || e.key === 'ArrowDown') move(at + 1);
      else if (e.key === 'k' || e.key === 'ArrowUp') move(at - 1);
      else if (e.key === 'Enter' && current && !(target instanceof HTMLButtonElement)) {
        e.preventDefault();
        open(current, at);
      } else if (e.key === 'x' && current) {
        e.preventDefault();
        toggleSelect(current, !selected.has(current.id));
      } else if (e.key === 'Escape' && selected.size) {
        clearSelection();
      } else if (current) {
        const action = articleKeyAction(current, e.key);
        if (!action || (current.box === 'trash' && (e.key === '#' || e.key === 'e'))) return;
        e.preventDefault();
        setActive(at);
        void run(selected.size ? [...selected] : [current.id], action).then(() => inList && setFocusTick((t) => t + 1));
      }
    };
    onKeyRef.current = onKey;
  }
  useEffect(() => {
    const listener = (e: KeyboardEvent) => onKeyRef.current(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  const closeReader = () => {
    setOpenId(undefined);
    setFocusTick((t) => t + 1);
  };

  const targets = useMemo((): SwitchTarget[] => {
    const out: SwitchTarget[] = [...BOXES.map((b) => ({ sel: b.sel, label: b.label, kind: 'Box' })), ...SIDEBAR_SLOTS.map((s) => ({ sel: { kind: 'slot', slotId: s.id } as Selection, label: s.label, kind: 'View' })), { sel: TRASH, label: 'Trash', kind: 'Box' }];
    for (const v of views.value ?? []) out.push({ sel: { kind: 'view', viewId: v.id }, label: v.name, kind: 'Saved view' });
    for (const g of groups) if (g.folder) out.push({ sel: { kind: 'place', place: { kind: 'folder', folder: g.folder } }, label: g.folder, kind: 'Folder' });
    for (const f of feeds.value ?? []) out.push({ sel: { kind: 'place', place: { kind: 'feed', feedId: f.id } }, label: f.title, kind: 'Feed' });
    for (const t of tags.value ?? []) out.push({ sel: { kind: 'place', place: { kind: 'tag', tag: t } }, label: `#${t}`, kind: 'Tag' });
    return out;
  }, [views.value, groups, feeds.value, tags.value]);

  const managed = managing ? feedMap.get(managing) : undefined;
  const slot = sel.kind === 'slot' ? SIDEBAR_SLOTS.find((s) => s.id === sel.slotId) : undefined;
  const inTrash = sel.kind === 'place' && sel.place.kind === 'box' && sel.place.box === 'trash';
  const bulkView: ListView = sel.kind === 'place' ? (sel.place.kind === 'box' ? sel.place.box : sel.place.kind === 'starred' ? 'starred' : 'inbox') : 'inbox';
  const error = win?.error ?? counts.error;
  const prev = neighbour(-1)?.article;
  const next = neighbour(1)?.article;
  // The next and previous articles are made ready while this one is read.
  const sanitize = useMemo(() => createSanitizer(window), []);
  const nextId = next?.id;
  const prevId = prev?.id;
  useEffect(() => {
    // When the page is idle, so preparing them never slows the article being opened.
    const idle = window.requestIdleCallback ?? ((fn: () => void) => window.setTimeout(fn, 50));
    const cancel = window.cancelIdleCallback ?? window.clearTimeout;
    const handle = idle(() => {
      for (const id of [nextId, prevId]) if (id) void prefetchArticle(db, id, sanitize);
    });
    return () => cancel(handle);
  }, [db, sanitize, nextId, prevId]);

  return (
    <div class={`library${reading ? ' reading-open' : ''}${sidebarOpen ? ' sidebar-open' : ''}`}>
      <header class="lib-header">
        <button type="button" class="action small side-toggle" aria-expanded={sidebarOpen} aria-controls="lib-side" onClick={() => setSidebarOpen((o) => !o)}>
          ☰ <span>Sources</span>
        </button>
        <h1 class="brand">Offprint</h1>
        <div class="lib-search">
          <SearchBox
            key={searchKey}
            onOpen={(id) => {
              setOpenHighlight(undefined);
              setOpenId(id);
              openIndex.current = active;
            }}
            onSearchChange={(query, filters) => {
              searchState.current = { query, filters };
              setSearching(query.trim() !== '' || Object.values(filters).some((v) => v !== undefined));
            }}
            actions={
              searching ? (
                <button type="button" class="action small" aria-expanded={naming} onClick={() => setNaming((n) => !n)}>
                  Save view
                </button>
              ) : null
            }
          />
          {naming && searching ? <SaveViewForm onSave={(name) => saveView(db, { name, ...searchState.current }, { now: Date.now, newId: () => crypto.randomUUID() }).then((v) => {
            setNaming(false);
            // The search is now the view: clear the box so the list shows it.
            forgetSearch();
            setSearching(false);
            setSearchKey((k) => k + 1);
            choose({ kind: 'view', viewId: v.id });
          })} onCancel={() => setNaming(false)} /> : null}
        </div>
        <button type="button" class="action small" onClick={() => setSwitcher(true)} title="Go to a feed, folder, tag or view (Ctrl/⌘ K)">
          Go to… <kbd>Ctrl K</kbd>
        </button>
        <button type="button" class="icon-button" aria-label="Settings, import and export" title="Settings, import and export" onClick={() => void browser.runtime.openOptionsPage()}>
          ⚙
        </button>
        <button type="button" class="icon-button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={() => setHelp(reading ? 'reader' : 'list')}>
          ?
        </button>
      </header>
      <div class="lib-panes">
        <aside class="lib-side" id="lib-side">
          <Sidebar
            current={sel}
            counts={counts.value}
            groups={groups}
            unread={unread.value}
            tags={tags.value ?? []}
            tagCounts={tagCounts.value}
            views={views.value ?? []}
            viewCounts={viewCounts.value}
            slots={SIDEBAR_SLOTS}
            slotCounts={slotCounts.value}
            onSelect={choose}
            onManageFeed={(f) => {
              choose({ kind: 'place', place: { kind: 'feed', feedId: f.id } });
              setManaging(f.id);
            }}
          />
          <SyncStatusLine placement="sidebar" />
        </aside>
        <section class="lib-list-pane" aria-label="Article list">
          <div class="lib-list-head">
            <h2 class="lib-list-title">
              {title} <span class="count">{win && !slot ? `${total}${win.more ? '+' : ''}` : ''}</span>
            </h2>
            {sel.kind === 'place' && sel.place.kind === 'feed' && !managed ? (
              <button type="button" class="link-button" onClick={() => sel.kind === 'place' && sel.place.kind === 'feed' && setManaging(sel.place.feedId)}>
                Manage feed
              </button>
            ) : null}
            {/* A slot's view (Highlights) is not the article list: no count or sort of its own here. */}
            {slot ? null : (
              <label class="setting sort">
                <span class="sr-only">Sort</span>
                <select class="styled-select" aria-label="Sort" value={sort} onChange={(e) => setSort(e.currentTarget.value as SortOrder)}>
                  {SORT_ORDERS.map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </select>
              </label>
            )}
          </div>
          {managed ? <FeedManager feed={managed} folders={folders} onClose={() => setManaging(undefined)} onUnfollowed={() => choose(INBOX)} /> : null}
          {selected.size ? <BulkBar count={selected.size} view={bulkView} onAction={(a) => void run([...selected], a)} onClear={clearSelection} /> : null}
          {failure ? (
            <p class="error" role="alert">
              {failure}
            </p>
          ) : null}
          {slot ? (
            <div class="lib-slot">
              {slot.render({
                onOpenArticle: (id, highlightId) => {
                  setOpenHighlight(highlightId);
                  setOpenId(id);
                },
              })}
            </div>
          ) : error ? (
            <p class="error" role="alert">
              Could not read your library: {error.message}
            </p>
          ) : win && total === 0 ? (
            <p class="empty" id="library-empty">
              {emptyText(sel)}
            </p>
          ) : (
            <LibraryList
              key={`${selectionKey(sel)}:${sort}`}
              window={win}
              activeIndex={active}
              openId={openId}
              focusTick={focusTick}
              selected={selected}
              userTags={userTagSet}
              feeds={feedMap}
              onRange={onRange}
              onActive={setActive}
              onOpen={open}
              onSelect={toggleSelect}
              rowActions={
                inTrash
                  ? (a) => (
                      <button type="button" class="action small" aria-label={`Restore ${a.title}`} onClick={() => void run([a.id], { kind: 'restore' })}>
                        Restore
                      </button>
                    )
                  : undefined
              }
            />
          )}
        </section>
        <section class="lib-reader" aria-label="Reader" ref={setReaderEl}>
          <ReaderPane
            id={openId ?? null}
            scroller={readerEl}
            prev={prev}
            next={next}
            onGo={(a) => {
              const index = win ? win.rows.findIndex((r) => r.id === a.id) : -1;
              open(a, index === -1 ? active : win!.start + index);
              setFocusTick((t) => t + 1);
            }}
            onDeleted={(a) => {
              setUndo({ message: 'Article deleted.', undo: () => void act(db, [a.id], { kind: 'restore' }) });
              if (!go(1)) go(-1);
            }}
            onHelp={() => setHelp('reader')}
            ownKeys={false}
            help={!!help}
            listenTick={listenTick}
            focusHighlight={openHighlight}
            emptyText={total ? 'Choose an article to read it here (j/k to move, Enter to open).' : 'Nothing to read here yet.'}
            barStart={
              <button type="button" class="action small back-to-list" onClick={closeReader}>
                ← Articles
              </button>
            }
          />
        </section>
      </div>
      <UndoToast item={undo} onDone={clearUndo} />
      {help ? <KeyHelp keys={help === 'reader' ? LIBRARY_READER_KEYS : LIBRARY_LIST_KEYS} title={help === 'reader' ? 'Keys while reading' : 'Keys in the list'} onClose={() => setHelp(false)} /> : null}
      {switcher ? (
        <QuickSwitcher
          targets={targets}
          onClose={() => setSwitcher(false)}
          onPick={(t) => {
            setSwitcher(false);
            choose(t.sel);
            // Keyboard users land on the first row of what they picked.
            (document.activeElement as HTMLElement | null)?.blur?.();
            setFocusTick((n) => n + 1);
          }}
        />
      ) : null}
    </div>
  );
}

function SaveViewForm({ onSave, onCancel }: { onSave: (name: string) => Promise<void>; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  return (
    <form
      class="save-view"
      onSubmit={(e) => {
        e.preventDefault();
        onSave(name).catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
      }}
    >
      <input ref={input} type="text" class="text-input" aria-label="Name of the saved view" placeholder="Name this view…" value={name} onInput={(e) => setName(e.currentTarget.value)} onKeyDown={(e) => e.key === 'Escape' && onCancel()} />
      <button type="submit" class="primary-button">
        Save
      </button>
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

function selectionTitle(sel: Selection, feeds: Map<string, Feed>, views: { id: string; name: string }[]): string {
  if (sel.kind === 'view') return views.find((v) => v.id === sel.viewId)?.name ?? 'Saved view';
  if (sel.kind === 'slot') return SIDEBAR_SLOTS.find((s) => s.id === sel.slotId)?.label ?? '';
  const p = sel.place;
  if (p.kind === 'box') return { inbox: 'Inbox', saved: 'Saved', archive: 'Archive', trash: 'Trash' }[p.box];
  if (p.kind === 'starred') return 'Starred';
  if (p.kind === 'feed') return feeds.get(p.feedId)?.title ?? 'Feed';
  if (p.kind === 'folder') return p.folder;
  return `#${p.tag}`;
}

function emptyText(sel: Selection): string {
  const key = selectionKey(sel);
  if (key === 'box:inbox') return 'No new posts. Articles from authors you follow arrive here.';
  if (key === 'box:saved') return 'Nothing saved yet. Clip a page with “Save this page” in the popup.';
  if (key === 'starred') return 'No starred articles. Press s on an article to star it.';
  if (key === 'box:archive') return 'The archive is empty. Press e on an article to archive it.';
  if (key === 'box:trash') return 'Trash is empty. Deleted articles wait here for a day.';
  if (sel.kind === 'view') return 'Nothing matches this saved view.';
  return 'No articles here.';
}
