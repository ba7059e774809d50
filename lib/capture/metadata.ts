import { cleanUrl } from '../urls/clean';

/** What a page says about itself, from JSON-LD, meta tags and links. */
export interface PageMetadata {
  /** Canonical URL, tracking parameters removed. */
  url: string;
  /** Medium's stable post id as a feed guid, so a clip meets its feed copy. */
  guid?: string;
  title?: string;
  author?: string;
  siteName?: string;
  publishedAt?: number;
  updatedAt?: number;
  lang?: string;
  excerpt?: string;
  leadImage?: string;
  /** JSON-LD type said this is a social-media or forum post. */
  socialPost: boolean;
  /** The post's text as JSON-LD gives it, to find the post on the page. */
  postBody?: string;
}

type Json = Record<string, unknown>;

const ARTICLE_TYPES = /^(?:Article|NewsArticle|BlogPosting|TechArticle|Report|ScholarlyArticle|SocialMediaPosting|DiscussionForumPosting|LiveBlogPosting|AnalysisNewsArticle|OpinionNewsArticle|HowTo)$/;
const SOCIAL_TYPES = /^(?:SocialMediaPosting|DiscussionForumPosting)$/;

function types(o: Json): string[] {
  const t = o['@type'];
  return (Array.isArray(t) ? t : [t]).filter((x): x is string => typeof x === 'string');
}

function jsonLdObjects(doc: Document): Json[] {
  const out: Json[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!v || typeof v !== 'object') return;
    const o = v as Json;
    out.push(o);
    if (o['@graph']) visit(o['@graph']);
    if (o.mainEntity) visit(o.mainEntity);
  };
  for (const script of doc.querySelectorAll('script[type="application/ld+json"]')) {
    try {
      visit(JSON.parse(script.textContent ?? ''));
    } catch {
      // Broken JSON-LD is common; meta tags still answer.
    }
  }
  return out;
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (Array.isArray(v)) return v.map(text).filter(Boolean).join(', ') || undefined;
  if (v && typeof v === 'object') return text((v as Json).name);
  return undefined;
}

function imageUrl(v: unknown): string | undefined {
  if (typeof v === 'string') return v || undefined;
  if (Array.isArray(v)) return imageUrl(v[0]);
  if (v && typeof v === 'object') return imageUrl((v as Json).url ?? (v as Json).contentUrl);
  return undefined;
}

function date(v: string | undefined | null): number | undefined {
  if (!v) return undefined;
  const t = Date.parse(v.trim());
  return Number.isFinite(t) ? t : undefined;
}

/** Every <meta> by property, name and itemprop, read in one pass (pages can be huge). */
const metaCache = new WeakMap<Document, Map<string, string>>();
function metaIndex(doc: Document): Map<string, string> {
  let index = metaCache.get(doc);
  if (index) return index;
  index = new Map();
  for (const el of doc.getElementsByTagName('meta')) {
    const content = el.getAttribute('content')?.trim();
    if (!content) continue;
    for (const attr of ['property', 'name', 'itemprop']) {
      const key = el.getAttribute(attr);
      if (key && !index.has(key)) index.set(key, content);
    }
  }
  metaCache.set(doc, index);
  return index;
}

function meta(doc: Document, ...keys: string[]): string | undefined {
  const index = metaIndex(doc);
  for (const key of keys) {
    const v = index.get(key);
    if (v) return v;
  }
  return undefined;
}

function absolute(url: string | undefined, base: string): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url, base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The canonical URL unless it is implausible: a site's home page given as the
 * canonical of an article is a common mistake, and would merge unrelated clips.
 */
export function canonicalUrl(doc: Document, pageUrl: string): string {
  const link = [...doc.getElementsByTagName('link')].find((l) => /(?:^|\s)canonical(?:\s|$)/i.test(l.getAttribute('rel') ?? ''));
  const declared = absolute(link?.getAttribute('href') ?? meta(doc, 'og:url'), pageUrl);
  let chosen = pageUrl;
  if (declared) {
    const page = new URL(pageUrl);
    const canon = new URL(declared);
    if (!(canon.pathname === '/' && page.pathname !== '/')) chosen = declared;
  }
  return cleanUrl(chosen);
}

