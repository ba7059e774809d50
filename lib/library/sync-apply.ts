import Dexie from 'dexie';
import type { OffprintDB } from '../db/schema';
import type { Article } from '../db/types';
import { markRemoteApply } from '../sync/capture';
import { entryKey, latestStamp, matchKeys, READER_STATE, SYNC_RULES, type Reg, type SyncEntry, type TombstoneOrigin } from '../sync/entries';
import type { Clock } from '../sync/hlc';
import type { WireChange } from '../sync/wire';
import { removeFromIndex, reindexArticles } from '../search/indexer';
import { homeBox } from './store';
import { contentRank } from './merge';
import { carryFilledEmbeds } from '../gists/gists';

/**
 * Applies changes received from other devices to the library: per field the
 * register with the greater stamp wins, whatever order changes arrive in.
 * Remote writes keep their stamps (capture is off for this transaction) and
 * are not uploaded again. The same post saved on two devices with different
 * ids becomes one article (same guid, else same canonical URL): the smaller
 * id is kept and the other becomes an alias, on every device alike.
 */

/** An article is shown only once these are known (a later change may arrive before its creation). */
const REQUIRED: Record<'articles' | 'feeds', string[]> = {
  articles: ['url', 'title', 'source', 'box', 'savedAt'],
  feeds: ['url', 'title', 'kind', 'addedAt'],
};

export interface ApplyOutcome {
  /** Articles created or changed here: index them, fetch their images. */
  changed: string[];
  /** Articles deleted for good. */
  removed: string[];
}

export function mergeRegs(a: Record<string, Reg> | undefined, b: Record<string, Reg> | undefined): Record<string, Reg> {
  const out: Record<string, Reg> = { ...(a ?? {}) };
  for (const [f, reg] of Object.entries(b ?? {})) if (!out[f] || reg.c > out[f].c) out[f] = reg;
  return out;
}

function wireRegs(change: WireChange, keepValues: boolean): Record<string, Reg> {
  const out: Record<string, Reg> = {};
  for (const [f, [c, v, t]] of Object.entries(change.r ?? {})) out[f] = { c, ...(keepValues ? { v: v ?? undefined } : {}), ...(t === 1 ? { t: 1 as const } : {}) };
  return out;
}

/** The record the registers describe (pure: the same registers give the same record everywhere). */
export function materialize(table: 'articles' | 'feeds', id: string, regs: Record<string, Reg>, local: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!REQUIRED[table].every((f) => regs[f] && regs[f].v !== undefined && regs[f].v !== null)) return undefined;
  const rec: Record<string, unknown> = {};
  for (const f of SYNC_RULES[table].localFields) if (local && local[f] !== undefined) rec[f] = local[f];
  rec.id = id;
  for (const [f, reg] of Object.entries(regs)) if (reg.v !== undefined && reg.v !== null) rec[f] = reg.v;
  if (table === 'articles') {
    rec.offline ??= 'pending';
    // Deleted on one device, read on another: the later of the two decides.
    const boxStamp = regs.box?.c ?? '';
    if (rec.box === 'trash' && READER_STATE.some((f) => regs[f] && regs[f].c > boxStamp && !regs[f].t)) {
      rec.box = (rec.trashedFrom as string | undefined) ?? homeBox(rec.source as Article['source']);
      delete rec.deletedAt;
      delete rec.trashedFrom;
    }
  } else {
    rec.failures ??= 0;
    rec.nextCheckAt ??= 0;
  }
  return rec;
}

/**
 * `origin`: the segment (device, number, what it had seen) the changes came in, noted on the
 * tombstones they bring (changes from a snapshot carry their own `o`).
 */
