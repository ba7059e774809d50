// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { Article } from '../../../lib/db/types';
import { parseFeed } from '../../../lib/feeds/parse';
import { createSanitizer } from '../../../lib/html/sanitize';
import { articleToHtml } from '../../../lib/io/html-export';
import { importFile } from '../../../lib/io/import';
import { articleToMarkdown } from '../../../lib/io/markdown';
import { readOpml, serializeOpml } from '../../../lib/io/opml';
import { isWebUrl } from '../../../lib/urls/safe';
import { freshDb } from '../helpers/db';
import { fileOf, importDeps } from './helpers';

const article = (url: string): Article => ({ id: 'a', url, source: 'feed', box: 'inbox', title: 'T', tags: [], savedAt: 1, sortAt: 1, wordCount: 1, readingMinutes: 1, isRead: 0, starred: 0, progress: 0, isPreview: 0, isReply: 0, offline: 'ready' });

describe('a URL that is not http(s) is never a link', () => {
  it('isWebUrl', () => {
    expect(isWebUrl('https://a.example/x')).toBe(true);
    expect(isWebUrl('http://a.example/')).toBe(true);
    for (const bad of ['javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,<b>x</b>', 'file:///etc/passwd', 'mailto:a@b.c', 'vbscript:x', '//a.example/', 'not a url', '']) expect(isWebUrl(bad), bad).toBe(false);
  });

  it('not in stored article HTML', () => {
    const sanitize = createSanitizer(window);
    const out = sanitize('<p><a href="javascript:alert(1)">one</a> <a href="data:text/html,x">two</a> <a href="file:///x">three</a> <a href="https://ok.example/">four</a> <a href="#note">five</a></p>', 'https://blog.example/');
    const doc = new DOMParser().parseFromString(out, 'text/html');
    expect([...doc.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'))).toEqual(['https://ok.example/', '#note']);
    expect(doc.body.textContent).toBe('one two three four five');
  });

  it('not in Markdown or HTML exports', () => {
    const md = articleToMarkdown(article('javascript:alert(1)'), '<p><a href="javascript:alert(1)">x</a> <a href="data:text/html,y">y</a> <a href="https://ok.example/">ok</a></p>', document);
    expect(md).not.toMatch(/\]\((?:javascript|data):/);
    expect(md).toContain('[ok](https://ok.example/)');
    const html = articleToHtml(article('javascript:alert(1)'), '<p>body</p>');
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain('Saved with Offprint from javascript:alert(1)');
    expect(articleToHtml(article('https://ok.example/p'), '<p>body</p>')).toContain('<a href="https://ok.example/p">');
  });

  it('not in OPML, and each skipped OPML entry is reported with its reason', async () => {
    const opml = `<?xml version="1.0"?><opml version="2.0"><head/><body>
      <outline text="Good" type="rss" xmlUrl="https://good.example/feed" htmlUrl="javascript:alert(1)"/>
      <outline text="Evil" type="rss" xmlUrl="javascript:alert(1)"/>
      <outline text="Local file" type="rss" xmlUrl="file:///etc/feed.xml"/>
      <outline text="Broken" type="rss" xmlUrl="https://"/>
    </body></opml>`;
    const { feeds, skipped } = readOpml(opml);
    expect(feeds).toEqual([{ url: 'https://good.example/feed', title: 'Good', siteUrl: undefined, folder: undefined }]);
    expect(skipped.map((s) => [s.title, s.reason])).toEqual([
      ['Evil', 'javascript: is not a web address'],
      ['Local file', 'file: is not a web address'],
      ['Broken', 'not a valid web address'],
    ]);
    expect(serializeOpml([{ url: 'https://good.example/feed', title: 'Good', siteUrl: 'javascript:alert(1)' }])).not.toContain('javascript:');

    const r = await importFile(fileOf('follows.opml', opml), importDeps(freshDb(), parseFeed));
    expect(r.message).toBe('Following 1 new feed; skipped 3 entries: “Evil” (javascript: is not a web address), “Local file” (file: is not a web address), “Broken” (not a valid web address).');
  });
});
