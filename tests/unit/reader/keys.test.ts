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