export async function applyRemoteChanges(db: OffprintDB, changes: WireChange[], clock?: Clock, origin?: TombstoneOrigin): Promise<ApplyOutcome> {
  if (origin) changes = changes.map((c) => (c.d && !c.o ? { ...c, o: origin } : c));
  const outcome: ApplyOutcome = { changed: [], removed: [] };
  for (const change of changes) for (const reg of Object.values(change.r ?? {})) clock?.observe(reg[0]);
  const annotated = new Set<string>();
  await db.transaction('rw', [db.articles, db.contents, db.feeds, db.images, db.highlights, db.articleNotes, db.syncLog], async () => {
    markRemoteApply(Dexie.currentTransaction!.idbtrans);
    // Follows before articles (articles name their feed), contents last (they follow their article's id).
    for (const table of ['feeds', 'articles'] as const) {
      const some = changes.filter((c) => c.t === table);
      if (some.length) await applyRecords(db, table, some, outcome, annotated);
    }
    const contents = changes.filter((c) => c.t === 'contents');
    if (contents.length) await applyContents(db, contents);
    // Annotations last: they follow the id their article lives under.
    const annotations = changes.filter((c) => c.t === 'highlights' || c.t === 'articleNotes');
    if (annotations.length) await applyAnnotations(db, annotations, annotated);
  });
  const removed = new Set(outcome.removed);
  outcome.changed = [...new Set(outcome.changed)].filter((id) => !removed.has(id));
  const reindex = [...new Set([...outcome.changed, ...annotated])].filter((id) => !removed.has(id));
  if (reindex.length) await reindexArticles(db, reindex);
  if (outcome.removed.length) await removeFromIndex(db, outcome.removed);
  return outcome;
}

/**
 * Applies a batch of article (or feed) changes: each id keeps its own
 * registers; ids sharing a match key form a group, which lives under its
 * smallest id as the merge of all their registers.
 */
