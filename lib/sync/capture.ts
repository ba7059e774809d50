import type { DBCore, DBCoreMutateRequest, DBCoreMutateResponse, DBCoreTable, Middleware } from 'dexie';
import { changedFields, DELETED, entryKey, isSyncedTable, latestStamp, matchKeys, READER_STATE, SYNC_LOG, SYNC_RULES, type SyncedTable, type SyncEntry } from './entries';
import type { Clock } from './hlc';

/**
 * Change capture for sync, as a Dexie DBCore middleware installed by the
 * schema class: it sees every write to the synced tables whoever makes it
 * (the library module, an upgrade, a test), compares with the stored record,
 * stamps each changed field with the hybrid logical clock and records
 * tombstones, in the same transaction as the write. Transactions that write
 * to a synced table are widened to include the sync log, as Dexie Cloud does.
 */

/** Transactions that apply changes received from other devices: their writes keep the remote stamps. */
const remoteApplies = new WeakSet<object>();

/** Marks a transaction (Dexie's `idbtrans`) as applying remote changes: capture skips its writes. */
export function markRemoteApply(idbtrans: object): void {
  remoteApplies.add(idbtrans);
}

export function syncCaptureMiddleware(clock: Clock): Middleware<DBCore> {
  return {
    stack: 'dbcore',
    name: 'OffprintSyncCapture',
    // Beneath Dexie's own layers (cache, observability, hooks): its reads and
    // log writes happen inside the caller's request, where those layers have
    // no Dexie transaction to look at. Nothing observes syncLog live.
    level: -2,
    create(down) {
      const hasLog = () => down.schema.tables.some((t) => t.name === SYNC_LOG);
      return {
        ...down,
        transaction(stores, mode, options) {
          const widen = mode === 'readwrite' && !stores.includes(SYNC_LOG) && stores.some(isSyncedTable) && hasLog();
          return down.transaction(widen ? [...stores, SYNC_LOG] : stores, mode, options);
        },
        table(name) {
          const table = down.table(name);
          if (!isSyncedTable(name)) return table;
          return { ...table, mutate: (req) => captureMutate(down, table, name, req, clock) };
        },
      };
    },
  };
}

/** A new or changed entry for one record write; undefined when nothing synced changed. */
export function stampWrite(entry: SyncEntry | undefined, table: SyncedTable, id: string, before: object | undefined, after: object, clock: Clock): SyncEntry | undefined {
  const fields = changedFields(table, before, after);
  if (fields.length === 0 && entry) return undefined;
  // One stamp per record write, after every stamp the record already has (causality per record).
  const stamp = clock.tick(latestStamp(entry));
  const keep = SYNC_RULES[table].keepValues;
  const regs = { ...(entry?.regs ?? {}) };
  const values = after as Record<string, unknown>;
  const inTrash = table === 'articles' && (before as { box?: string } | undefined)?.box === 'trash' && values.box === 'trash';
  for (const f of fields) {
    regs[f] = keep ? { c: stamp, v: values[f] } : { c: stamp };
    if (inTrash && READER_STATE.includes(f)) regs[f].t = 1;
  }
  const pending = new Set([...(entry?.pending ?? []), ...fields]);
  return { ...(entry ?? {}), key: entryKey(table, id), t: table, id, regs, m: matchKeys(table, regs), dirty: 1, pending: [...pending] };
}

export function stampDelete(entry: SyncEntry | undefined, table: SyncedTable, id: string, clock: Clock): SyncEntry {
  const stamp = clock.tick(latestStamp(entry));
  return { ...(entry ?? {}), key: entryKey(table, id), t: table, id, regs: entry?.regs ?? {}, m: matchKeys(table, entry?.regs ?? {}), del: stamp, dirty: 1, pending: [...new Set([...(entry?.pending ?? []), DELETED])] };
}

async function captureMutate(down: DBCore, table: DBCoreTable, name: SyncedTable, req: DBCoreMutateRequest, clock: Clock): Promise<DBCoreMutateResponse> {
  const trans = req.trans as unknown as IDBTransaction;
  // An upgrade from before the sync log existed, or a remote apply: write as asked.
  if (remoteApplies.has(trans) || !trans.objectStoreNames?.contains(SYNC_LOG)) return table.mutate(req);
  const log = down.table(SYNC_LOG);
  const keys = await mutatedKeys(table, req);
  if (keys.length === 0) return table.mutate(req);
  const isDelete = req.type === 'delete' || req.type === 'deleteRange';
  const [before, entries] = await Promise.all([
    req.type === 'add' ? Promise.resolve(keys.map(() => undefined)) : table.getMany({ trans: req.trans, keys }),
    log.getMany({ trans: req.trans, keys: keys.map((k) => entryKey(name, String(k))) }) as Promise<(SyncEntry | undefined)[]>,
  ]);
  const res = await table.mutate(req);
  // Several writes of one record in one request: each sees the one before.
  const latest = new Map<string, { entry?: SyncEntry; value?: object }>();
  const touched = new Set<string>();
  keys.forEach((key, i) => {
    if (res.failures[i]) return;
    const id = String(key);
    const prior = latest.get(id) ?? { entry: entries[i], value: before[i] as object | undefined };
    if (isDelete) {
      if (prior.value !== undefined) {
        latest.set(id, { entry: stampDelete(prior.entry, name, id, clock), value: undefined });
        touched.add(id);
      }
      return;
    }
    const value = (req as { values: readonly object[] }).values[i]!;
    const entry = stampWrite(prior.entry, name, id, prior.value, value, clock);
    latest.set(id, { entry: entry ?? prior.entry, value });
    if (entry) touched.add(id);
  });
  const out = [...latest.entries()].filter(([id]) => touched.has(id)).map(([, x]) => x.entry!);
  if (out.length) await log.mutate({ type: 'put', trans: req.trans, values: out });
  return res;
}

async function mutatedKeys(table: DBCoreTable, req: DBCoreMutateRequest): Promise<unknown[]> {
  if (req.type === 'delete') return req.keys;
  if (req.type === 'deleteRange') {
    const found = await table.query({ trans: req.trans, values: false, query: { index: table.schema.primaryKey, range: req.range } });
    return [...found.result];
  }
  if (req.keys) return req.keys;
  const extract = table.schema.primaryKey.extractKey;
  return req.values.map((v) => (extract ? extract(v) : undefined));
}
