// Page furniture that is never part of the article: recommendation lists,
// sign-in walls, topic lists. Found by what the furniture says, because class
// names differ on every site while the headings read the same.

export const NOISE_HEADINGS =
  /^(?:more (?:relevant|related) posts|more from (?:this author|\S.{0,60})|related (?:posts|articles|stories|content|reading)|recommended(?: for you| reading| stories)?|you (?:might|may) also like|others also viewed|people also viewed|similar pages|explore (?:topics|more|related topics|content categories)|trending (?:now|posts|articles)|popular (?:posts|articles)|read next|what to read next|recommended from medium|more articles|latest posts|sign in to view more content|join now to see what you are missing|comments?|responses?|\d+\s+comments?|newsletter|subscribe(?: to .{0,40})?)$/i;
export const SIGN_IN_TEXT =
  /^(?:to view or add a comment, sign in|sign in to (?:view|see|comment|continue).{0,40}|join now|sign in|log in|create (?:a free|your) account.{0,40}|welcome back|new to \S+\? join now|agree & join .{0,40}|continue with google|by clicking continue.{0,200})$/i;
const BYLINE_ATTRS = /byline|author|post-meta|article-meta/i;
/** Longer than this, an "author" block is content (an author bio box is still furniture, see removeBylines). */
const MAX_BYLINE_CHARS = 160;
const NOISE_ROLES = new Set(['dialog', 'navigation', 'banner', 'contentinfo', 'complementary', 'search']);
/** Dialogs and landmarks that are never the article. One broad query, filtered here: cheaper than seven selectors. */
const isNoiseLandmark = (el: Element) => NOISE_ROLES.has(el.getAttribute('role') ?? '') || el.getAttribute('aria-modal') === 'true';

