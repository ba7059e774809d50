import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalPrepare } from '../../../lib/dom/prepare';
import type { ImportDeps, ImportFileInput, ParseFeed } from '../../../lib/io/import';
import type { OffprintDB } from '../../../lib/db/schema';
import { fixedDeps } from '../helpers/db';

export function fixture(name: string): string {
  return readFileSync(join(process.cwd(), 'tests/fixtures/io', name), 'utf8');
}

/** A File-like input from text or bytes; `size` can be faked to test the size limit without 500 MB. */
export function fileOf(name: string, content: string | Uint8Array, size?: number): ImportFileInput {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return { name, size: size ?? bytes.length, arrayBuffer: async () => bytes.slice().buffer as ArrayBuffer, lastModified: Date.UTC(2026, 0, 5) };
}

/** Import deps for jsdom tests: the real sanitizer, DOMParser and feed parser. */
export function importDeps(db: OffprintDB, parseFeed: ParseFeed): ImportDeps {
  return {
    db,
    now: fixedDeps().now,
    newId: (() => {
      let n = 0;
      return () => `imported-${++n}`;
    })(),
    prepare: createLocalPrepare(window),
    parseHtml: (html) => new DOMParser().parseFromString(html, 'text/html'),
    parseFeed,
  };
}
