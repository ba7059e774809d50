// Code blocks, normalized before Readability sees them: each becomes
// <pre><code data-offprint-lang="…">exact text</code></pre>. Flattening keeps
// whitespace byte-exact (Readability turns <br><br> into paragraphs, and
// highlighter spans lose their classes anyway) and survives any markup.

export const LANG_ATTR = 'data-offprint-lang';

const LANG_CLASS = /^(?:language|lang|highlight-source|highlight|sourcecode)-([a-z][\w+#.-]*)$/i;
const LANG_DATA_ATTRS = ['data-code-block-lang', 'data-lang', 'data-language', 'data-code-language'];
const NOT_LANGUAGES = new Set(['none', 'plaintext', 'text', 'plain', 'nohighlight', 'highlight', 'highlighter', 'rouge', 'source', 'hljs', 'code', 'default']);
const GUTTER = /(?:^|\s)(?:line-?numbers?(?:-rows)?|lineno|linenos|gutter|hljs-ln-numbers|code-line-number)(?:\s|$)/i;
const LINE_CLASS = /(?:^|[\s_-])(?:line|code-line|token-line|cl|ln)(?:$|[\s_-])/i;

// Highlighters that name the language as a bare class next to their own
// (Rouge: "highlight go", highlight.js: "hljs yaml", Pandoc: "sourceCode bash").
const HIGHLIGHTER_CLASSES = new Set(['highlight', 'hljs', 'sourcecode', 'prettyprint', 'code']);
const KNOWN_LANGUAGES = new Set(
  'bash sh shell zsh console powershell ps1 go golang yaml yml json jsonc toml ini xml html css scss python py ruby rb rust rs java kotlin kt scala groovy c cpp csharp cs fsharp swift php perl lua r sql hcl terraform tf dockerfile docker makefile make nginx diff js javascript jsx ts typescript tsx graphql proto protobuf elixir erlang haskell clojure dart zig nix jinja promql rego cue'.split(' '),
);

function languageOf(el: Element): string | undefined {
  for (const attr of LANG_DATA_ATTRS) {
    const v = el.getAttribute(attr)?.trim().toLowerCase();
    if (v && !NOT_LANGUAGES.has(v)) return v;
  }
  const classes = el.getAttribute('class') ?? '';
  for (const token of classes.split(/\s+/)) {
    const m = LANG_CLASS.exec(token);
    const lang = m?.[1]?.toLowerCase();
    if (lang && !NOT_LANGUAGES.has(lang)) return lang;
  }
  const tokens = classes.toLowerCase().split(/\s+/);
  if (tokens.some((t) => HIGHLIGHTER_CLASSES.has(t))) return tokens.find((t) => KNOWN_LANGUAGES.has(t));
  return undefined;
}

/** The language a page gives a code block: on the pre, its code, or a wrapper. */
export function codeLanguage(pre: Element): string | undefined {
  const code = pre.getElementsByTagName('code')[0];
  const tagged = pre.querySelector(LANG_DATA_ATTRS.map((a) => `[${a}]`).join(', '));
  const candidates = [code, tagged, pre, pre.parentElement, pre.parentElement?.parentElement].filter((e): e is Element => !!e);
  for (const el of candidates) {
    const lang = languageOf(el);
    if (lang) return lang;
  }
  return undefined;
}

/**
 * The exact text of a code block: <br> and one-element-per-line markup become
 * newlines, line-number gutters are dropped, non-breaking spaces become spaces.
 * Reads the block in one walk, without copying or changing it.
 */
export function codeText(pre: Element): string {
  const out: string[] = [];
  const kids = blockChildren(pre);
  // Line elements sit directly in the <pre>, or in its only child when that is a <code>.
  const linesIn = kids.length === 1 && kids[0]!.tagName === 'CODE' ? kids[0]! : pre;
  appendCode(pre, out, linesIn, linesIn === pre ? lineBreaks(kids) : undefined);
  return out.join('').replace(/\u00a0/g, ' ').replace(/\r\n?/g, '\n');
}

const isGutter = (el: Element) => GUTTER.test(el.getAttribute('class') ?? '');

/** Element children that are part of the code: not gutters, not <br> (which are line breaks). */
function blockChildren(el: Element): Element[] {
  const kids: Element[] = [];
  for (let child = el.firstElementChild; child; child = child.nextElementSibling) {
    if (child.tagName !== 'BR' && !isGutter(child)) kids.push(child);
  }
  return kids;
}

/**
 * The line elements after which a stylesheet would have drawn a line break:
 * every line but the last, when the children are one element per line.
 */
function lineBreaks(kids: Element[]): Set<Element> | undefined {
  let lines = kids.filter((el) => el.tagName === 'DIV' || el.tagName === 'P' || ((el.tagName === 'SPAN' || el.tagName === 'CODE') && LINE_CLASS.test(el.getAttribute('class') ?? '')));
  if (lines.length < 2) {
    // <pre><code>line</code><code>line</code></pre>: each code is a line.
    const codes = kids.filter((el) => el.tagName === 'CODE');
    if (codes.length < 2 || codes.length !== kids.length) return undefined;
    lines = codes;
  }
  return new Set(lines.slice(0, -1));
}

function appendCode(parent: Element, out: string[], linesIn: Element, breaks: Set<Element> | undefined): void {
  for (let child = parent.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === 3 || child.nodeType === 4) {
      out.push(child.nodeValue ?? '');
      continue;
    }
    if (child.nodeType !== 1) continue;
    const el = child as Element;
    // A bare <br> (most lines of a Medium block) is a line break without asking its class.
    if (el.tagName === 'BR' && !el.hasAttributes()) {
      out.push('\n');
      continue;
    }
    if (isGutter(el)) continue;
    if (el.tagName === 'BR') {
      out.push('\n');
      continue;
    }
    const start = out.length;
    appendCode(el, out, linesIn, el === linesIn ? lineBreaks(blockChildren(el)) : undefined);
    if (breaks?.has(el) && !endsWithNewline(out, start) && !nextStartsWithNewline(el)) out.push('\n');
  }
}

function endsWithNewline(out: string[], from: number): boolean {
  for (let i = out.length - 1; i >= from; i--) if (out[i]) return out[i]!.endsWith('\n');
  return false;
}

/** Whether what follows a line (gutters aside) already starts a new line. */
function nextStartsWithNewline(line: Element): boolean {
  let next = line.nextSibling;
  while (next && next.nodeType === 1 && isGutter(next as Element)) next = next.nextSibling;
  if (!next) return false;
  if (next.nodeType === 1) return (next as Element).tagName === 'BR';
  return next.nodeType === 3 && (next.nodeValue ?? '').startsWith('\n');
}

/** Rewrites every code block under `root` into normalized form. */
export function normalizeCodeBlocks(root: ParentNode): void {
  const doc = (root as Node).ownerDocument ?? (root as Document);
  // Tables of line numbers beside the code (Pygments, Hexo): keep only the code.
  for (const gutter of [...root.querySelectorAll('td.gutter, td.linenos, td.line-numbers, td.blob-num')]) gutter.remove();
  // Nested pres (rare) are handled through their outermost block.
  // Gist placeholders (lib/gists/embeds.ts) are filled later, not code yet.
  const pres = [...root.querySelectorAll('pre')].filter((pre) => !pre.parentElement?.closest('pre') && !pre.hasAttribute('data-offprint-gist'));
  for (const pre of pres) {
    const lang = codeLanguage(pre);
    const text = codeText(pre);
    const code = doc.createElement('code');
    code.textContent = text;
    if (lang) code.setAttribute(LANG_ATTR, lang);
    const fresh = doc.createElement('pre');
    fresh.append(code);
    pre.replaceWith(fresh);
  }
}

/** After Readability: the language becomes the class the sanitizer keeps. */
export function finishCodeBlocks(root: ParentNode): void {
  for (const code of [...root.querySelectorAll(`code[${LANG_ATTR}]`)]) {
    code.setAttribute('class', `language-${code.getAttribute(LANG_ATTR)}`);
    code.removeAttribute(LANG_ATTR);
  }
}
