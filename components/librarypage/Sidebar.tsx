import type { Feed } from '../../lib/db/types';
import type { FeedGroup } from '../../lib/feeds/manage';
import type { BoxCounts } from '../../lib/library/queries';
import type { SavedView } from '../../lib/library/saved-views';
import { selectionKey, type Selection } from './selection';
import type { SidebarSlot } from './slots';

interface Props {
  current: Selection;
  counts: BoxCounts | undefined;
  groups: FeedGroup[];
  unread: Map<string, number> | undefined;
  tags: string[];
  tagCounts: Map<string, number> | undefined;
  views: SavedView[];
  viewCounts: Map<string, string> | undefined;
  slots: SidebarSlot[];
  slotCounts: Map<string, number> | undefined;
  onSelect: (s: Selection) => void;
  onManageFeed: (feed: Feed) => void;
}

export const BOXES: { sel: Selection; label: string; count: keyof BoxCounts }[] = [
  { sel: { kind: 'place', place: { kind: 'box', box: 'inbox' } }, label: 'Inbox', count: 'inbox' },
  { sel: { kind: 'place', place: { kind: 'box', box: 'saved' } }, label: 'Saved', count: 'saved' },
  { sel: { kind: 'place', place: { kind: 'starred' } }, label: 'Starred', count: 'starred' },
  { sel: { kind: 'place', place: { kind: 'box', box: 'archive' } }, label: 'Archive', count: 'archive' },
];
export const TRASH: Selection = { kind: 'place', place: { kind: 'box', box: 'trash' } };

/** Boxes, saved views, feeds by folder with unread counts, and tags. Each entry is a button; the chosen one is marked current. */
export function Sidebar({ current, counts, groups, unread, tags, tagCounts, views, viewCounts, slots, slotCounts, onSelect, onManageFeed }: Props) {
  const at = selectionKey(current);
  const item = (sel: Selection, label: string, count: number | string | undefined, extra?: { title?: string; error?: string }) => {
    const key = selectionKey(sel);
    return (
      <li key={key} class={key === at ? 'side-item current' : 'side-item'}>
        <button type="button" class="side-button" aria-current={key === at ? 'page' : undefined} onClick={() => onSelect(sel)} title={extra?.title ?? label}>
          <span class="side-label">{label}</span>
          {extra?.error ? (
            <span class="side-error" role="img" aria-label="has an error">
              !
            </span>
          ) : null}
          <span class="count">{count === undefined || count === 0 ? '' : count}</span>
        </button>
      </li>
    );
  };
  const unreadIn = (feeds: Feed[]) => feeds.reduce((n, f) => n + (unread?.get(f.id) ?? 0), 0);
  return (
    <nav class="sidebar" aria-label="Library">
      <ul class="side-list" aria-label="Boxes">
        {BOXES.map((b) => item(b.sel, b.label, counts?.[b.count]))}
        {slots.map((s) => item({ kind: 'slot', slotId: s.id }, s.label, slotCounts?.get(s.id)))}
        {item(TRASH, 'Trash', counts?.trash)}
      </ul>
      {views.length ? (
        <>
          <h2 class="side-heading" id="views-heading">
            Saved views
          </h2>
          <ul class="side-list" aria-labelledby="views-heading">
            {views.map((v) => item({ kind: 'view', viewId: v.id }, v.name, viewCounts?.get(v.id), { title: `${v.name}: ${v.query || 'filters only'}` }))}
          </ul>
        </>
      ) : null}
      {groups.length ? (
        <>
          <h2 class="side-heading" id="feeds-side-heading">
            Feeds
          </h2>
          <ul class="side-list" aria-labelledby="feeds-side-heading">
            {groups.map((g) =>
              g.folder ? (
                <li key={`folder:${g.folder}`} class="side-folder">
                  <ul class="side-list" aria-label={`Folder ${g.folder}`}>
                    {item({ kind: 'place', place: { kind: 'folder', folder: g.folder } }, g.folder, unreadIn(g.feeds), { title: `Folder ${g.folder}` })}
                    {g.feeds.map((f) => feedItem(f))}
                  </ul>
                </li>
              ) : (
                g.feeds.map((f) => feedItem(f))
              ),
            )}
          </ul>
        </>
      ) : null}
      {tags.length ? (
        <>
          <h2 class="side-heading" id="tags-heading">
            Tags
          </h2>
          <ul class="side-list" aria-labelledby="tags-heading">
            {tags.map((t) => item({ kind: 'place', place: { kind: 'tag', tag: t } }, `#${t}`, tagCounts?.get(t)))}
          </ul>
        </>
      ) : null}
    </nav>
  );

  function feedItem(f: Feed) {
    const sel: Selection = { kind: 'place', place: { kind: 'feed', feedId: f.id } };
    const key = selectionKey(sel);
    return (
      <li key={key} class={`side-item feed-item${key === at ? ' current' : ''}${f.folder ? ' in-folder' : ''}`}>
        <button type="button" class="side-button" aria-current={key === at ? 'page' : undefined} onClick={() => onSelect(sel)} title={f.lastError ? `${f.title}: ${f.lastError}` : f.title}>
          <span class="side-label">{f.title}</span>
          {f.lastError ? (
            <span class="side-error" role="img" aria-label="has an error">
              !
            </span>
          ) : null}
          <span class="count">{unread?.get(f.id) || ''}</span>
        </button>
        <button type="button" class="side-manage" aria-label={`Manage ${f.title}`} title={`Rename, move, refresh or unfollow ${f.title}`} onClick={() => onManageFeed(f)}>
          ⋯
        </button>
      </li>
    );
  }
}
