import { describe, expect, it, vi } from 'vitest';
import { createOffscreenPrepare, type OffscreenApi } from '../../../lib/dom/offscreen';

function fakeApi(): OffscreenApi & { created: number } {
  let exists = false;
  const api = {
    created: 0,
    hasDocument: vi.fn(async () => exists),
    createDocument: vi.fn(async () => {
      await new Promise((r) => setTimeout(r, 5));
      api.created += 1;
      exists = true;
    }),
    sendMessage: vi.fn(async (message: unknown) => {
      const { payload } = message as { payload: { items: { html: string }[] } };
      return { ok: true, value: payload.items.map((i) => ({ html: i.html, text: 'T' })) };
    }),
  };
  return api;
}

describe('createOffscreenPrepare', () => {
  it('creates the offscreen document once, even for concurrent callers', async () => {
    const api = fakeApi();
    const prepare = createOffscreenPrepare(api);
    const results = await Promise.all([prepare([{ html: '<p>a</p>' }]), prepare([{ html: '<p>b</p>' }])]);
    expect(api.created).toBe(1);
    expect(results.map((r) => r[0]!.html)).toEqual(['<p>a</p>', '<p>b</p>']);
  });

  it('surfaces the offscreen document’s error', async () => {
    const api = fakeApi();
    api.sendMessage = async () => ({ ok: false, error: 'DOMPurify is not supported' });
    await expect(createOffscreenPrepare(api)([{ html: 'x' }])).rejects.toThrow('DOMPurify is not supported');
  });
});
