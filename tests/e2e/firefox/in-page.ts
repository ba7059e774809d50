/**
 * The part of the Firefox adapter that runs inside the page: it finds
 * elements for a chain of locator steps the way Playwright's getByRole,
 * getByText, getByLabel, locator and filter do, and reports what the
 * assertions need. `inPage` is sent whole with every call (puppeteer
 * serializes it with toString), so it must not use anything from outside
 * its own body.
 */

/** A string or a RegExp, in a form that survives JSON. */
export type TextMatch = { string: string } | { source: string; flags: string };

export type Step =
  | { kind: 'css'; selector: string }
  | { kind: 'role'; role: string; name?: TextMatch; exact?: boolean; level?: number; selected?: boolean; checked?: boolean; pressed?: boolean; expanded?: boolean; includeHidden?: boolean }
  | { kind: 'text'; text: TextMatch; exact?: boolean }
  | { kind: 'label'; text: TextMatch; exact?: boolean }
  | { kind: 'hasText'; text: TextMatch }
  | { kind: 'hasNotText'; text: TextMatch }
  | { kind: 'has'; steps: Step[] }
  | { kind: 'nth'; index: number };

/** What a locator's elements look like now, for assertions and errors. */
export interface Snapshot {
  count: number;
  visible: boolean[];
  texts: string[];
  names: string[];
  values: (string | null)[];
  attributes: Record<string, string | null>[];
}

export type Request = { op: 'snapshot'; steps: Step[]; attributes?: string[] } | { op: 'count'; steps: Step[] };

