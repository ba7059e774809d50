import type { OffprintDB } from '../db/schema';
import type { Article, ArticleNote, Flag, Highlight, HighlightColor, TextPositionSelector, TextQuoteSelector } from '../db/types';
import { HIGHLIGHT_COLORS } from '../db/types';
import { reindexArticles } from '../search/indexer';

/**
 * Every write to highlights and article notes. Highlights live and die with
 * their article: they stay (hidden) while it is in Trash, come back with a
 * restore, are purged with it (purgeArticles calls purgeHighlightsOf) and move
 * to the kept article when duplicates are merged (moveHighlights). Their text
 * and notes are searchable, so every change reindexes the article.
 */

export interface HighlightDeps {
  now: () => number;
  newId: () => string;
}

export const defaultHighlightDeps: HighlightDeps = { now: () => Date.now(), newId: () => crypto.randomUUID() };

export interface NewHighlight {
  articleId: string;
  color?: HighlightColor;
  quote: TextQuoteSelector;
  position: TextPositionSelector;
  note?: string;
  createdAt?: number;
}

function isColor(c: unknown): c is HighlightColor {
  return typeof c === 'string' && (HIGHLIGHT_COLORS as readonly string[]).includes(c);
}

function reindexLater(db: OffprintDB, ids: string[]): Promise<void> {
  return reindexArticles(db, [...new Set(ids)]).catch((err: unknown) => console.error('Offprint: search indexing of highlights failed', err));
}

export async function addHighlight(db: OffprintDB, input: NewHighlight, deps: HighlightDeps = defaultHighlightDeps): Promise<Highlight> {
  if (!input.quote.exact) throw new Error('Select some text to highlight.');
  const now = deps.now();
  const highlight: Highlight = {
    id: deps.newId(),
    articleId: input.articleId,
    color: isColor(input.color) ? input.color : 'yellow',
    quote: input.quote,
    position: input.position,
    note: input.note ?? '',
    createdAt: input.createdAt ?? now,
    updatedAt: now,
    placed: 1,
  };
  await db.highlights.add(highlight);
  await reindexLater(db, [input.articleId]);
  return highlight;
}

export async function updateHighlight(db: OffprintDB, id: string, changes: { color?: HighlightColor; note?: string }, deps: Pick<HighlightDeps, 'now'> = defaultHighlightDeps): Promise<void> {
  const patch: Partial<Highlight> = { updatedAt: deps.now() };
  if (changes.color !== undefined && isColor(changes.color)) patch.color = changes.color;
  if (changes.note !== undefined) patch.note = changes.note.trim();
  const current = await db.highlights.get(id);
  if (!current) throw new Error('This highlight is gone.');
  await db.highlights.update(id, patch);
  if (changes.note !== undefined) await reindexLater(db, [current.articleId]);
}

/** Deletes a highlight; returns it so the caller can offer undo (restoreHighlight). */
export async function deleteHighlight(db: OffprintDB, id: string): Promise<Highlight | undefined> {
  const current = await db.highlights.get(id);
  if (!current) return undefined;
  await db.highlights.delete(id);
  await reindexLater(db, [current.articleId]);
  return current;
}

/** Puts a deleted highlight back exactly as it was (undo). */
export async function restoreHighlight(db: OffprintDB, highlight: Highlight): Promise<void> {
  await db.highlights.put(highlight);
  await reindexLater(db, [highlight.articleId]);
}

/**
 * Records where the reader placed highlights in the article's current text:
 * fresh selectors for those found (so the next change starts from here), and
 * placed = 0 for those not found (kept, listed as "could not be placed").
 */
export async function recordPlacement(
  db: OffprintDB,
  results: { id: string; placed: Flag; quote?: TextQuoteSelector; position?: TextPositionSelector }[],
): Promise<void> {
  if (results.length === 0) return;
  await db.transaction('rw', db.highlights, async () => {
    const current = await db.highlights.bulkGet(results.map((r) => r.id));
    const updates: { key: string; changes: Partial<Highlight> }[] = [];
    results.forEach((r, i) => {
      const h = current[i];
      if (!h) return;
      const changes: Partial<Highlight> = {};
      if (h.placed !== r.placed) changes.placed = r.placed;
      if (r.quote && r.position && (h.position.start !== r.position.start || h.position.end !== r.position.end || h.quote.exact !== r.quote.exact)) {
        changes.quote = r.quote;
        changes.position = r.position;
      }
      if (Object.keys(changes).length) updates.push({ key: r.id, changes });
    });
    if (updates.length) await db.highlights.bulkUpdate(updates);
  });
}

/** The article's highlights in reading order (by position), then unplaced ones. */
export async function highlightsOf(db: OffprintDB, articleId: string): Promise<Highlight[]> {
  const list = await db.highlights.where('articleId').equals(articleId).toArray();
  return list.sort((a, b) => a.position.start - b.position.start || a.createdAt - b.createdAt);
}

export async function articleNoteOf(db: OffprintDB, articleId: string): Promise<string> {
  return (await db.articleNotes.get(articleId))?.note ?? '';
}

/** Sets the article's note; an empty note removes it. */
export async function setArticleNote(db: OffprintDB, articleId: string, note: string, deps: Pick<HighlightDeps, 'now'> = defaultHighlightDeps): Promise<void> {
  const text = note.trim();
  if (text) await db.articleNotes.put({ articleId, note: text, updatedAt: deps.now() });
  else await db.articleNotes.delete(articleId);
  await reindexLater(db, [articleId]);
}