function mediumGuid(doc: Document): string | undefined {
  const appUrl = meta(doc, 'al:android:url', 'al:ios:url', 'twitter:app:url:iphone');
  const id = /^medium:\/\/p\/([0-9a-f]{8,16})$/i.exec(appUrl ?? '')?.[1];
  return id ? `https://medium.com/p/${id.toLowerCase()}` : undefined;
}

/** LinkedIn's “<post> | <Name> | 23 comments”. */
function isSocialTitle(doc: Document): boolean {
  return / \| [^|]{2,80} \| \d[\d,.]*\s+comments?$/i.test((meta(doc, 'og:title') ?? doc.title).trim());
}

/**
 * The poster's name in a social page title: LinkedIn's “<post> | <Name> | 23
 * comments”, or “<Name> on LinkedIn: …”, “<Name> on X: …”, “<Name> (@handle) on X”.
 */
export function posterFromTitle(title: string | undefined): string | undefined {
  const t = (title ?? '').trim();
  const piped = /\| ([^|]{2,80}) \| \d[\d,.]*\s+comments?$/i.exec(t);
  if (piped) return piped[1]!.trim();
  const on = /^(.{2,80}?)(?: \(@[\w.]+\))? on (?:LinkedIn|X|Twitter|Threads|Bluesky|Mastodon)\b/.exec(t);
  return on ? on[1]!.trim() : undefined;
}

function authorFromMeta(doc: Document): string | undefined {
  const v = meta(doc, 'author', 'article:author', 'byl', 'parsely-author', 'sailthru.author', 'twitter:data1');
  // article:author is often a profile URL, not a name.
  if (!v || /^https?:\/\//.test(v)) return undefined;
  return v.replace(/^by\s+/i, '');
}

export function extractMetadata(doc: Document, pageUrl = doc.URL): PageMetadata {
  const ld = jsonLdObjects(doc);
  const article = ld.find((o) => types(o).some((t) => ARTICLE_TYPES.test(t)));
  const social = ld.find((o) => types(o).some((t) => SOCIAL_TYPES.test(t)));
  const publisher = article?.publisher as Json | undefined;
  const htmlLang = doc.documentElement.getAttribute('lang')?.trim();
  const locale = meta(doc, 'og:locale')?.replace('_', '-');
  const published = date(text(article?.datePublished)) ?? date(meta(doc, 'article:published_time', 'datePublished', 'date', 'pubdate', 'DC.date.issued')) ?? date(doc.getElementsByTagName('time')[0]?.getAttribute('datetime'));
  const modified = date(text(article?.dateModified)) ?? date(meta(doc, 'article:modified_time', 'dateModified'));
  return {
    url: canonicalUrl(doc, pageUrl),
    guid: mediumGuid(doc),
    title: text(article?.headline) ?? meta(doc, 'og:title', 'twitter:title') ?? undefined,
    // A social post's author is its poster (JSON-LD, or the page title's “… | Name | 12 comments”).
    author: text(article?.author) ?? text(social?.author) ?? authorFromMeta(doc) ?? (social || isSocialTitle(doc) ? posterFromTitle(meta(doc, 'og:title', 'twitter:title') ?? doc.title) : undefined),
    siteName: meta(doc, 'og:site_name', 'application-name') ?? text(publisher?.name),
    publishedAt: published,
    updatedAt: modified,
    lang: htmlLang || locale || text(article?.inLanguage) || undefined,
    excerpt: meta(doc, 'og:description', 'description', 'twitter:description') ?? text(article?.description),
    leadImage: absolute(meta(doc, 'og:image', 'og:image:url', 'twitter:image', 'twitter:image:src') ?? imageUrl(article?.image), pageUrl),
    socialPost: !!social,
    postBody: text(social?.articleBody) ?? text(social?.text),
  };
}
