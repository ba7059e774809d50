// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { isTypingOrModified } from '../../../components/library/keys';

function keyOn(el: Element, init: KeyboardEventInit = {}) {
  const e = new KeyboardEvent('keydown', { key: 'j', bubbles: true, ...init });
  Object.defineProperty(e, 'target', { value: el });
  return e;
}

describe('isTypingOrModified', () => {
  it('lets shortcuts through on buttons and checkboxes but not in text fields or with modifiers', () => {
    const text = document.createElement('input');
    const box = Object.assign(document.createElement('input'), { type: 'checkbox' });
    expect(isTypingOrModified(keyOn(text))).toBe(true);
    expect(isTypingOrModified(keyOn(document.createElement('textarea')))).toBe(true);
    expect(isTypingOrModified(keyOn(box))).toBe(false);
    expect(isTypingOrModified(keyOn(document.createElement('button')))).toBe(false);
    expect(isTypingOrModified(keyOn(document.createElement('button'), { ctrlKey: true }))).toBe(true);
  });
});

describe('articleKeyAction', () => {
  it('maps s, e, m and # to the action that fits the article, and nothing else', async () => {
    const { articleKeyAction } = await import('../../../components/library/keys');
    const a = { starred: 1 as const, box: 'archive' as const, isRead: 0 as const };
    expect(articleKeyAction(a, 's')).toEqual({ kind: 'unstar' });
    expect(articleKeyAction(a, 'e')).toEqual({ kind: 'unarchive' });
    expect(articleKeyAction(a, 'm')).toEqual({ kind: 'read' });
    expect(articleKeyAction(a, '#')).toEqual({ kind: 'delete' });
    expect(articleKeyAction({ starred: 0, box: 'inbox', isRead: 1 }, 's')).toEqual({ kind: 'star' });
    expect(articleKeyAction(a, 'x')).toBeUndefined();
  });
});
