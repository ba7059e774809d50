import { escapeHtml } from './draft';
import { plainText } from '../text/plain';
import { isWebUrl } from '../urls/safe';
import { ImportError } from './errors';

/** One followed feed as OPML carries it. */
export interface OpmlFeed {
  url: string;
  title: string;
  siteUrl?: string;
  /** Path of the enclosing outlines, joined with " / " (Feedly categories, Inoreader folders). */
  folder?: string;
}

/**
 * Reads the feeds in an OPML file as Feedly, Inoreader, NetNewsWire and most
 * readers write it: `<outline type="rss" xmlUrl=…>`, nested in category
 * outlines that become folders. DOM-free so the background can use it too.
 */
export function parseOpml(xml: string): OpmlFeed[] {
  return readOpml(xml).feeds;
}

/** An OPML entry that was not followed, and why. */
export interface OpmlSkip {
  title: string;
  url: string;
  reason: string;
}

/** Why an outline's feed address cannot be followed, or undefined when it can. */
function unsafeReason(raw: string): string | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'not a valid web address';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `${u.protocol} is not a web address`;
  if (!u.hostname) return 'not a valid web address';
  return undefined;
}

/** parseOpml with the entries it skipped, so the import can say which and why. */
export function readOpml(xml: string): { feeds: OpmlFeed[]; skipped: OpmlSkip[] } {
  if (!/<opml[\s>]/i.test(xml)) throw new ImportError('This is not an OPML file: it has no <opml> element.');
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(xml);
  if (!body) throw new ImportError('This OPML file has no <body> with feeds in it.');
  const feeds: OpmlFeed[] = [];
  const skipped: OpmlSkip[] = [];
  const seen = new Set<string>();
  const stack: string[] = [];
  // Only outline tags matter; comments and CDATA are dropped first.
  const content = body[1]!.replace(/<!--[\s\S]*?-->/g, '');
  const tag = /<(\/?)outline\b((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/gi;
  for (let m = tag.exec(content); m; m = tag.exec(content)) {
    const [, closing, rawAttrs, selfClosing] = m;
    if (closing) {
      stack.pop();
      continue;
    }
    const attrs = parseAttributes(rawAttrs ?? '');
    const xmlUrl = attrs.xmlurl ?? attrs.url;
    const title = plainText(attrs.title || attrs.text || '');
    const reason = xmlUrl !== undefined ? unsafeReason(xmlUrl.trim()) : undefined;
    if (xmlUrl !== undefined && reason) {
      skipped.push({ title: title || xmlUrl, url: xmlUrl, reason });
      if (!selfClosing) stack.push('');
    } else if (xmlUrl) {
      const url = xmlUrl.trim();
      if (!seen.has(url)) {
        seen.add(url);
        feeds.push({
          url,
          title: title || url,
          siteUrl: isWebUrl(attrs.htmlurl) ? attrs.htmlurl : undefined,
          folder: stack.filter(Boolean).join(' / ') || undefined,
        });
      }
      if (!selfClosing) stack.push('');
    } else if (!selfClosing) {
      stack.push(title);
    }
  }
  return { feeds, skipped };
}

function parseAttributes(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  const attr = /([\w:-]+)\s*=\s*("([^"]*)"|'([^']*)')/g;
  for (let m = attr.exec(raw); m; m = attr.exec(raw)) {
    out[m[1]!.toLowerCase()] = decodeXmlEntities(m[3] ?? m[4] ?? '');
  }
  return out;
}

export function decodeXmlEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (whole, e: string) => {
    const lower = e.toLowerCase();
    if (lower.startsWith('#x')) return safeCodePoint(parseInt(lower.slice(2), 16), whole);
    if (lower.startsWith('#')) return safeCodePoint(parseInt(lower.slice(1), 10), whole);
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[lower] ?? whole;
  });
}

function safeCodePoint(n: number, fallback: string): string {
  try {
    return String.fromCodePoint(n);
  } catch {
    return fallback;
  }
}

/**
 * OPML 2.0 of the followed feeds, folders as category outlines (one level,
 * the way Feedly and Inoreader export; nested folder paths keep their
 * " / " names so they come back the same).
 */
export function serializeOpml(feeds: OpmlFeed[], opts: { title?: string; now?: number } = {}): string {
  const attr = (s: string) => escapeHtml(s).replace(/\n/g, '&#10;');
  const line = (f: OpmlFeed, indent: string) =>
    `${indent}<outline type="rss" text="${attr(f.title)}" title="${attr(f.title)}" xmlUrl="${attr(f.url)}"${f.siteUrl && isWebUrl(f.siteUrl) ? ` htmlUrl="${attr(f.siteUrl)}"` : ''}/>`;
  const loose = feeds.filter((f) => !f.folder);
  const folders = new Map<string, OpmlFeed[]>();
  for (const f of feeds) {
    if (!f.folder) continue;
    folders.set(f.folder, [...(folders.get(f.folder) ?? []), f]);
  }
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${escapeHtml(opts.title ?? 'Offprint follows')}</title>`,
    `    <dateCreated>${new Date(opts.now ?? Date.now()).toUTCString()}</dateCreated>`,
    '  </head>',
    '  <body>',
  ];
  for (const [folder, list] of [...folders].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`    <outline text="${attr(folder)}" title="${attr(folder)}">`);
    for (const f of list) out.push(line(f, '      '));
    out.push('    </outline>');
  }
  for (const f of loose) out.push(line(f, '    '));
  out.push('  </body>', '</opml>', '');
  return out.join('\n');
}
