import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createListener, sendMessage } from '../../../lib/messages';

describe('message protocol', () => {
  it('round-trips a typed request through a runtime listener', async () => {
    fakeBrowser.reset();
    fakeBrowser.runtime.onMessage.addListener(createListener({ ping: () => 'pong' as const }));
    await expect(sendMessage((m) => fakeBrowser.runtime.sendMessage(m), 'ping')).resolves.toBe('pong');
  });

  it('turns a handler error into a rejected promise with its message', async () => {
    const listener = createListener({
      'library:add': () => {
        throw new Error('Disk is full');
      },
    });
    const send = async (m: unknown) => listener(m, {});
    await expect(sendMessage(send, 'library:add', { articles: [] })).rejects.toThrow('Disk is full');
  });

  it('ignores messages it has no handler for, so another context can answer', () => {
    const listener = createListener({ ping: () => 'pong' as const });
    expect(listener({ type: 'dom:prepare', payload: { items: [] } }, {})).toBeUndefined();
    expect(listener('not an envelope', {})).toBeUndefined();
  });
});