async function applyRecords(db: OffprintDB, table: 'articles' | 'feeds', changes: WireChange[], outcome: ApplyOutcome, annotated: Set<string>): Promise<void> {
  const store = (table === 'articles' ? db.articles : db.feeds) as unknown as Dexie.Table<Record<string, unknown>, string>;
  const entries = new Map<string, SyncEntry>();
  const keys = [...new Set(changes.map((c) => entryKey(table, c.id)))];
  (await db.syncLog.bulkGet(keys)).forEach((e, i) => e && entries.set(keys[i]!, e));
  const write = new Set<string>();
  for (const change of changes) {
    const key = entryKey(table, change.id);
    const before = entries.get(key);
    const regs = mergeRegs(before?.regs, wireRegs(change, true));
    const del = change.d && (!before?.del || change.d > before.del) ? change.d : before?.del;
    const df = del && del === change.d && del !== before?.del ? change.o : before?.df;
    entries.set(key, { ...(before ?? { key, t: table, id: change.id, dirty: 0, pending: [] }), regs, m: matchKeys(table, regs), ...(del ? { del } : {}), ...(df ? { df } : {}) });
    write.add(key);
  }
  // Every entry sharing a match key with a changed one, transitively.
  const byMatch = new Map<string, Set<string>>();
  const index = (e: SyncEntry) => {
    for (const m of e.m ?? []) {
      let set = byMatch.get(m);
      if (!set) byMatch.set(m, (set = new Set()));
      set.add(e.key);
    }
  };
  entries.forEach(index);
  const asked = new Set<string>();
  let ask = [...new Set([...write].flatMap((k) => entries.get(k)!.m ?? []))];
  while (ask.length) {
    ask.forEach((k) => asked.add(k));
    const found = await db.syncLog.where('m').anyOf(ask).toArray();
    const next = new Set<string>();
    for (const e of found) {
      if (e.t !== table || entries.has(e.key)) continue;
      entries.set(e.key, e);
      index(e);
      for (const m of e.m ?? []) if (!asked.has(m)) next.add(m);
    }
    ask = [...next];
  }
  const done = new Set<string>();
  const live = new Map<string, Record<string, Reg>>();
  const rekeys: [string, string][] = [];
  const gone: [string, string][] = [];
  for (const start of write) {
    if (done.has(start)) continue;
    const group: SyncEntry[] = [];
    const queue = [start];
    while (queue.length && group.length < 64) {
      const key = queue.pop()!;
      if (done.has(key)) continue;
      done.add(key);
      const e = entries.get(key)!;
      group.push(e);
      for (const m of e.m ?? []) for (const k of byMatch.get(m) ?? []) if (!done.has(k)) queue.push(k);
    }
    const lastDel = group.reduce((max, e) => (e.del && e.del > max ? e.del : max), '');
    // The kept id: the smallest of those saved after the last purge (all, if none was purged), so
    // the choice does not depend on purged members a device may already have forgotten.
    const since = lastDel ? group.filter((e) => { const b = birthOf(table, e); return b !== '\uffff' && b > lastDel; }) : group;
    const pool = since.length ? since : group;
    const canonical = pool.reduce((min, e) => (e.id < min ? e.id : min), pool[0]!.id);
    const hi = group.reduce<string>((max, e) => {
      const stamp = latestStamp(e) ?? '';
      return stamp > max ? stamp : max;
    }, '');
    for (const member of group) {
      const alias = member.id === canonical ? undefined : canonical;
      const gd = table === 'articles' && lastDel ? lastDel : undefined;
      if (member.alias !== alias || (!alias && (member.hi !== hi || member.gd !== gd))) {
        const next = { ...member };
        if (alias) next.alias = alias;
        else {
          delete next.alias;
          next.hi = hi;
          if (gd) next.gd = gd;
          else delete next.gd;
        }
        entries.set(member.key, next);
        write.add(member.key);
      }
      if (alias && group.length > 1) rekeys.push([member.id, canonical]);
    }
    const lastBirth = group.reduce((max, e) => {
      const b = birthOf(table, e);
      return b !== '\uffff' && b > max ? b : max;
    }, '');
    if (lastDel && lastDel > lastBirth) gone.push([canonical, lastDel]);
    else live.set(canonical, group.reduce<Record<string, Reg>>((acc, e) => mergeRegs(acc, e.regs), {}));
  }
  for (const [from, to] of rekeys) await rekey(db, table, from, to, entries.get(entryKey(table, to))?.gd);
  for (const [id, lastDel] of gone) {
    if (table === 'articles') {
      if ((await db.articles.get(id)) || (await db.contents.get(id))) outcome.removed.push(id);
      await removeArticleHere(db, id, lastDel);
    } else await db.feeds.delete(id);
  }
  const ids = [...live.keys()];
  const locals = await store.bulkGet(ids);
  const records: Record<string, unknown>[] = [];
  for (const [i, id] of ids.entries()) {
    const record = materialize(table, id, live.get(id)!, locals[i]);
    if (!record) continue;
    if (table === 'feeds') {
      const clash = await db.feeds.where('url').equals(record.url as string).first();
      if (clash && clash.id !== id) continue; // Another follow of that URL here, not yet known to sync.
    }
    records.push(record);
  }
  await db.syncLog.bulkPut([...write].map((k) => entries.get(k)!));
  await store.bulkPut(records);
  if (table === 'articles') {
    // Articles new here, and those others joined: their highlights and note are placed on them.
    const here = new Set(ids.filter((_, i) => locals[i]));
    const arrived = records.map((r) => r.id as string).filter((id) => !here.has(id));
    await placeAnnotations(db, [...new Set([...arrived, ...rekeys.map(([, to]) => to)])], annotated);
  }
  if (table === 'articles' && records.length) {
    const changedIds = records.map((r) => r.id as string);
    const contents = await db.contents.bulkGet(changedIds);
    const missing = changedIds.filter((_, i) => !contents[i]);
    if (missing.length) await db.contents.bulkPut(missing.map((id) => ({ id, html: '', text: '' })));
    await unpark(db, changedIds);
    outcome.changed.push(...changedIds);
  }
}

type ContentFields = { html: string; text: string };
const CONTENT_FIELDS = ['html', 'text'] as const;

/** The stamp of a content version: the latest of its fields' ('' when never written). */
function versionStamp(regs: Record<string, Pick<Reg, 'c'>>): string {
  return CONTENT_FIELDS.reduce((max, f) => (regs[f] && regs[f].c > max ? regs[f].c : max), '');
}

