import { describe, expect, it, vi } from 'vitest';
import { BADGE, type FeedbackApi } from '../../../lib/capture/feedback';
import { scriptingCapture, OPTIONS_KEY, type ScriptingApi } from '../../../lib/capture/inject';
import { PageCaptureError } from '../../../lib/capture/save';
import { targetTabId } from '../../../lib/capture/target';
import { MENU_SAVE_PAGE, MENU_SAVE_SELECTION, onCommand, onMenuClick, registerMenus, type TriggerDeps } from '../../../lib/capture/triggers';

function fakeFeedback() {
  const log: string[] = [];
  const api: FeedbackApi = {
    setBadgeText: async ({ tabId, text }) => void log.push(`text ${tabId} ${text}`),
    setBadgeBackgroundColor: async ({ color }) => void log.push(`color ${color}`),
    notify: async (title, message) => void log.push(`notify ${title}: ${message}`),
    sleep: async () => void log.push('sleep'),
  };
  return { api, log };
}

function deps(capture: TriggerDeps['capture']) {
  const feedback = fakeFeedback();
  return { deps: { capture, feedback: feedback.api, activeTabId: async () => 99 } satisfies TriggerDeps, log: feedback.log };
}

describe('context menu and shortcut', () => {
  it('registers "Save page" and a selection-only "Save selection", on web pages only', async () => {
    const created: unknown[] = [];
    await registerMenus({ removeAll: async () => undefined, create: (item) => created.push(item) });
    const webPages = ['http://*/*', 'https://*/*', 'file:///*'];
    expect(created).toEqual([
      { id: MENU_SAVE_PAGE, title: 'Save page to Offprint', contexts: ['page', 'selection', 'frame', 'image'], documentUrlPatterns: webPages },
      { id: MENU_SAVE_SELECTION, title: 'Save selection to Offprint', contexts: ['selection'], documentUrlPatterns: webPages },
    ]);
  });

  it('saves the clicked tab, flashes the badge, then clears it', async () => {
    const capture = vi.fn(async () => ({ status: 'added' as const, id: 'a', title: 'T' }));
    const { deps: d, log } = deps(capture);
    await onMenuClick(d, { menuItemId: MENU_SAVE_SELECTION }, { id: 5 });
    expect(capture).toHaveBeenCalledWith({ tabId: 5, selectionOnly: true });
    expect(log).toEqual([`color ${BADGE.saving.color}`, `text 5 ${BADGE.saving.text}`, `color ${BADGE.added.color}`, `text 5 ${BADGE.added.text}`, 'sleep', 'text 5 null']);
  });

  it('explains a failure in a notification, since a badge cannot', async () => {
    const { deps: d, log } = deps(async () => {
      throw new Error('This is a browser page.');
    });
    await onCommand(d, 'save-page', undefined);
    expect(log).toContain(`text 99 ${BADGE.failed.text}`);
    expect(log).toContain('notify Offprint couldn’t save this page: This is a browser page.');
  });

  it('shows "updated" and notifies a capture warning; ignores other commands and menu ids', async () => {
    const capture = vi.fn(async () => ({ status: 'updated' as const, id: 'a', title: 'T', warning: 'Main text only' }));
    const { deps: d, log } = deps(capture);
    await onCommand(d, 'save-page', { id: 3 });
    expect(capture).toHaveBeenCalledWith({ tabId: 3, selectionOnly: false });
    expect(log).toContain(`text 3 ${BADGE.updated.text}`);
    expect(log).toContain('notify Saved “T” with a warning: Main text only');
    expect(onCommand(d, 'other', { id: 3 })).toBeUndefined();
    expect(onMenuClick(d, { menuItemId: 'other' }, { id: 3 })).toBeUndefined();
  });
});

describe('scriptingCapture', () => {
  it('passes options into the page, then runs the script file and returns its page', async () => {
    const calls: unknown[] = [];
    const scripting: ScriptingApi = {
      executeScript: async (injection) => {
        calls.push(injection);
        if (injection.func) {
          (injection.func as unknown as (k: string, v: unknown) => void)(...(injection.args as [string, unknown]));
          return [{ result: undefined }];
        }
        return [{ result: { ok: true, page: { title: 'P', options: (globalThis as Record<string, unknown>)[OPTIONS_KEY] } } }];
      },
    };
    const page = await scriptingCapture(scripting)(4, { selectionOnly: true });
    expect(page).toEqual({ title: 'P', options: { selectionOnly: true } });
    expect(calls[1]).toEqual({ target: { tabId: 4 }, files: ['/capture.js'] });
  });

  it("raises the script's own message, and a plain one when the page gave no answer", async () => {
    const reply = (result: unknown): ScriptingApi => ({ executeScript: async (i) => (i.files ? [{ result }] : [{}]) });
    await expect(scriptingCapture(reply({ ok: false, error: 'This is a PDF.' }))(1, {})).rejects.toThrow(new PageCaptureError('This is a PDF.'));
    await expect(scriptingCapture(reply(undefined))(1, {})).rejects.toThrow(/didn’t answer/);
  });
});

describe('targetTabId', () => {
  it('in the toolbar popup, is the active tab', async () => {
    const tabs = { getCurrent: async () => undefined, query: vi.fn(async () => [{ id: 12 }]) };
    expect(await targetTabId(tabs)).toBe(12);
    expect(tabs.query).toHaveBeenCalledWith({ active: true, currentWindow: true });
  });

  it('in a popup page open in a tab, is the last page used in that window, never itself or another extension page', async () => {
    const tabs = {
      getCurrent: async () => ({ id: 1, windowId: 1 }),
      query: async () => [
        { id: 1, windowId: 1, lastAccessed: 500 },
        { id: 2, windowId: 1, lastAccessed: 300, url: 'chrome-extension://x/reader.html' },
        { id: 3, windowId: 1, lastAccessed: 200 },
        { id: 4, windowId: 2, lastAccessed: 400 },
        { id: 5, windowId: 1, lastAccessed: 100 },
      ],
    };
    expect(await targetTabId(tabs)).toBe(3);
  });
});