/** Runs in the page. With `handles`, returns the matched elements instead of a report. */
export function inPage(request: Request, handles?: boolean): unknown {
  const norm = (s: string) => s.replace(/[\u200b\u00ad]/g, '').replace(/\s+/g, ' ').trim();

  const matches = (value: string, m: TextMatch, exact = false): boolean => {
    const v = norm(value);
    if ('source' in m) return new RegExp(m.source, m.flags).test(v);
    const want = norm(m.string);
    return exact ? v === want : v.toLowerCase().includes(want.toLowerCase());
  };

  const isRendered = (el: Element): boolean => {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) return false;
    return getComputedStyle(el).visibility === 'visible';
  };

  const hiddenFromTree = (el: Element): boolean => {
    for (let e: Element | null = el; e; e = e.parentElement) {
      if (e.getAttribute('aria-hidden') === 'true') return true;
      const style = getComputedStyle(e);
      if (style.display === 'none') return true;
    }
    return getComputedStyle(el).visibility !== 'visible';
  };

  // Forms and sections have a role only with a name given by the author (never from content).
  const authorNamed = (el: Element): boolean => Boolean(el.getAttribute('aria-label')?.trim() || el.getAttribute('aria-labelledby') || el.getAttribute('title'));

  const implicitRole = (el: Element): string => {
    const tag = el.localName;
    const type = (el.getAttribute('type') ?? '').toLowerCase();
    switch (tag) {
      case 'a':
      case 'area':
        return el.hasAttribute('href') ? 'link' : '';
      case 'button':
        return 'button';
      case 'input':
        if (['button', 'submit', 'reset', 'image'].includes(type)) return 'button';
        if (type === 'checkbox') return 'checkbox';
        if (type === 'radio') return 'radio';
        if (type === 'range') return 'slider';
        if (type === 'number') return 'spinbutton';
        if (type === 'search') return el.hasAttribute('list') ? 'combobox' : 'searchbox';
        if (['', 'text', 'email', 'tel', 'url'].includes(type)) return el.hasAttribute('list') ? 'combobox' : 'textbox';
        return '';
      case 'textarea':
        return 'textbox';
      case 'select':
        return el.hasAttribute('multiple') || Number(el.getAttribute('size')) > 1 ? 'listbox' : 'combobox';
      case 'option':
        return 'option';
      case 'h1':
      case 'h2':
      case 'h3':
      case 'h4':
      case 'h5':
      case 'h6':
        return 'heading';
      case 'ul':
      case 'ol':
      case 'menu':
        return 'list';
      case 'li':
        return 'listitem';
      case 'nav':
        return 'navigation';
      case 'main':
        return 'main';
      case 'aside':
        return 'complementary';
      case 'article':
        return 'article';
      case 'dialog':
        return 'dialog';
      case 'fieldset':
      case 'details':
        return 'group';
      case 'form':
        return authorNamed(el) ? 'form' : '';
      case 'section':
        return authorNamed(el) ? 'region' : '';
      case 'header':
        return el.closest('article, aside, main, nav, section') ? '' : 'banner';
      case 'footer':
        return el.closest('article, aside, main, nav, section') ? '' : 'contentinfo';
      case 'img':
        return el.getAttribute('alt') === '' ? 'presentation' : 'img';
      case 'table':
        return 'table';
      case 'tr':
        return 'row';
      case 'td':
        return 'cell';
      case 'th':
        return 'columnheader';
      case 'progress':
        return 'progressbar';
      case 'output':
        return 'status';
      case 'hr':
        return 'separator';
      case 'p':
        return 'paragraph';
      case 'figure':
        return 'figure';
      case 'blockquote':
        return 'blockquote';
      case 'mark':
        return 'mark';
      case 'search':
        return 'search';
      default:
        return '';
    }
  };

  const roleOf = (el: Element): string => {
    const explicit = (el.getAttribute('role') ?? '').trim().split(/\s+/)[0];
    return explicit || implicitRole(el);
  };

  const NAME_FROM_CONTENT = new Set(['button', 'cell', 'checkbox', 'columnheader', 'gridcell', 'heading', 'link', 'menuitem', 'menuitemcheckbox', 'menuitemradio', 'option', 'radio', 'row', 'rowheader', 'switch', 'tab', 'tooltip', 'treeitem']);

  const textOf = (node: Node): string => {
    let out = '';
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) out += child.nodeValue ?? '';
      if (child.nodeType !== 1) continue;
      const el = child as Element;
      if (el.getAttribute('aria-hidden') === 'true' || ['script', 'style', 'template'].includes(el.localName)) continue;
      if (getComputedStyle(el).display === 'none') continue;
      const label = el.getAttribute('aria-label')?.trim();
      if (label) out += ` ${label} `;
      else if (el.localName === 'img') out += el.getAttribute('alt') ?? '';
      else if (el.localName === 'input') out += (el as HTMLInputElement).value;
      else {
        const block = getComputedStyle(el).display !== 'inline';
        out += block ? ` ${textOf(el)} ` : textOf(el);
      }
    }
    return out;
  };

  function accessibleName(el: Element): string {
    const doc = el.ownerDocument;
    const labelledBy = el.getAttribute('aria-labelledby');
    if (labelledBy) {
      const parts = labelledBy.split(/\s+/).map((id) => doc.getElementById(id)).filter((e): e is HTMLElement => !!e);
      if (parts.length) return norm(parts.map((p) => p.getAttribute('aria-label') ?? textOf(p)).join(' '));
    }
    const label = el.getAttribute('aria-label');
    if (label?.trim()) return norm(label);
    const tag = el.localName;
    if (tag === 'input' || tag === 'textarea' || tag === 'select') {
      const input = el as HTMLInputElement;
      const type = (el.getAttribute('type') ?? '').toLowerCase();
      if (['button', 'submit', 'reset'].includes(type)) return norm(input.value || (type === 'submit' ? 'Submit' : type === 'reset' ? 'Reset' : ''));
      if (type === 'image') return norm(el.getAttribute('alt') ?? '');
      const fromLabels = [...(input.labels ?? [])].map((l) => textOf(l)).join(' ');
      if (norm(fromLabels)) return norm(fromLabels);
      return norm(el.getAttribute('title') ?? el.getAttribute('placeholder') ?? '');
    }
    if (tag === 'img') return norm(el.getAttribute('alt') ?? el.getAttribute('title') ?? '');
    if (tag === 'fieldset') {
      const legend = el.querySelector(':scope > legend');
      if (legend) return norm(textOf(legend));
    }
    if (tag === 'table') {
      const caption = el.querySelector(':scope > caption');
      if (caption) return norm(textOf(caption));
    }
    if (NAME_FROM_CONTENT.has(roleOf(el))) {
      const text = norm(textOf(el));
      if (text) return text;
    }
    return norm(el.getAttribute('title') ?? '');
  }

  const labelText = (el: Element): string[] => {
    const out: string[] = [];
    const label = el.getAttribute('aria-label');
    if (label) out.push(label);
    const labelledBy = el.getAttribute('aria-labelledby');
    if (labelledBy) for (const id of labelledBy.split(/\s+/)) out.push(el.ownerDocument.getElementById(id)?.textContent ?? '');
    for (const l of (el as HTMLInputElement).labels ?? []) out.push(textOf(l));
    return out;
  };

  const stateOf = (el: Element, attr: string, prop?: string): boolean => {
    const value = el.getAttribute(attr);
    if (value !== null) return value === 'true';
    return prop ? Boolean((el as unknown as Record<string, unknown>)[prop]) : false;
  };

  const descendants = (root: Document | Element): Element[] => [...root.querySelectorAll('*')];

  const unique = (els: Element[]): Element[] => {
    const set = new Set(els);
    if (set.size === els.length) return els;
    return [...set].sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  };

  const run = (roots: (Document | Element)[], steps: Step[]): Element[] => {
    let current: (Document | Element)[] = roots;
    for (const step of steps) {
      const scopes = current;
      let next: Element[];
      switch (step.kind) {
        case 'css':
          next = unique(scopes.flatMap((r) => [...r.querySelectorAll(step.selector)]));
          break;
        case 'role':
          next = unique(
            scopes.flatMap((r) =>
              descendants(r).filter((el) => {
                if (roleOf(el) !== step.role) return false;
                if (!step.includeHidden && hiddenFromTree(el)) return false;
                if (step.level !== undefined && Number(el.getAttribute('aria-level') ?? el.localName.slice(1)) !== step.level) return false;
                if (step.selected !== undefined && stateOf(el, 'aria-selected', 'selected') !== step.selected) return false;
                if (step.checked !== undefined && stateOf(el, 'aria-checked', 'checked') !== step.checked) return false;
                if (step.pressed !== undefined && stateOf(el, 'aria-pressed') !== step.pressed) return false;
                if (step.expanded !== undefined && stateOf(el, 'aria-expanded', 'open') !== step.expanded) return false;
                return step.name === undefined || matches(accessibleName(el), step.name, step.exact);
              }),
            ),
          );
          break;
        case 'text': {
          const hit = (el: Element) => !['script', 'style', 'head', 'title', 'template', 'html', 'body'].includes(el.localName) && matches(el.textContent ?? '', step.text, step.exact);
          // The innermost elements whose text matches, as Playwright's text engine picks them.
          next = unique(scopes.flatMap((r) => descendants(r).filter((el) => hit(el) && ![...el.children].some(hit))));
          break;
        }
        case 'label':
          next = unique(scopes.flatMap((r) => descendants(r).filter((el) => ['input', 'textarea', 'select'].includes(el.localName) || el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby')).filter((el) => labelText(el).some((t) => matches(t, step.text, step.exact)))));
          break;
        case 'hasText':
          next = (scopes as Element[]).filter((el) => matches(el.textContent ?? '', step.text));
          break;
        case 'hasNotText':
          next = (scopes as Element[]).filter((el) => !matches(el.textContent ?? '', step.text));
          break;
        case 'has':
          next = (scopes as Element[]).filter((el) => run([el], step.steps).length > 0);
          break;
        case 'nth': {
          const el = step.index < 0 ? scopes.at(step.index) : scopes[step.index];
          next = el ? [el as Element] : [];
          break;
        }
      }
      current = next;
    }
    return current as Element[];
  };

  const found = run([document], request.steps);
  if (handles) return found;
  if (request.op === 'count') return found.length;
  return {
    count: found.length,
    visible: found.map(isRendered),
    texts: found.map((el) => el.textContent ?? ''),
    names: found.map(accessibleName),
    values: found.map((el) => ('value' in el ? String((el as HTMLInputElement).value) : null)),
    attributes: found.map((el) => Object.fromEntries((request.attributes ?? []).map((a) => [a, el.getAttribute(a)]))),
  } satisfies Snapshot;
}
