import type { Place } from '../../lib/library/places';

/** What the sidebar has chosen: a place (box, feed, folder, tag), a saved view, or a slot view. */
export type Selection = { kind: 'place'; place: Place } | { kind: 'view'; viewId: string } | { kind: 'slot'; slotId: string };

export function selectionKey(s: Selection): string {
  if (s.kind === 'view') return `view:${s.viewId}`;
  if (s.kind === 'slot') return `slot:${s.slotId}`;
  const p = s.place;
  return p.kind === 'box' ? `box:${p.box}` : p.kind === 'starred' ? 'starred' : p.kind === 'feed' ? `feed:${p.feedId}` : p.kind === 'folder' ? `folder:${p.folder}` : `tag:${p.tag}`;
}

export const INBOX: Selection = { kind: 'place', place: { kind: 'box', box: 'inbox' } };
