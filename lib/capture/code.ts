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
  const code = pre.querySelector('code');
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
 */
export function codeText(pre: Element): string {
  const work = pre.cloneNode(true) as Element;
  for (const el of [...work.querySelectorAll('*')]) {
    if (GUTTER.test(el.getAttribute('class') ?? '')) el.remove();
  }
  for (const br of [...work.querySelectorAll('br')]) br.replaceWith(work.ownerDocument.createTextNode('\n'));
  joinLines(work);
  const single = work.children.length === 1 && work.firstElementChild?.tagName === 'CODE' ? work.firstElementChild : undefined;
  if (single) joinLines(single);
  return (work.textContent ?? '').replace(/\u00a0/g, ' ').replace(/\r\n?/g, '\n');
}

/** Adds the newline a stylesheet would have drawn between line elements. */
function joinLines(container: Element): void {
  const lines = [...container.children].filter((el) => el.tagName === 'DIV' || el.tagName === 'P' || ((el.tagName === 'SPAN' || el.tagName === 'CODE') && LINE_CLASS.test(el.getAttribute('class') ?? '')));
  if (lines.length < 2) {
    // <pre><code>line</code><code>line</code></pre>: each code is a line.
    const codes = [...container.children].filter((el) => el.tagName === 'CODE');
    if (codes.length < 2 || codes.length !== container.children.length) return;
    lines.splice(0, lines.length, ...codes);
  }
  for (const line of lines.slice(0, -1)) {
    const next = line.nextSibling;
    const alreadyBroken = (line.textContent ?? '').endsWith('\n') || (next?.nodeType === 3 && (next.nodeValue ?? '').startsWith('\n'));
    if (!alreadyBroken) line.after(container.ownerDocument.createTextNode('\n'));
  }
}

/** Rewrites every code block under `root` into normalized form. */
export function normalizeCodeBlocks(root: ParentNode): void {
  const doc = (root as Node).ownerDocument ?? (root as Document);
  // Tables of line numbers beside the code (Pygments, Hexo): keep only the code.
  for (const gutter of [...root.querySelectorAll('td.gutter, td.linenos, td.line-numbers, td.blob-num')]) gutter.remove();
  // Nested pres (rare) are handled through their outermost block.
  const pres = [...root.querySelectorAll('pre')].filter((pre) => !pre.parentElement?.closest('pre'));
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
