import { describe, expect, it } from 'vitest';
import { restoreTarget, scrollProgress, timeLeft } from '../../../lib/reader/progress';

describe('reading progress', () => {
  it('measures scroll position as a fraction and counts a short page as read', () => {
    expect(scrollProgress(0, 3000, 1000)).toBe(0);
    expect(scrollProgress(1000, 3000, 1000)).toBe(0.5);
    expect(scrollProgress(2500, 3000, 1000)).toBe(1);
    expect(scrollProgress(0, 800, 1000)).toBe(1);
  });

  it('turns saved progress back into a scroll position', () => {
    expect(restoreTarget(0.5, 3000, 1000)).toBe(1000);
    expect(restoreTarget(0, 3000, 1000)).toBe(0);
  });

  it('shows time left, rounded up, and nothing at the end', () => {
    expect(timeLeft(10, 0)).toBe('10 min left');
    expect(timeLeft(10, 0.55)).toBe('5 min left');
    expect(timeLeft(10, 0.95)).toBe('1 min left');
    expect(timeLeft(10, 1)).toBe('');
    expect(timeLeft(0, 0.2)).toBe('');
  });
});
