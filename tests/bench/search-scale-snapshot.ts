// SCALE_SNAPSHOT_DIR: the scale bench saves each size's stored library and
// built index there (v8-serialized slices of every table) and, on a later
// run, loads them instead of generating and building again. The 50,000 build
// takes minutes (far longer on a loaded machine); iterating on the query or
// change paths needs only a built index. A snapshot is keyed by size and
// INDEX_VERSION; delete the directory after changing what the build writes.
import { createReadStream, existsSync, mkdirSync, openSync, closeSync, writeSync, writeFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import Dexie from 'dexie';
import type { OffprintDB } from '../../lib/db/schema';
import { INDEX_VERSION } from '../../lib/search/indexer';

const SLICE = 2000;

export function snapshotDir(size: number): string | undefined {
  const root = process.env.SCALE_SNAPSHOT_DIR;
  return root ? `${root}/scale-${size}-v${INDEX_VERSION}` : undefined;
}

export const hasSnapshot = (dir: string | undefined): dir is string => Boolean(dir && existsSync(`${dir}/done`));

/** Rows written SLICE to a record: each record a length-prefixed v8 serialization of an array of rows. */
async function writeSlices(file: string, each: (add: (row: unknown) => void) => Promise<unknown>): Promise<void> {
  const fd = openSync(file, 'w');
  let rows: unknown[] = [];
  const write = () => {
    const body = serialize(rows);
    const head = Buffer.alloc(4);
    head.writeUInt32LE(body.length);
    writeSync(fd, head);
    writeSync(fd, body);
    rows = [];
  };
  await each((row) => {
    rows.push(row);
    if (rows.length === SLICE) write();
  });
  if (rows.length) write();
  closeSync(fd);
}

/** writeSlices' records, one array of rows at a time. */
async function* readSlices<T>(file: string): AsyncGenerator<T[]> {
  let pending = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 24 })) {
    pending = Buffer.concat([pending, chunk as Buffer]);
    while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32LE(0)) {
      const n = pending.readUInt32LE(0);
      yield deserialize(pending.subarray(4, 4 + n)) as T[];
      pending = pending.subarray(4 + n);
    }
  }
}

/** Every table, a slice of rows per length-prefixed record, in primary-key order. */
export async function saveSnapshot(db: OffprintDB, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const table of db.tables) await writeSlices(`${dir}/${table.name}.bin`, (add) => table.each((row) => add(row)));
  writeFileSync(`${dir}/done`, new Date().toISOString());
}

/**
 * v8.deserialize gives typed arrays that are views into the whole read
 * buffer; stored as they are, each record's clone would copy all of it.
 */
function ownTypedArrays(row: unknown): unknown {
  if (row && typeof row === 'object') {
    for (const [k, v] of Object.entries(row)) if (ArrayBuffer.isView(v)) (row as Record<string, unknown>)[k] = (v as Uint8Array).slice();
  }
  return row;
}

export async function loadSnapshot(db: OffprintDB, dir: string): Promise<void> {
  // A connection without OffprintDB's sync-capture middleware: the rows go in as they were saved.
  const raw = new Dexie(db.name);
  await raw.open();
  for (const table of raw.tables) {
    const file = `${dir}/${table.name}.bin`;
    if (!existsSync(file)) continue;
    for await (const rows of readSlices<unknown>(file)) await table.bulkAdd(rows.map(ownTypedArrays));
  }
  raw.close();
}

/**
 * A database whose stores keep their keys out of line (FlexSearch's
 * IndexedDB adapter): every store's [key, value] pairs, a slice per record.
 */
export async function saveKeyedSnapshot(name: string, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const raw = new Dexie(name);
  await raw.open();
  for (const table of raw.tables) await writeSlices(`${dir}/${encodeURIComponent(table.name)}.bin`, (add) => table.each((value, cursor) => add([cursor.primaryKey, value])));
  raw.close();
  writeFileSync(`${dir}/done`, new Date().toISOString());
}

/** Loads saveKeyedSnapshot's pairs into the same stores of an existing database. */
export async function loadKeyedSnapshot(name: string, dir: string): Promise<void> {
  const raw = new Dexie(name);
  await raw.open();
  for (const table of raw.tables) {
    const file = `${dir}/${encodeURIComponent(table.name)}.bin`;
    if (!existsSync(file)) continue;
    for await (const rows of readSlices<[unknown, unknown]>(file)) await table.bulkPut(rows.map(([, v]) => ownTypedArrays(v)), rows.map(([k]) => k) as never);
  }
  raw.close();
}