function normalized(el: Element): string {
  return (el.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The block a noise heading titles: its section, or its parent when that only holds the list. */
function headedBlock(heading: Element): Element {
  const section = heading.closest('section, aside, nav');
  if (section) return section;
  return heading.parentElement && heading.parentElement.tagName !== 'BODY' && heading.parentElement.tagName !== 'MAIN' && heading.parentElement.tagName !== 'ARTICLE' ? heading.parentElement : heading;
}

/** Removes recommendation blocks, sign-in prompts, dialogs and topic lists. */
export function removeNoise(root: ParentNode, keep?: Element): void {
  const safe = (el: Element) => !keep || (!el.contains(keep) && el !== keep);
  for (const el of [...root.querySelectorAll('[role], [aria-modal]')]) if (isNoiseLandmark(el) && safe(el)) el.remove();
  for (const heading of [...root.querySelectorAll('h2, h3, h4, [role="heading"]')]) {
    if (!heading.isConnected || !NOISE_HEADINGS.test(normalized(heading))) continue;
    const block = headedBlock(heading);
    if (safe(block)) block.remove();
  }
  // Prompts are short text nodes; walking text is linear, unlike asking every element for its text.
  const doc = (root as Node).ownerDocument ?? (root as Document);
  const walker = doc.createTreeWalker(root as Node, 4 /* NodeFilter.SHOW_TEXT */);
  const prompts = new Set<Element>();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    // The length first: most text is longer than a prompt, and then its string is never made.
    if ((node as CharacterData).length > 240) continue;
    const value = node.nodeValue ?? '';
    if (!/\b(?:sign|log) ?in\b|\bjoin\b|\baccount\b|continue with|welcome back|agree &|by clicking/i.test(value)) continue;
    let el = node.parentElement;
    // The smallest element whose whole text is the prompt (it may be split across inline tags).
    while (el && normalized(el).length < 240 && !SIGN_IN_TEXT.test(normalized(el))) el = el.parentElement;
    if (el && el.children.length <= 3 && SIGN_IN_TEXT.test(normalized(el))) prompts.add(el);
  }
  for (const el of prompts) {
    if (!el.isConnected) continue;
    // The prompt's own small box goes with it, never a big container.
    const box = el.parentElement && normalized(el.parentElement).length < 200 && el.parentElement.tagName !== 'BODY' ? el.parentElement : el;
    if (safe(box)) box.remove();
  }
}

const SOCIAL_URL =
  /^https?:\/\/(?:[\w-]+\.)?(?:linkedin\.com\/(?:posts|feed\/update|pulse)\/|(?:twitter|x)\.com\/[^/]+\/status\/|bsky\.app\/profile\/[^/]+\/post\/|threads\.net\/@[^/]+\/post\/|mastodon\.[^/]+\/@[^/]+\/\d+|[^/]+\/@[^/]+\/\d{6,})/i;

export function isSocialUrl(url: string): boolean {
  return SOCIAL_URL.test(url);
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * The element holding the post on a social-post page: the first article-like
 * element, or the one containing the post text the page declares.
 */
export function findPostRoot(doc: Document, postBody?: string): Element | undefined {
  const candidates = [...doc.querySelectorAll('[itemtype*="SocialMediaPosting"], article, [role="article"]')];
  if (!candidates.length) return undefined;
  if (postBody) {
    const start = squash(postBody).slice(0, 60);
    // Innermost match: a feed wrapper <article> may contain every post.
    const matching = candidates.filter((c) => squash(c.textContent ?? '').includes(start));
    const innermost = matching.find((c) => !matching.some((o) => o !== c && c.contains(o)));
    if (innermost) return innermost;
  }
  return candidates.find((c) => !c.parentElement?.closest('article, [role="article"]'));
}

const ACTION_TEXT = /^(?:like|comment|repost|share|send|reply|follow|\+ follow|report this post|copy link|more|see more|…more|\d[\d,.]*\s*(?:reactions?|comments?|reposts?|likes?|shares?|replies|views?)?)$/i;

/**
 * Strips a post of its action bar, counters and comment thread, and of the
 * author card above its text (the reader shows its own byline).
 */
export function cleanPost(post: Element, postBody?: string): void {
  if (postBody) dropLeadingCard(post, squash(postBody).slice(0, 60));
  for (const el of [...post.querySelectorAll('button, form, [role="button"], footer, nav, aside, [class*="comment"]')]) el.remove();
  for (const el of [...post.querySelectorAll('span, a, div, li, p')]) {
    if (el.isConnected && el.children.length <= 2 && ACTION_TEXT.test(normalized(el))) el.remove();
  }
}

/**
 * Removes byline rows (author, follow button, read time, date): the reader
 * shows its own byline from the metadata, so keeping them doubles it.
 */
export function removeBylines(root: ParentNode): void {
  const candidates = [...root.querySelectorAll('[class], [rel], [itemprop], [data-testid]')].filter((el) =>
    BYLINE_ATTRS.test(`${el.getAttribute('class') ?? ''} ${el.getAttribute('rel') ?? ''} ${el.getAttribute('itemprop') ?? ''} ${el.getAttribute('data-testid') ?? ''}`),
  );
  for (const el of candidates) {
    if (!el.isConnected || el.closest('pre, code, blockquote, h1, h2, h3, table')) continue;
    if (el.querySelector('p, pre, table, h1, h2, h3, figure, ul, ol')) continue;
    if (normalized(el).length <= MAX_BYLINE_CHARS) el.remove();
  }
}

function dropLeadingCard(post: Element, start: string): void {
  let text: Element | undefined;
  for (const el of post.querySelectorAll('*')) {
    if (squash(el.textContent ?? '').includes(start)) text = el; // document order: the last match is the deepest
    else if (text && !text.contains(el)) break;
  }
  for (let el = text; el && el !== post; el = el.parentElement ?? undefined) {
    while (el.previousElementSibling) {
      const prev = el.previousElementSibling;
      if (prev.querySelector('img') && !/^(?:a|div|span)$/i.test(prev.tagName)) break;
      prev.remove();
    }
  }
}
