import { describe, expect, it } from 'vitest';
import { detectKind } from '../../../lib/io/detect';
import { looksLikeUrlList, urlListToDrafts } from '../../../lib/io/urls';
import { isLinkOnly } from '../../../lib/fulltext/jobs';

describe('plain text list of URLs', () => {
  const file = '\uFEFF# reading list\nhttps://blog.example.dev/posts/probes\r\n\nhttps://sre.example.org/etcd-backups Backing up etcd\nhttps://blog.example.dev/posts/probes\n';
  it('is detected by content, not only by name', () => {
    expect(looksLikeUrlList(file)).toBe(true);
    expect(detectKind(file, 'links.txt').kind).toBe('url-list');
    expect(detectKind('Kubernetes notes\nhttps://a.dev/x\nsome text', 'notes.txt').kind).toBe('text');
  });
  it('becomes one link-only draft per address, duplicates once, with an optional title', () => {
    const drafts = urlListToDrafts(file, 5);
    expect(drafts.map((d) => [d.url, d.title])).toEqual([
      ['https://blog.example.dev/posts/probes', 'blog.example.dev/posts/probes'],
      ['https://sre.example.org/etcd-backups', 'Backing up etcd'],
    ]);
    expect(drafts.skipped).toEqual([{ count: 1, reason: 'listed more than once (imported once)' }]);
    expect(drafts[0]!.captureWarning).toMatch(/Fetch full text/);
    expect(isLinkOnly({ url: drafts[0]!.url, wordCount: 15, isPreview: 0, box: 'saved', source: 'import' })).toBe(true);
  });
  it('reads lists as people keep them: bullets, numbers, angle brackets, a title after a dash, CRLF, a BOM', () => {
    const list = '\uFEFF- https://blog.example.dev/a\r\n* <https://blog.example.dev/b>\r\n\r\n1. https://sre.example.org/c Draining nodes\r\n2) https://sre.example.org/d\r\n• https://sre.example.org/e\r\n   \r\n# done\r\n';
    expect(detectKind(list, 'links.txt').kind).toBe('url-list');
    expect(urlListToDrafts(list).map((d) => [d.url, d.title])).toEqual([
      ['https://blog.example.dev/a', 'blog.example.dev/a'],
      ['https://blog.example.dev/b', 'blog.example.dev/b'],
      ['https://sre.example.org/c', 'Draining nodes'],
      ['https://sre.example.org/d', 'sre.example.org/d'],
      ['https://sre.example.org/e', 'sre.example.org/e'],
    ]);
    // Prose that mentions an address is a text, not a list.
    expect(detectKind('- buy milk\n- https://a.dev/x\n', 'todo.txt').kind).toBe('text');
  });
  it('a file with no address says so', () => {
    expect(() => urlListToDrafts('# nothing\n')).toThrow(/no web addresses/);
  });
});