/**
 * The total order of content versions: the richer wins whatever its stamp
 * (merge.ts's contentRank: stub < preview < text, then words), and within one
 * rank the later write (stamps end with the writer's id, so no two tie).
 */
export function contentKey(html: string, stamp: string): string {
  return `${contentRank(html)}|${stamp}`;
}

/**
 * Contents live under the id their article lives under. A version from
 * elsewhere replaces the one here only if its key is greater: a later write
 * never replaces richer content with poorer, on any device, in any order.
 */
async function applyContents(db: OffprintDB, changes: WireChange[]): Promise<void> {
  // A content tombstone goes with its article's; the text it carries (the post lived on here) applies as usual.
  const live = changes.filter((c) => c.r);
  const ids = [...new Set(live.map((c) => c.id))];
  const articleEntries = await db.syncLog.bulkGet(ids.map((id) => entryKey('articles', id)));
  const target = new Map(ids.map((id, i) => [id, articleEntries[i]?.alias ?? id]));
  const targets = [...new Set(target.values())];
  const [contentEntries, rows, articles, targetArticleEntries] = await Promise.all([
    db.syncLog.bulkGet(targets.map((id) => entryKey('contents', id))),
    db.contents.bulkGet(targets),
    db.articles.bulkGet(targets),
    db.syncLog.bulkGet(targets.map((id) => entryKey('articles', id))),
  ]);
  const state = new Map(
    targets.map((id, i) => [
      id,
      {
        entry: contentEntries[i] ?? ({ key: entryKey('contents', id), t: 'contents', id, regs: {}, dirty: 0, pending: [] } as SyncEntry),
        row: (rows[i] ?? { id, html: '', text: '' }) as unknown as Record<string, unknown>,
        // The article is deleted here: a later write is parked in the log, in case the post comes back.
        parkAfter: targetArticleEntries[i]?.del && !articles[i] ? targetArticleEntries[i]!.del! : undefined,
        // Its group was purged and saved again: content written before the purge is gone with it.
        purgedAt: targetArticleEntries[i]?.gd,
        touched: false,
        parked: false,
      },
    ]),
  );
  for (const change of live) {
    const s = state.get(target.get(change.id)!)!;
    const parked = s.parkAfter !== undefined;
    const regs = change.r ?? {};
    const stamp = versionStamp(Object.fromEntries(Object.entries(regs).map(([f, [c]]) => [f, { c }])));
    if (parked && !(stamp > s.parkAfter!)) continue;
    if (s.purgedAt !== undefined && stamp <= s.purgedAt) continue;
    // The version here: the table's row, or what is parked in the log.
    const here: Record<string, unknown> = parked ? { ...s.row, ...Object.fromEntries(Object.entries(s.entry.regs).flatMap(([f, r]) => (r.v !== undefined ? [[f, r.v]] : []))) } : s.row;
    const there: Record<string, unknown> = { ...here };
    for (const [f, [, v]] of Object.entries(regs)) there[f] = v ?? '';
    // Gist code filled on one side fills the other side's placeholders, before the two are compared.
    const hereStamp = versionStamp(s.entry.regs);
    const hereDead = s.purgedAt !== undefined && hereStamp <= s.purgedAt;
    const incoming = hereDead ? (there as ContentFields) : carryFilledEmbeds(there as ContentFields, here as ContentFields);
    const kept = carryFilledEmbeds(here as ContentFields, there as ContentFields);
    if (hereDead || contentKey(incoming.html, stamp) > contentKey(kept.html, hereStamp)) {
      const next = { ...s.entry.regs };
      for (const [f, [c]] of Object.entries(regs)) next[f] = { c, ...(parked ? { v: (incoming as unknown as Record<string, unknown>)[f] ?? '' } : {}) };
      if (parked) {
        s.entry = { ...s.entry, regs: next };
        s.parked = true;
        continue;
      }
      s.entry = { ...s.entry, regs: next };
      s.row = { ...s.row, ...incoming };
      s.touched = true;
    } else if (!parked && kept !== here) {
      // The copy here stays, with the code the other one had.
      s.row = { ...s.row, ...kept };
      s.touched = true;
    }
  }
  const changed = [...state.values()].filter((s) => s.touched);
  await db.syncLog.bulkPut([...state.values()].filter((s) => s.touched || s.parked).map((s) => s.entry));
  // An article may not have arrived yet: its content waits here for it.
  await db.contents.bulkPut(changed.map((s) => s.row as { id: string; html: string; text: string }));
}

