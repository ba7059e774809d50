import Dexie from 'dexie';
import type { OffprintDB } from '../db/schema';
import type { Article } from '../db/types';
import { markRemoteApply } from '../sync/capture';
import { entryKey, latestStamp, matchKeys, READER_STATE, SYNC_RULES, type Reg, type SyncedTable, type SyncEntry } from '../sync/entries';
import type { Clock } from '../sync/hlc';
import type { WireChange } from '../sync/wire';
import { removeFromIndex, reindexArticles } from '../search/indexer';
import { homeBox } from './store';

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

export async function applyRemoteChanges(db: OffprintDB, changes: WireChange[], clock?: Clock): Promise<ApplyOutcome> {
  const outcome: ApplyOutcome = { changed: [], removed: [] };
  const order: Record<SyncedTable, number> = { feeds: 0, articles: 1, contents: 2 };
  const sorted = [...changes].sort((x, y) => order[x.t] - order[y.t]);
  await db.transaction('rw', [db.articles, db.contents, db.feeds, db.images, db.syncLog], async () => {
    markRemoteApply(Dexie.currentTransaction!.idbtrans);
    for (const change of sorted) {
      for (const reg of Object.values(change.r ?? {})) clock?.observe(reg[0]);
      if (change.t === 'contents') await applyContent(db, change);
      else await applyRecord(db, change, outcome);
    }
  });
  const removed = new Set(outcome.removed);
  outcome.changed = [...new Set(outcome.changed)].filter((id) => !removed.has(id));
  if (outcome.changed.length) await reindexArticles(db, outcome.changed);
  if (outcome.removed.length) await removeFromIndex(db, outcome.removed);
  return outcome;
}

/** Follows the alias to the id a record lives under here. */
async function resolve(db: OffprintDB, table: SyncedTable, id: string): Promise<{ id: string; entry?: SyncEntry }> {
  const own = await db.syncLog.get(entryKey(table, id));
  if (!own?.alias) return { id, entry: own };
  return { id: own.alias, entry: await db.syncLog.get(entryKey(table, own.alias)) };
}

/** Every entry that is the same post (or follow) as `start`, by shared match keys, transitively. */
async function groupOf(db: OffprintDB, start: SyncEntry): Promise<SyncEntry[]> {
  const members = new Map<string, SyncEntry>([[start.id, start]]);
  const seenKeys = new Set<string>();
  let frontier = [...(start.m ?? [])];
  while (frontier.length && members.size < 64) {
    const keys = frontier.filter((k) => !seenKeys.has(k));
    keys.forEach((k) => seenKeys.add(k));
    frontier = [];
    if (!keys.length) break;
    const found = await db.syncLog.where('m').anyOf(keys).toArray();
    for (const e of found) {
      if (e.t !== start.t || members.has(e.id)) continue;
      members.set(e.id, e);
      frontier.push(...(e.m ?? []));
    }
  }
  return [...members.values()];
}

/** When a member came into being: its savedAt (addedAt) write, so a post clipped again after a purge lives. */
function birthOf(table: 'articles' | 'feeds', entry: SyncEntry): string {
  const reg = entry.regs[table === 'articles' ? 'savedAt' : 'addedAt'];
  if (reg) return reg.c;
  return Object.values(entry.regs).reduce((min, r) => (r.c < min ? r.c : min), '\uffff');
}

