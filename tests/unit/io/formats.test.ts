// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../lib/feeds/parse';
import { importFile } from '../../../lib/io/import';
import { readwiseTags } from '../../../lib/io/readwise';
import { freshDb } from '../helpers/db';
import { fileOf, fixture, importDeps } from './helpers';

const byUrl = async (db: ReturnType<typeof freshDb>, url: string) => (await db.articles.where('url').equals(url).first())!;

describe('export formats are recognised, not guessed', () => {
  it('reads a Readwise Reader CSV with its tags, location, progress and saved dates', async () => {
    const db = freshDb();
    const r = await importFile(fileOf('Readwise-Reader-export.csv', fixture('readwise-reader.csv')), importDeps(db, parseFeed));
    expect(r).toMatchObject({ status: 'done', kind: 'Readwise Reader export', added: 3 });
    expect(r.message).toBe('Imported 3 articles; skipped 1 entry: rows with no web address.');
    expect(await byUrl(db, 'https://sre.example.org/rolling-restarts')).toMatchObject({ tags: ['kubernetes', 'sre'], savedAt: Date.UTC(2024, 2, 1, 10, 20, 30), box: 'saved', progress: 0.45, isRead: 0 });
    expect(await byUrl(db, 'https://iac.example.com/state-split')).toMatchObject({ title: 'Terraform state, split sensibly', box: 'archive', isRead: 1, savedAt: Date.UTC(2024, 1, 11, 8) });
    expect(await byUrl(db, 'https://alerts.example.net/queue-depth')).toMatchObject({ tags: ['alerting'], box: 'saved' });
  });

  it('reads Readwise’s list-style tags', () => {
    expect(readwiseTags("['devops', 'k8s', \"it's\"]")).toEqual(['devops', 'k8s', "it's"]);
    expect(readwiseTags('[]')).toEqual([]);
    expect(readwiseTags('a, b')).toEqual(['a', 'b']);
  });

  it('reads a wallabag v2 JSON export: sanitized text, tags, archived, starred, dates, author', async () => {
    const db = freshDb();
    const r = await importFile(fileOf('wallabag-export.json', fixture('wallabag-export.json')), importDeps(db, parseFeed));
    expect(r).toMatchObject({ status: 'done', kind: 'wallabag export', added: 2 });
    const otel = await byUrl(db, 'https://otel.example.org/tail-sampling');
    expect(otel).toMatchObject({ title: 'Sampling traces at the collector', author: 'Iris Novak', tags: ['observability', 'otel'], box: 'archive', isRead: 1, starred: 0, savedAt: Date.UTC(2024, 3, 2, 7, 15), publishedAt: Date.UTC(2024, 2, 30), leadImage: 'https://otel.example.org/cover.png' });
    const body = (await db.contents.get(otel.id))!;
    expect(body.html).not.toContain('<script');
    expect(body.html).toContain('processors:\n  tail_sampling:\n    decision_wait: 10s');
    expect(await byUrl(db, 'https://db.example.com/pg-capacity')).toMatchObject({ starred: 1, box: 'saved' });
  });

  it('refuses a CSV that is no known export, saying what it reads and what the file has', async () => {
    const db = freshDb();
    // Title and URL columns alone are not enough to call it Pocket.
    const r = await importFile(fileOf('bookmarks.csv', 'Title,URL,Folder\nA,https://a.example/,x\n'), importDeps(db, parseFeed));
    expect(r.status).toBe('failed');
    expect(r.message).toBe(
      'This CSV file is not an export Offprint knows, so nothing was guessed from it. Offprint reads Pocket (title, url, time_added…), Readwise Reader (Title, URL, Document tags, Saved date, Location…) and Readwise highlights (Highlight, Book Title, Note…) CSV exports; this one has the columns “title”, “url”, “folder”. Nothing from this file was stored.',
    );
    expect(await db.articles.count()).toBe(0);
  });
});