/** When a member came into being: its savedAt (addedAt) write, so a post clipped again after a purge lives. */
function birthOf(table: 'articles' | 'feeds', entry: SyncEntry): string {
  const reg = entry.regs[table === 'articles' ? 'savedAt' : 'addedAt'];
  if (reg) return reg.c;
  return Object.values(entry.regs).reduce((min, r) => (r.c < min ? r.c : min), '\uffff');
}

/** A local record (or waiting content) under another id than the one kept: it joins the kept one. */
async function rekey(db: OffprintDB, table: 'articles' | 'feeds', from: string, to: string, purgedAt: string | undefined): Promise<void> {
  if (table === 'feeds') {
    if (await db.feeds.get(from)) {
      await db.feeds.delete(from);
      await db.articles.where('feedId').equals(from).modify({ feedId: to });
    }
    return;
  }
  const [content, contentEntry, targetContent, target] = await Promise.all([
    db.contents.get(from),
    db.syncLog.get(entryKey('contents', from)),
    db.contents.get(to),
    db.syncLog.get(entryKey('contents', to)),
  ]);
  if (contentEntry?.alias !== to && contentEntry) await db.syncLog.put({ ...contentEntry, alias: to });
  if (!content && contentEntry && Object.values(contentEntry.regs).some((r) => r.v !== undefined)) {
    // Parked content (its article was deleted here): its registers join the kept id's.
    await db.syncLog.put({ ...(target ?? { key: entryKey('contents', to), t: 'contents', id: to, dirty: 0, pending: [] }), regs: mergeRegs(target?.regs, contentEntry.regs) });
  }
  if (!content && !(await db.articles.get(from))) return;
  if (content) {
    // The two versions compare as remote content does: the richer, then the later, wins.
    const theirs: Record<string, unknown> = { ...(targetContent ?? {}) };
    for (const f of CONTENT_FIELDS) if (target?.regs[f]?.v !== undefined) theirs[f] = target.regs[f].v;
    const theirsKnown = CONTENT_FIELDS.every((f) => typeof theirs[f] === 'string') && !!target;
    // Content written before the group's last purge went with it: it does not compete.
    const mineStamp = versionStamp(contentEntry?.regs ?? {});
    const mineDead = purgedAt !== undefined && mineStamp <= purgedAt;
    const mine = mineDead ? { html: '', text: '' } : { html: content.html, text: content.text };
    const other = theirsKnown ? carryFilledEmbeds({ html: theirs.html as string, text: theirs.text as string }, mine) : undefined;
    const minePlus = other ? carryFilledEmbeds(mine, other) : mine;
    const theirsWin = !!other && contentKey(other.html, versionStamp(target!.regs)) >= contentKey(minePlus.html, mineDead ? '' : mineStamp);
    const merged: Record<string, unknown> = { id: to, ...(theirsWin ? other : minePlus) };
    const regs: Record<string, Reg> = { ...(target?.regs ?? {}) };
    for (const f of CONTENT_FIELDS) {
      const reg = theirsWin ? target!.regs[f] : mineDead ? undefined : contentEntry?.regs[f];
      if (reg) regs[f] = { c: reg.c };
    }
    await db.contents.put(merged as { id: string; html: string; text: string });
    await db.syncLog.put({ ...(target ?? { key: entryKey('contents', to), t: 'contents', id: to, dirty: 0, pending: [] }), regs });
    await db.contents.delete(from);
  }
  await db.articles.delete(from);
  const images = await db.images.where('articleIds').equals(from).toArray();
  for (const image of images) await db.images.update(image.url, { articleIds: [...new Set(image.articleIds.map((a) => (a === from ? to : a)))] });
}

