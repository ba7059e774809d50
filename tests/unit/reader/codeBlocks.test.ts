// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { addCopyButtons } from '../../../components/reader/codeBlocks';

describe('addCopyButtons', () => {
  it('wraps each code block once with a button that copies its exact text', async () => {
    const root = document.createElement('div');
    root.innerHTML = '<p>x</p><pre><code>kubectl get pods\n  -n prod</code></pre>';
    const writeText = vi.fn(async () => undefined);
    addCopyButtons(root, { writeText });
    addCopyButtons(root, { writeText });
    const buttons = root.querySelectorAll('button');
    expect(buttons).toHaveLength(1);
    expect(buttons[0]!.getAttribute('aria-label')).toBe('Copy code');
    buttons[0]!.click();
    expect(writeText).toHaveBeenCalledWith('kubectl get pods\n  -n prod');
    await vi.waitFor(() => expect(buttons[0]!.textContent).toBe('Copied'));
  });
});
