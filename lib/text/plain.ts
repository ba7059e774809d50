/**
 * Titles, authors and feed names from outside (feeds, pages, files) as plain
 * text: HTML tags are removed (with the contents of script and style), the
 * entities decoded, whitespace collapsed. Works without a DOM (the Chrome
 * background has none). Angle brackets that are not an HTML tag stay, so
 * “Using <T> in Go” keeps its <T>.
 */
const TAG_NAMES =
  'a|abbr|b|big|blockquote|br|center|cite|code|del|dfn|div|em|font|h[1-6]|hr|i|img|ins|kbd|label|li|mark|nobr|ol|p|picture|q|s|samp|small|source|span|strike|strong|sub|sup|svg|path|time|tt|u|ul|var|wbr|figure|figcaption|section|article|header|footer|iframe|video|audio|object|embed|input|button|form|meta|link|title|noscript';
const DROP_WITH_CONTENT = /<(script|style|template)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const TAG = new RegExp(`<\\/?(?:${TAG_NAMES})(?:\\s[^<>]*)?\\/?>`, 'gi');
const COMMENT = /<!--[\s\S]*?-->/g;

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', mdash: '—', ndash: '–', hellip: '…', rsquo: '’', lsquo: '‘', rdquo: '”', ldquo: '“', copy: '©', reg: '®', trade: '™' };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) => {
    const lower = e.toLowerCase();
    const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : lower.startsWith('#') ? parseInt(lower.slice(1), 10) : NaN;
    if (!Number.isNaN(code)) {
      try {
        return String.fromCodePoint(code);
      } catch {
        return whole;
      }
    }
    return NAMED[lower] ?? whole;
  });
}

function stripTags(s: string): string {
  return s.replace(COMMENT, '').replace(DROP_WITH_CONTENT, '').replace(TAG, '');
}

export function plainText(raw: string | undefined): string {
  if (!raw) return '';
  // Twice: a title escaped once (&lt;b&gt;) is markup too once decoded.
  let s = stripTags(raw);
  s = stripTags(decodeEntities(s));
  // Control characters and line breaks become spaces; typographic spaces (hair, thin) stay as written.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/ {2,}/g, ' ').trim();
}
