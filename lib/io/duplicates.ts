import { mergeDuplicateArticles } from '../library/duplicates';
import { tablesFor } from '../library/tables';
import type { OffprintDB } from '../db/schema';
import { fnv32 } from './hash';

const SHINGLE_WORDS = 5;
/** Keep one shingle hash in SAMPLE_MOD: a fixed sample, so two copies keep the same ones. */
const SAMPLE_MOD = 4;
const MIN_SHARED = 8;
/** Share of the smaller text found in the larger one that makes a near-duplicate. */
export const DUPLICATE_THRESHOLD = 0.5;

/**
 * Words of a text, normalized so that copies of the same article from a
 * feed, a clip and a text capture match: NFKC (turns 𝗞𝘂𝗯𝗲 into Kube),
 * lower case, punctuation and emoji dropped.
 */
export function normalizedWords(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .split(/[^\p{L}\p{N}']+/u)
    .filter((w) => w.length > 0);
}

/** A fixed sample of the text's 5-word shingle hashes. */
export function shingleSample(text: string): Set<number> {
  const words = normalizedWords(text);
  const out = new Set<number>();
  for (let i = 0; i + SHINGLE_WORDS <= words.length; i++) {
    const h = fnv32(words.slice(i, i + SHINGLE_WORDS).join(' '));
    if (h % SAMPLE_MOD === 0) out.add(h);
  }
  return out;
}

/** Share of the smaller sample contained in the larger one (1 = one text holds all of the other). */
export function containment(a: Set<number>, b: Set<number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size === 0) return 0;
  let shared = 0;
  for (const h of small) if (large.has(h)) shared++;
  return shared / small.size;
}

export interface DuplicateGroup {
  /** Stable key: the sorted ids joined. */
  key: string;
  ids: string[];
  /** Highest containment between members, 0..1. */
  similarity: number;
}

export interface DuplicateState {
  groups: DuplicateGroup[];
  /** Group keys the user said are not duplicates. */
  dismissed: string[];
  checkedAt: number;
}

export const DUPLICATES_KEY = 'io:duplicates';

/**
 * Finds near-duplicate articles across the library (Trash excluded): an
 * inverted index from sampled shingle to articles counts shared shingles
 * per pair, so the cost grows with the text, not with pairs of articles.
 */
export async function findNearDuplicates(db: OffprintDB, threshold = DUPLICATE_THRESHOLD): Promise<DuplicateGroup[]> {
  const perBox = await Promise.all((['inbox', 'saved', 'archive'] as const).map((box) => db.articles.where('box').equals(box).primaryKeys()));
  const live = new Set(perBox.flat() as string[]);
  const ids: string[] = [];
  const samples: Set<number>[] = [];
  const index = new Map<number, number[]>();
  // Bodies are read a page at a time so a big library never sits in memory whole.
  const liveIds = [...live];
  for (let start = 0; start < liveIds.length; start += 250) {
    for (const c of await db.contents.bulkGet(liveIds.slice(start, start + 250))) {
      if (!c) continue;
      const sample = shingleSample(c.text);
      if (sample.size < MIN_SHARED) continue;
      const n = ids.length;
      ids.push(c.id);
      samples.push(sample);
      for (const h of sample) {
        const list = index.get(h);
        if (list) list.push(n);
        else index.set(h, [n]);
      }
    }
  }
  const shared = new Map<number, number>();
  for (const list of index.values()) {
    // A shingle in very many articles is boilerplate (a footer), not evidence.
    if (list.length < 2 || list.length > 50) continue;
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const key = list[i]! * 1_000_003 + list[j]!;
        shared.set(key, (shared.get(key) ?? 0) + 1);
      }
    }
  }
  const parent = ids.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const best = new Map<number, number>();
  for (const [key, count] of shared) {
    if (count < MIN_SHARED) continue;
    const a = Math.floor(key / 1_000_003);
    const b = key % 1_000_003;
    const score = count / Math.min(samples[a]!.size, samples[b]!.size);
    if (score < threshold) continue;
    const ra = find(a);
    const rb = find(b);
    const s = Math.max(score, best.get(ra) ?? 0, best.get(rb) ?? 0);
    parent[ra] = rb;
    best.set(rb, s);
  }
  const groups = new Map<number, number[]>();
  ids.forEach((_, i) => {
    const r = find(i);
    if (r !== i || best.has(r)) groups.set(r, [...(groups.get(r) ?? []), i]);
  });
  return [...groups.entries()]
    .filter(([, members]) => members.length > 1)
    .map(([root, members]) => {
      const groupIds = members.map((i) => ids[i]!).sort();
      return { key: groupIds.join('+'), ids: groupIds, similarity: Math.min(1, best.get(root) ?? threshold) };
    })
    .sort((a, b) => b.similarity - a.similarity);
}

/** Re-checks the library and stores the groups the user has not dismissed. */
export async function refreshDuplicates(db: OffprintDB, now = Date.now()): Promise<DuplicateState> {
  const previous = await loadDuplicates(db);
  const groups = (await findNearDuplicates(db)).filter((g) => !previous.dismissed.includes(g.key));
  const state = { groups, dismissed: previous.dismissed, checkedAt: now };
  await db.kv.put({ key: DUPLICATES_KEY, value: state });
  return state;
}

export async function loadDuplicates(db: OffprintDB): Promise<DuplicateState> {
  const stored = (await db.kv.get(DUPLICATES_KEY))?.value as DuplicateState | undefined;
  return stored ?? { groups: [], dismissed: [], checkedAt: 0 };
}

/** “Not duplicates”: the group is not shown again. */
export async function dismissDuplicateGroup(db: OffprintDB, key: string): Promise<void> {
  await db.transaction('rw', db.kv, async () => {
    const state = await loadDuplicates(db);
    await db.kv.put({ key: DUPLICATES_KEY, value: { ...state, groups: state.groups.filter((g) => g.key !== key), dismissed: [...new Set([...state.dismissed, key])] } });
  });
}

/**
 * Keeps one article of a group and moves the others to Trash (undoable
 * there). The kept one gains what the reader did with the others: tags,
 * star, read state and the furthest progress, so choosing loses nothing.
 */
export async function keepOneOfGroup(db: OffprintDB, key: string, keepId: string, now = Date.now()): Promise<void> {
  await db.transaction('rw', tablesFor(db, 'duplicateMerge'), async () => {
    const state = await loadDuplicates(db);
    const group = state.groups.find((g) => g.key === key);
    if (!group || !group.ids.includes(keepId)) throw new Error('This duplicate group has changed; check for duplicates again.');
    await mergeDuplicateArticles(db, keepId, group.ids.filter((id) => id !== keepId), now);
    await db.kv.put({ key: DUPLICATES_KEY, value: { ...state, groups: state.groups.filter((g) => g.key !== key) } });
  });
}
