/**
 * Gives every code block a "Copy code" button. Runs on the rendered body
 * (the HTML is sanitized, so the button is added here, not in the markup).
 */
export function addCopyButtons(root: HTMLElement, clipboard: Pick<Clipboard, 'writeText'> | undefined = navigator.clipboard): void {
  for (const pre of root.querySelectorAll('pre')) {
    if (pre.parentElement?.classList.contains('code-block')) continue;
    const wrap = root.ownerDocument.createElement('div');
    wrap.className = 'code-block';
    pre.replaceWith(wrap);
    wrap.append(pre);
    pre.tabIndex = 0;
    pre.setAttribute('aria-label', 'Code');
    const button = root.ownerDocument.createElement('button');
    button.type = 'button';
    button.className = 'copy-code';
    button.textContent = 'Copy';
    button.setAttribute('aria-label', 'Copy code');
    button.addEventListener('click', () => {
      void (clipboard?.writeText(pre.textContent ?? '') ?? Promise.reject(new Error('no clipboard'))).then(
        () => (button.textContent = 'Copied'),
        () => (button.textContent = 'Copy failed'),
      );
      setTimeout(() => (button.textContent = 'Copy'), 2000);
    });
    wrap.prepend(button);
  }
}