/** Content written after the delete (on a device that had not seen it) is parked in the log. */
async function removeArticleHere(db: OffprintDB, id: string, lastDel: string): Promise<void> {
  const [row, entry] = await Promise.all([db.contents.get(id), db.syncLog.get(entryKey('contents', id))]);
  if (row && entry) {
    const regs = { ...entry.regs };
    let parked = false;
    for (const [f, reg] of Object.entries(regs)) {
      if (reg.c > lastDel && reg.v === undefined) {
        regs[f] = { ...reg, v: (row as unknown as Record<string, unknown>)[f] ?? '' };
        parked = true;
      }
    }
    if (parked) await db.syncLog.put({ ...entry, regs });
  }
  await db.articles.delete(id);
  await db.contents.delete(id);
  // Its highlights and note go with it (their registers stay in the log, should the post come back).
  await db.highlights.where('articleId').equals(id).delete();
  await db.articleNotes.delete(id);
  const images = await db.images.where('articleIds').equals(id).toArray();
  for (const image of images) {
    const rest = image.articleIds.filter((a) => a !== id);
    if (rest.length) await db.images.update(image.url, { articleIds: rest });
    else await db.images.delete(image.url);
  }
}

/** Brings parked content back into the contents table when its article lives again. */
async function unpark(db: OffprintDB, ids: string[]): Promise<void> {
  const entries = await db.syncLog.bulkGet(ids.map((id) => entryKey('contents', id)));
  for (const entry of entries) {
    if (!entry || !Object.values(entry.regs).some((r) => r.v !== undefined)) continue;
    const row = ((await db.contents.get(entry.id)) ?? { id: entry.id, html: '', text: '' }) as unknown as Record<string, unknown>;
    const regs: Record<string, Reg> = {};
    for (const [f, reg] of Object.entries(entry.regs)) {
      if (reg.v !== undefined) row[f] = reg.v;
      regs[f] = { c: reg.c };
    }
    await db.contents.put(row as unknown as { id: string; html: string; text: string });
    await db.syncLog.put({ ...entry, regs });
  }
}

/** Fields an annotation needs before it is shown (a change may arrive before its creation). */
const ANNOTATION_REQUIRED: Record<'highlights' | 'articleNotes', string[]> = {
  highlights: ['articleId', 'color', 'quote', 'position', 'createdAt'],
  articleNotes: ['note'],
};

/** A deleted annotation stays deleted unless something was written to it after the delete (an undo elsewhere). */
function annotationLives(entry: SyncEntry): boolean {
  return !entry.del || Object.values(entry.regs).some((r) => r.c > entry.del!);
}

/** The row an annotation's registers describe, on the article it lives under here (pure). */
export function materializeAnnotation(table: 'highlights' | 'articleNotes', entry: SyncEntry, articleId: string, local: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!annotationLives(entry)) return undefined;
  if (!ANNOTATION_REQUIRED[table].every((f) => entry.regs[f] && entry.regs[f].v !== undefined && entry.regs[f].v !== null)) return undefined;
  const rec: Record<string, unknown> = {};
  for (const [f, reg] of Object.entries(entry.regs)) if (reg.v !== undefined && reg.v !== null) rec[f] = reg.v;
  rec.articleId = articleId;
  if (table === 'highlights') {
    rec.id = entry.id;
    rec.note ??= '';
    rec.updatedAt ??= rec.createdAt;
    // Whether the quote was found in this device's text is for this device's reader to say.
    rec.placed = (local?.placed as number | undefined) ?? 1;
  } else rec.updatedAt ??= 0;
  return rec;
}

/**
 * Highlights and article notes from other devices. Each keeps its own
 * registers (per field the later stamp wins; a delete wins over what was
 * written before it); highlights made on several devices are all kept.
 * Then they are placed on the article they belong to, under the id it lives
 * under here (the same post saved on two devices is one article).
 */