async function applyRecord(db: OffprintDB, change: WireChange, outcome: ApplyOutcome): Promise<void> {
  const table = change.t as 'articles' | 'feeds';
  const store = (table === 'articles' ? db.articles : db.feeds) as unknown as Dexie.Table<Record<string, unknown>, string>;
  // Each id keeps its own registers; the article is the merge of its group.
  const before = await db.syncLog.get(entryKey(table, change.id));
  const regs = mergeRegs(before?.regs, wireRegs(change, true));
  const del = change.d && (!before?.del || change.d > before.del) ? change.d : before?.del;
  const own: SyncEntry = { ...(before ?? { key: entryKey(table, change.id), t: table, id: change.id, dirty: 0, pending: [] }), regs, m: matchKeys(table, regs), ...(del ? { del } : {}) };
  await db.syncLog.put(own);

  const group = await groupOf(db, own);
  const canonical = group.reduce((min, e) => (e.id < min ? e.id : min), own.id);
  const hi = group.reduce<string>((max, e) => {
    const s = latestStamp(e) ?? '';
    return s > max ? s : max;
  }, '');
  for (const member of group) {
    const alias = member.id === canonical ? undefined : canonical;
    if (member.alias !== alias || (!alias && member.hi !== hi)) {
      const next = { ...member };
      if (alias) next.alias = alias;
      else {
        delete next.alias;
        next.hi = hi;
      }
      await db.syncLog.put(next);
    }
    if (member.id !== canonical) await rekey(db, table, member.id, canonical);
  }
  const merged = group.reduce<Record<string, Reg>>((acc, e) => mergeRegs(acc, e.regs), {});
  const dels = group.flatMap((e) => (e.del ? [e.del] : []));
  const lastDel = dels.reduce((max, d) => (d > max ? d : max), '');
  const lastBirth = group.reduce((max, e) => {
    const b = birthOf(table, e);
    return b !== '\uffff' && b > max ? b : max;
  }, '');
  if (lastDel && lastDel > lastBirth) {
    if (table === 'articles') {
      if ((await db.articles.get(canonical)) || (await db.contents.get(canonical))) outcome.removed.push(canonical);
      await removeArticleHere(db, canonical);
    } else await db.feeds.delete(canonical);
    return;
  }
  const local = await store.get(canonical);
  const record = materialize(table, canonical, merged, local);
  if (!record) return;
  if (table === 'feeds') {
    const clash = await db.feeds.where('url').equals(record.url as string).first();
    if (clash && clash.id !== canonical) return; // Another follow of that URL here, not yet known to sync.
  }
  await store.put(record);
  if (table === 'articles') {
    if (!(await db.contents.get(canonical))) await db.contents.put({ id: canonical, html: '', text: '' });
    outcome.changed.push(canonical);
  }
}

/** A local record (or waiting content) under another id than the one kept: it joins the kept one. */
async function rekey(db: OffprintDB, table: 'articles' | 'feeds', from: string, to: string): Promise<void> {
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
  if (!content && !(await db.articles.get(from))) return;
  if (content) {
    // Per field, the content written last wins, as for every other field.
    const merged: Record<string, unknown> = { id: to };
    const regs: Record<string, Reg> = { ...(target?.regs ?? {}) };
    for (const f of ['html', 'text'] as const) {
      const mine = contentEntry?.regs[f];
      const theirs = target?.regs[f];
      if (theirs && (!mine || theirs.c >= mine.c) && targetContent) merged[f] = targetContent[f];
      else {
        merged[f] = content[f];
        if (mine) regs[f] = mine;
      }
    }
    await db.contents.put(merged as { id: string; html: string; text: string });
    await db.syncLog.put({ ...(target ?? { key: entryKey('contents', to), t: 'contents', id: to, dirty: 0, pending: [] }), regs });
    await db.contents.delete(from);
  }
  await db.articles.delete(from);
  const images = await db.images.where('articleIds').equals(from).toArray();
  for (const image of images) await db.images.update(image.url, { articleIds: [...new Set(image.articleIds.map((a) => (a === from ? to : a)))] });
}

async function removeArticleHere(db: OffprintDB, id: string): Promise<void> {
  await db.articles.delete(id);
  await db.contents.delete(id);
  const images = await db.images.where('articleIds').equals(id).toArray();
  for (const image of images) {
    const rest = image.articleIds.filter((a) => a !== id);
    if (rest.length) await db.images.update(image.url, { articleIds: rest });
    else await db.images.delete(image.url);
  }
}

async function applyContent(db: OffprintDB, change: WireChange): Promise<void> {
  if (change.d) return; // Contents go with their article's tombstone.
  // Content lives under the id its article lives under.
  const article = await resolve(db, 'articles', change.id);
  const { id, entry } = article.id !== change.id ? { id: article.id, entry: await db.syncLog.get(entryKey('contents', article.id)) } : await resolve(db, 'contents', change.id);
  const incoming = change.r ?? {};
  const regs = { ...(entry?.regs ?? {}) };
  const current = (await db.contents.get(id)) ?? { id, html: '', text: '' };
  const next: Record<string, unknown> = { ...current };
  for (const [f, [c, v]] of Object.entries(incoming)) {
    if (regs[f] && regs[f].c >= c) continue;
    regs[f] = { c };
    next[f] = v ?? '';
  }
  await db.syncLog.put({ key: entryKey('contents', id), t: 'contents', id, regs, dirty: entry?.dirty ?? 0, pending: entry?.pending ?? [] });
  if (article.entry?.del && !(await db.articles.get(id))) return;
  // The article may not have arrived yet: its content waits here for it.
  await db.contents.put(next as { id: string; html: string; text: string });
}
