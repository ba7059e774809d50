// Small helpers shared by the JSON and XML feed readers.
import { cleanUrl, isTrackingPixel } from '../urls/clean';
import { decodeEntities } from './xml';

/** The first real image in an HTML fragment (never a tracking pixel). */
export function firstImage(html: string): string | undefined {
  for (const m of html.matchAll(/<img\b[^>]*?\ssrc\s*=\s*["']([^"']+)["'][^>]*>/gi)) {
    const src = decodeEntities(m[1]!);
    if (!isTrackingPixel(src) && !/\swidth=["']?1["'\s]/.test(m[0])) return src;
  }
  return undefined;
}

/** Makes href/src attributes absolute against an xml:base. */
export function absolutizeHtml(html: string, base: string): string {
  return html.replace(/(\s(?:href|src)\s*=\s*)(["'])([^"']*)\2/gi, (whole, pre: string, q: string, value: string) => {
    if (/^(?:[a-z][a-z0-9+.-]*:|#)/i.test(value)) return whole;
    return `${pre}${q}${absUrl(decodeEntities(value), base) ?? value}${q}`;
  });
}

export function textToHtml(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return escaped
    .split(/\n{2,}/)
    .map((p) => `<p>${p.replace(/\n/g, '<br>')}</p>`)
    .join('');
}

export function htmlToPlain(html: string): string {
  return clean(decodeEntities(html.replace(/<\/?(?:p|div|br|li|h[1-6]|pre|blockquote)\b[^>]*>/gi, ' ').replace(/<[^>]*>/g, '')));
}

export function titleFromHtml(html: string): string {
  const text = htmlToPlain(html);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

export function clean(s: string | undefined): string {
  return (s ?? '').replace(/\s+/g, ' ').trim();
}

export function absUrl(value: string | undefined, base: string, clean = false): string | undefined {
  if (!value) return undefined;
  try {
    const href = new URL(value.trim(), base).href;
    return clean ? cleanUrl(href) : href;
  } catch {
    return undefined;
  }
}

export function date(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const t = Date.parse(value.trim());
  return Number.isNaN(t) ? undefined : t;
}

export function isMediumUrl(url: string): boolean {
  try {
    const h = new URL(url).hostname;
    return h === 'medium.com' || h.endsWith('.medium.com');
  } catch {
    return false;
  }
}

export function hostTitle(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return 'Untitled feed';
  }
}
