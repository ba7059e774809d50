import Dexie from 'dexie';
import type { OffprintDB } from '../db/schema';
import type { Article } from '../db/types';
import { markRemoteApply } from '../sync/capture';
import { entryKey, SYNC_RULES, type Reg, type SyncedTable, type SyncEntry } from '../sync/entries';
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

/** Reader-state fields: one of these changed after a move to Trash brings the article back. */
const READER_STATE = ['isRead', 'progress', 'starred', 'tags', 'notes', 'highlights'];
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
  for (const [f, [c, v]] of Object.entries(change.r ?? {})) out[f] = keepValues ? { c, v: v ?? undefined } : { c };
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
    if (rec.box === 'trash' && READER_STATE.some((f) => regs[f] && regs[f].c > boxStamp)) {
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

/** Follows aliases to the id a record lives under here. */
async function resolve(db: OffprintDB, table: SyncedTable, id: string): Promise<{ id: string; entry?: SyncEntry }> {
  let current = id;
  for (let i = 0; i < 8; i++) {
    const entry = await db.syncLog.get(entryKey(table, current));
    if (!entry?.alias) return { id: current, entry };
    current = entry.alias;
  }
  return { id: current, entry: await db.syncLog.get(entryKey(table, current)) };
}

async function findDuplicate(db: OffprintDB, table: 'articles' | 'feeds', regs: Record<string, Reg>, id: string): Promise<string | undefined> {
  const url = regs.url?.v as string | undefined;
  if (table === 'feeds') {
    const f = url ? await db.feeds.where('url').equals(url).first() : undefined;
    return f && f.id !== id ? f.id : undefined;
  }
  const guid = regs.guid?.v as string | undefined;
  const byGuid = guid ? await db.articles.where('guid').equals(guid).filter((a) => a.id !== id).first() : undefined;
  if (byGuid) return byGuid.id;
  const byUrl = url ? await db.articles.where('url').equals(url).filter((a) => a.id !== id && (!guid || !a.guid || a.guid === guid)).first() : undefined;
  return byUrl?.id;
}

function aliasEntry(table: SyncedTable, id: string, to: string): SyncEntry {
  return { key: entryKey(table, id), t: table, id, regs: {}, dirty: 0, pending: [], alias: to };
}

async function applyRecord(db: OffprintDB, change: WireChange, outcome: ApplyOutcome): Promise<void> {
  const table = change.t as 'articles' | 'feeds';
  const store = table === 'articles' ? db.articles : db.feeds;
  let { id, entry } = await resolve(db, table, change.id);
  if (entry?.del) return; // Deleted for good here or elsewhere: final.
  if (change.d) {
    await db.syncLog.put({ key: entryKey(table, id), t: table, id, regs: entry?.regs ?? {}, del: change.d, dirty: entry?.dirty ?? 0, pending: entry?.pending ?? [] });
    if (table === 'articles') {
      await removeArticleHere(db, id);
      const content = await db.syncLog.get(entryKey('contents', id));
      await db.syncLog.put({ key: entryKey('contents', id), t: 'contents', id, regs: content?.regs ?? {}, del: change.d, dirty: 0, pending: [] });
      outcome.removed.push(id);
    } else await db.feeds.delete(id);
    return;
  }
  let regs = mergeRegs(entry?.regs, wireRegs(change, true));
  let pending = entry?.pending ?? [];
  let local = (await store.get(id)) as unknown as Record<string, unknown> | undefined;
  if (!local) {
    const other = await findDuplicate(db, table, regs, id);
    if (other) {
      const otherEntry = await db.syncLog.get(entryKey(table, other));
      const keep = other < id ? other : id;
      const drop = keep === other ? id : other;
      regs = mergeRegs(otherEntry?.regs, regs);
      pending = [...new Set([...(otherEntry?.pending ?? []), ...pending])];
      await db.syncLog.put(aliasEntry(table, drop, keep));
      if (table === 'articles') await db.syncLog.put(aliasEntry('contents', drop, keep));
      local = (await store.get(other)) as unknown as Record<string, unknown> | undefined;
      if (drop === other) await rekey(db, table, other, keep);
      id = keep;
    }
  }
  const record = materialize(table, id, regs, local);
  if (record && table === 'feeds') {
    const clash = await db.feeds.where('url').equals(record.url as string).first();
    if (clash && clash.id !== id) return; // Another follow of that URL here; kept apart until it merges.
  }
  await db.syncLog.put({ key: entryKey(table, id), t: table, id, regs, dirty: pending.length ? 1 : 0, pending });
  if (!record) return;
  await (store as typeof db.articles).put(record as unknown as Article);
  if (table === 'articles') {
    if (!(await db.contents.get(id))) await db.contents.put({ id, html: '', text: '' });
    outcome.changed.push(id);
  }
}

/** A local record saved under another id than the one kept: its content and images follow it. */
async function rekey(db: OffprintDB, table: 'articles' | 'feeds', from: string, to: string): Promise<void> {
  if (table === 'feeds') {
    await db.feeds.delete(from);
    await db.articles.where('feedId').equals(from).modify({ feedId: to });
    return;
  }
  const [content, contentEntry, targetContent, target] = await Promise.all([
    db.contents.get(from),
    db.syncLog.get(entryKey('contents', from)),
    db.contents.get(to),
    db.syncLog.get(entryKey('contents', to)),
  ]);
  // Per field, the content written last wins, as for every other field.
  const merged: Record<string, unknown> = { id: to };
  const regs: Record<string, Reg> = {};
  for (const f of ['html', 'text'] as const) {
    const mine = contentEntry?.regs[f];
    const theirs = target?.regs[f];
    if (theirs && (!mine || theirs.c > mine.c)) {
      merged[f] = targetContent?.[f] ?? '';
      regs[f] = theirs;
    } else {
      merged[f] = content?.[f] ?? targetContent?.[f] ?? '';
      if (mine) regs[f] = mine;
    }
  }
  await db.contents.put(merged as { id: string; html: string; text: string });
  await db.syncLog.put({ key: entryKey('contents', to), t: 'contents', id: to, regs, dirty: contentEntry?.dirty ?? 0, pending: contentEntry?.pending ?? [] });
  await db.contents.delete(from);
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
  const { id, entry } = await resolve(db, 'contents', change.id);
  if (entry?.del || change.d) return; // Contents go with their article's tombstone.
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
  // The article may not have arrived yet: its content waits here for it.
  await db.contents.put(next as { id: string; html: string; text: string });
}