/**
 * Words search should find the article by: every highlight's quote and note
 * and the article note, per article. Read inside the indexer's transactions
 * (the highlight tables are part of searchTables).
 */
export async function annotationTexts(db: OffprintDB, articleIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (articleIds.length === 0) return out;
  const [highlights, notes] = await Promise.all([db.highlights.where('articleId').anyOf(articleIds).toArray(), db.articleNotes.bulkGet(articleIds)]);
  const add = (id: string, s: string) => s && out.set(id, out.has(id) ? `${out.get(id)}\n${s}` : s);
  for (const h of highlights) add(h.articleId, h.note ? `${h.quote?.exact ?? ''}\n${h.note}` : (h.quote?.exact ?? ''));
  notes.forEach((n) => n && add(n.articleId, n.note));
  return out;
}

/** Only the notes (highlight notes and the article note), to tell "matched a note" in results. */
export async function notesOf(db: OffprintDB, articleIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (articleIds.length === 0) return out;
  const [highlights, notes] = await Promise.all([db.highlights.where('articleId').anyOf(articleIds).toArray(), db.articleNotes.bulkGet(articleIds)]);
  const add = (id: string, s: string) => s && out.set(id, out.has(id) ? `${out.get(id)}\n${s}` : s);
  for (const h of highlights) add(h.articleId, h.note);
  notes.forEach((n) => n && add(n.articleId, n.note));
  return out;
}

/** Called by purgeArticles inside its transaction: highlights and notes go with their article. */
export async function purgeHighlightsOf(db: OffprintDB, articleIds: string[]): Promise<void> {
  await db.highlights.where('articleId').anyOf(articleIds).delete();
  await db.articleNotes.bulkDelete(articleIds);
}

/**
 * A duplicate merge: the others' highlights move to the kept article (a quote
 * it already has is not doubled; its note is added to the kept one), and
 * their article notes are appended to its note. They are re-anchored when the
 * kept article is next shown. Call inside a transaction that includes the
 * highlight tables.
 */
export async function moveHighlights(db: OffprintDB, fromIds: string[], toId: string, deps: Pick<HighlightDeps, 'now'> = defaultHighlightDeps): Promise<number> {
  const from = fromIds.filter((id) => id !== toId);
  if (from.length === 0) return 0;
  const [kept, moving, keptNote, otherNotes] = await Promise.all([
    db.highlights.where('articleId').equals(toId).toArray(),
    db.highlights.where('articleId').anyOf(from).toArray(),
    db.articleNotes.get(toId),
    db.articleNotes.bulkGet(from),
  ]);
  // Rows without a quote (a damaged import) still move; they just never match another.
  const byQuote = new Map(kept.filter((h) => h.quote).map((h) => [h.quote.exact, h]));
  const now = deps.now();
  let moved = 0;
  for (const h of moving) {
    const same = h.quote ? byQuote.get(h.quote.exact) : undefined;
    if (same) {
      if (h.note && !same.note.includes(h.note)) {
        same.note = same.note ? `${same.note}\n\n${h.note}` : h.note;
        await db.highlights.update(same.id, { note: same.note, updatedAt: now });
      }
      await db.highlights.delete(h.id);
      continue;
    }
    await db.highlights.update(h.id, { articleId: toId });
    if (h.quote) byQuote.set(h.quote.exact, { ...h, articleId: toId });
    moved += 1;
  }
  const extra = otherNotes.filter((n): n is ArticleNote => !!n && !!n.note && !(keptNote?.note ?? '').includes(n.note)).map((n) => n.note);
  if (extra.length) await db.articleNotes.put({ articleId: toId, note: [keptNote?.note, ...extra].filter(Boolean).join('\n\n'), updatedAt: now });
  await db.articleNotes.bulkDelete(from);
  return moved;
}

export interface HighlightEntry {
  highlight: Highlight;
  article: Pick<Article, 'id' | 'title' | 'tags' | 'box' | 'url'>;
}

/** The Highlights view: across the library (Trash left out), newest first, by tag and colour. */
export async function listAllHighlights(db: OffprintDB, filter: { tag?: string; color?: HighlightColor } = {}, limit = 200): Promise<HighlightEntry[]> {
  const out: HighlightEntry[] = [];
  const articles = new Map<string, Article | undefined>();
  let offset = 0;
  const page = 200;
  for (;;) {
    const rows = await db.highlights.orderBy('createdAt').reverse().offset(offset).limit(page).toArray();
    if (rows.length === 0) break;
    offset += rows.length;
    const missing = [...new Set(rows.map((h) => h.articleId).filter((id) => !articles.has(id)))];
    (await db.articles.bulkGet(missing)).forEach((a, i) => articles.set(missing[i]!, a));
    for (const h of rows) {
      const a = articles.get(h.articleId);
      if (!a || a.box === 'trash') continue;
      if (filter.color && h.color !== filter.color) continue;
      if (filter.tag && !a.tags.includes(filter.tag)) continue;
      out.push({ highlight: h, article: { id: a.id, title: a.title, tags: a.tags, box: a.box, url: a.url } });
      if (out.length >= limit) return out;
    }
  }
  return out;
}
