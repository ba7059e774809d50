import { Unzip, UnzipInflate, zipSync, strToU8 } from 'fflate';
import { ImportError, LIMITS, formatBytes } from './errors';

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6);
}

/**
 * Unpacks a zip while counting what comes out: compressed data is fed in
 * small slices, so a zip bomb is stopped after at most one slice's worth of
 * output past the limit, whatever sizes its headers claim.
 */
export function safeUnzip(bytes: Uint8Array, limits: { totalBytes?: number; entries?: number } = {}): ZipEntry[] {
  const maxTotal = limits.totalBytes ?? LIMITS.unzippedBytes;
  const maxEntries = limits.entries ?? LIMITS.zipEntries;
  const entries: ZipEntry[] = [];
  let total = 0;
  let failure: ImportError | undefined;
  const unzip = new Unzip((file) => {
    if (failure) return;
    if (file.name.endsWith('/')) return;
    if (entries.length >= maxEntries) {
      failure = new ImportError(`This zip holds more than ${maxEntries} files; Offprint stopped reading it.`);
      return;
    }
    if (file.compression !== 0 && file.compression !== 8) {
      failure = new ImportError(`“${file.name}” in this zip uses a compression Offprint cannot read.`);
      return;
    }
    const parts: Uint8Array[] = [];
    file.ondata = (err, chunk, final) => {
      if (failure) return;
      if (err) {
        failure = new ImportError(`This zip is damaged (${err.message}).`);
        return;
      }
      total += chunk.length;
      if (total > maxTotal) {
        failure = new ImportError(`This zip unpacks to more than ${formatBytes(maxTotal)} (a “zip bomb”?); Offprint did not import it.`);
        file.terminate();
        return;
      }
      parts.push(chunk);
      if (final) entries.push({ name: file.name, data: concat(parts) });
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  const slice = 16 * 1024;
  try {
    for (let i = 0; i < bytes.length && !failure; i += slice) {
      unzip.push(bytes.subarray(i, i + slice), i + slice >= bytes.length);
    }
  } catch (err) {
    throw failure ?? new ImportError(`This zip is damaged (${err instanceof Error ? err.message : String(err)}).`);
  }
  if (failure) throw failure;
  return entries;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A zip of named text files (exports of many articles). */
export function zipTextFiles(files: { name: string; text: string }[]): Uint8Array {
  const used = new Set<string>();
  const tree: Record<string, Uint8Array> = {};
  for (const f of files) {
    let name = f.name;
    for (let n = 2; used.has(name); n++) name = f.name.replace(/(\.[^.]+)?$/, ` (${n})$1`);
    used.add(name);
    tree[name] = strToU8(f.text);
  }
  return zipSync(tree, { level: 6 });
}
