import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TABLES } from '../../../lib/library/tables';

/**
 * lib/library/ owns every write to the library's tables. This scans the
 * source for writes anywhere else and fails, naming file and line.
 */
const ROOT = process.cwd();
const LIBRARY_KINDS = ['article', 'per-article', 'per-article-rows', 'shared', 'index'];
const libraryTables = Object.entries(TABLES)
  .filter(([, spec]) => LIBRARY_KINDS.includes(spec.kind))
  .map(([name]) => name);
const indexTables = Object.entries(TABLES)
  .filter(([, spec]) => spec.kind === 'index')
  .map(([name]) => name);
const WRITE = '(?:put|add|bulkPut|bulkAdd|update|bulkUpdate|modify|delete|bulkDelete|clear)';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

/** `db.articles.where(…).modify(…)`, `db.table('contents').put(…)`, `tx.images.delete(…)`: a chain from a table to a write. */
function writePattern(tables: string[]): RegExp {
  const table = `(?:\\.(?:${tables.join('|')})\\b|\\.table\\(\\s*['"\`](?:${tables.join('|')})['"\`]\\s*\\))`;
  // The table is followed by a method chain (where/equals/filter…, across lines) up to the write;
  // the chain ends at a statement or block boundary, or where another table expression starts.
  return new RegExp(`${table}\\s*\\.(?:(?!\\bawait\\b|\\bdb\\.|[;{}])[\\s\\S])*?\\b${WRITE}\\(`, 'g');
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

function violations(pattern: RegExp, allowed: (file: string) => boolean): string[] {
  const out: string[] = [];
  for (const dir of ['lib', 'components', 'entrypoints']) {
    for (const file of sourceFiles(join(ROOT, dir))) {
      const rel = relative(ROOT, file).replace(/\\/g, '/');
      if (allowed(rel)) continue;
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(pattern)) out.push(`${rel}:${lineOf(text, m.index)}: ${m[0].replace(/\s+/g, ' ').slice(0, 90)}`);
    }
  }
  return out;
}

describe('one owner for every library write', () => {
  it('finds the writes it looks for (the scanner itself works)', () => {
    const p = writePattern(libraryTables);
    expect('await db.articles.where("id").anyOf(ids).modify({ isRead })').toMatch(p);
    expect("db.table('contents').put(x)").toMatch(writePattern(libraryTables));
    expect('db.images\n  .where("url")\n  .delete()').toMatch(writePattern(libraryTables));
    expect('db.articles.where("id").toArray(); x.put(1)').not.toMatch(writePattern(libraryTables));
    expect('db.feeds.update(id, patch)').not.toMatch(writePattern(libraryTables));
    expect("db.transaction('rw', [db.feeds, db.articles], async () => { await db.feeds.delete(id)").not.toMatch(writePattern(libraryTables));
    expect('db.articles.where("feedId").equals(id).filter((a) => a.starred === 0).modify({ box: "trash" })').toMatch(writePattern(libraryTables));
  });

  it('no article, content, image or search-index table is written outside lib/library/', () => {
    // The search index's own code (lib/search/indexer.ts) writes its tables; it is called from lib/library/.
    const found = violations(writePattern(libraryTables.filter((t) => !indexTables.includes(t))), (f) => f.startsWith('lib/library/'));
    const index = violations(writePattern(indexTables), (f) => f.startsWith('lib/library/') || f === 'lib/search/indexer.ts');
    expect([...found, ...index]).toEqual([]);
  });

  it('index upkeep is called only by the library', () => {
    const calls = violations(/\b(?:indexArticles|reindexArticles|removeFromIndex|indexAfterCommit)\s*\(/g, (f) => f.startsWith('lib/library/') || f.startsWith('lib/search/'));
    expect(calls).toEqual([]);
  });
});