async function applyAnnotations(db: OffprintDB, changes: WireChange[], annotated: Set<string>): Promise<void> {
  const keys = [...new Set(changes.map((c) => entryKey(c.t, c.id)))];
  const entries = new Map<string, SyncEntry>();
  (await db.syncLog.bulkGet(keys)).forEach((e, i) => e && entries.set(keys[i]!, e));
  for (const change of changes) {
    const key = entryKey(change.t, change.id);
    const before = entries.get(key);
    const regs = mergeRegs(before?.regs, wireRegs(change, true));
    const del = change.d && (!before?.del || change.d > before.del) ? change.d : before?.del;
    const df = del && del === change.d && del !== before?.del ? change.o : before?.df;
    entries.set(key, { ...(before ?? { key, t: change.t, id: change.id, dirty: 0, pending: [] }), regs, m: matchKeys(change.t, regs), ...(del ? { del } : {}), ...(df ? { df } : {}) });
  }
  await db.syncLog.bulkPut([...entries.values()]);
  // The articles they are on (or were on, for a highlight moved to another article), as ids here.
  const articleIds = new Set<string>();
  for (const e of entries.values()) {
    articleIds.add(e.t === 'articleNotes' ? e.id : String(e.regs.articleId?.v ?? ''));
    const row = e.t === 'highlights' ? await db.highlights.get(e.id) : undefined;
    if (row) articleIds.add(row.articleId);
  }
  articleIds.delete('');
  const ids = [...articleIds];
  const articleEntries = await db.syncLog.bulkGet(ids.map((id) => entryKey('articles', id)));
  await placeAnnotations(db, [...new Set(ids.map((id, i) => articleEntries[i]?.alias ?? id))], annotated);
}

/**
 * Puts on each given article (an id articles live under here) the highlights
 * and note of every id of its group, as their registers say; removes them
 * while the article is not here (they wait in the log for it).
 */
async function placeAnnotations(db: OffprintDB, targets: string[], annotated: Set<string>): Promise<void> {
  if (targets.length === 0) return;
  const targetEntries = await db.syncLog.bulkGet(targets.map((id) => entryKey('articles', id)));
  const wanted = new Set(targets);
  const owner = new Map<string, string>(targets.map((t) => [t, t]));
  const matches = [...new Set(targetEntries.flatMap((e) => e?.m ?? []))];
  if (matches.length) {
    for (const e of await db.syncLog.where('m').anyOf(matches).toArray()) if (e.t === 'articles' && e.alias && wanted.has(e.alias)) owner.set(e.id, e.alias);
  }
  const members = [...owner.keys()];
  const present = new Set((await db.articles.bulkGet(targets)).flatMap((a) => (a ? [a.id] : [])));
  // Highlights: each on the article its articleId lives under.
  const found = (await db.syncLog.where('m').anyOf(members.map((id) => `a:${id}`)).toArray()).filter((e) => e.t === 'highlights');
  const rows = await db.highlights.bulkGet(found.map((e) => e.id));
  const put: Record<string, unknown>[] = [];
  const drop: string[] = [];
  found.forEach((e, i) => {
    const target = owner.get(String(e.regs.articleId?.v))!;
    const rec = present.has(target) ? materializeAnnotation('highlights', e, target, rows[i] as unknown as Record<string, unknown> | undefined) : undefined;
    if (rec) put.push(rec);
    else if (rows[i]) drop.push(e.id);
    if (rec || rows[i]) annotated.add(target);
  });
  if (put.length) await db.highlights.bulkPut(put as unknown as Parameters<typeof db.highlights.bulkPut>[0]);
  if (drop.length) await db.highlights.bulkDelete(drop);
  // Notes: the group's note is the merge of its members' notes, per field.
  const noteEntries = await db.syncLog.bulkGet(members.map((id) => entryKey('articleNotes', id)));
  const merged = new Map<string, SyncEntry>();
  noteEntries.forEach((e) => {
    if (!e) return;
    const target = owner.get(e.id)!;
    const acc = merged.get(target) ?? { key: entryKey('articleNotes', target), t: 'articleNotes' as const, id: target, regs: {}, dirty: 0 as const, pending: [] };
    const del = e.del && (!acc.del || e.del > acc.del) ? e.del : acc.del;
    merged.set(target, { ...acc, regs: mergeRegs(acc.regs, e.regs), ...(del ? { del } : {}) });
  });
  const writeEntries: SyncEntry[] = [];
  const notePut: Record<string, unknown>[] = [];
  const noteDrop = members.filter((id) => owner.get(id) !== id);
  for (const [target, m] of merged) {
    const own = noteEntries[members.indexOf(target)];
    // The kept id's entry holds the merge, so a note written here later is stamped after all of it.
    const entry: SyncEntry = { ...(own ?? m), regs: m.regs, m: matchKeys('articleNotes', m.regs), ...(m.del ? { del: m.del } : {}) };
    if (JSON.stringify(entry) !== JSON.stringify(own)) writeEntries.push(entry);
    const rec = present.has(target) ? materializeAnnotation('articleNotes', entry, target, undefined) : undefined;
    if (rec) notePut.push(rec);
    else noteDrop.push(target);
    annotated.add(target);
  }
  if (writeEntries.length) await db.syncLog.bulkPut(writeEntries);
  if (notePut.length) await db.articleNotes.bulkPut(notePut as unknown as Parameters<typeof db.articleNotes.bulkPut>[0]);
  if (noteDrop.length) await db.articleNotes.bulkDelete(noteDrop);
}

