import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../../lib/io/errors';
import { isZip, safeUnzip, zipTextFiles } from '../../../lib/io/zip';

/** Rewrites the sizes a zip's headers claim, as a hostile zip would. */
function lieAboutSizes(zip: Uint8Array, claimed: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = view.getUint32(i, true);
    if (sig === 0x04034b50) view.setUint32(i + 22, claimed, true);
    if (sig === 0x02014b50) view.setUint32(i + 24, claimed, true);
  }
  return out;
}

describe('zip', () => {
  it('zips text files with unique names that unzip back', () => {
    const zip = zipTextFiles([
      { name: 'a.md', text: 'é one' },
      { name: 'a.md', text: 'two' },
    ]);
    expect(isZip(zip)).toBe(true);
    const files = unzipSync(zip);
    expect(Object.keys(files).sort()).toEqual(['a (2).md', 'a.md']);
    expect(strFromU8(files['a.md']!)).toBe('é one');
    expect(safeUnzip(zip).map((e) => e.name).sort()).toEqual(['a (2).md', 'a.md']);
  });

  it('stops a bomb whose headers lie about its size, counting real output', () => {
    const honest = zipSync({ 'zeros.bin': new Uint8Array(12 * 1024 * 1024) }, { level: 9 });
    const bomb = lieAboutSizes(honest, 100);
    expect(() => safeUnzip(bomb, { totalBytes: 2 * 1024 * 1024 })).toThrow(/unpacks to more than 2 MB/);
    expect(() => safeUnzip(bomb, { totalBytes: 2 * 1024 * 1024 })).toThrow(ImportError);
  });

  it('stops a zip with too many entries', () => {
    const many: Record<string, Uint8Array> = {};
    for (let i = 0; i < 30; i++) many[`f${i}.txt`] = strToU8('x');
    expect(() => safeUnzip(zipSync(many), { entries: 10 })).toThrow(/more than 10 files/);
  });

  it('reports a truncated zip as damaged', () => {
    const zip = zipSync({ 'a.txt': strToU8('hello '.repeat(1000)) });
    expect(() => safeUnzip(zip.subarray(0, 60))).toThrow(ImportError);
  });
});