/**
 * Drops from the log the tombstones `safe` allows (every device has them),
 * with what belonged to the record: for an article or follow, every id of its
 * group (all gone), and for an article its content's and annotations'
 * entries. A record still here, or a group with a live member, keeps them.
 * Returns how many entries were dropped.
 */
export async function dropTombstones(db: OffprintDB, safe: (entry: SyncEntry) => boolean): Promise<number> {
  const tombs = await db.syncLog.filter((e) => !!e.del).toArray();
  const drop = new Set<string>();
  for (const e of tombs) {
    if (drop.has(e.key) || !safe(e)) continue;
    if (e.t === 'highlights' || e.t === 'articleNotes') {
      if (!annotationLives(e)) drop.add(e.key);
      continue;
    }
    if (e.t === 'contents') {
      if (!(await db.contents.get(e.id))) drop.add(e.key);
      continue;
    }
    // The whole group, by match keys (transitively), as the merge sees it.
    const group = new Map<string, SyncEntry>([[e.key, e]]);
    let ask = [...(e.m ?? [])];
    const asked = new Set<string>();
    while (ask.length) {
      ask.forEach((m) => asked.add(m));
      const next: string[] = [];
      for (const g of await db.syncLog.where('m').anyOf(ask).toArray()) {
        if (g.t !== e.t || group.has(g.key)) continue;
        group.set(g.key, g);
        for (const m of g.m ?? []) if (!asked.has(m)) next.push(m);
      }
      ask = [...new Set(next)];
    }
    const members = [...group.values()];
    const lastDel = members.reduce((max, g) => (g.del && g.del > max ? g.del : max), '');
    const lastBirth = members.reduce((max, g) => {
      const b = birthOf(e.t as 'articles' | 'feeds', g);
      return b !== '\uffff' && b > max ? b : max;
    }, '');
    if (!(lastDel > lastBirth) || members.some((g) => g.del && !safe(g)) || members.some((g) => g.dirty)) continue;
    const store = e.t === 'articles' ? db.articles : db.feeds;
    const here = await store.bulkGet(members.map((g) => g.id));
    if (here.some(Boolean)) continue;
    for (const g of members) {
      drop.add(g.key);
      if (e.t !== 'articles') continue;
      drop.add(entryKey('contents', g.id));
      drop.add(entryKey('articleNotes', g.id));
      for (const k of await db.syncLog.where('m').equals(`a:${g.id}`).primaryKeys()) drop.add(k as string);
    }
  }
  if (drop.size === 0) return 0;
  const present = (await db.syncLog.bulkGet([...drop])).filter((x): x is SyncEntry => !!x && !x.dirty);
  await db.syncLog.bulkDelete(present.map((x) => x.key));
  return present.length;
}
