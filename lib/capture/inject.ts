import type { CapturedPage } from './capture';
import { MESSAGES } from './clippable';
import { PageCaptureError } from './save';

/** Path of the built capture script (entrypoints/capture.ts). */
export const CAPTURE_SCRIPT = '/capture.js';

/** What the capture script returns through executeScript. */
export type CaptureReply = { ok: true; page: CapturedPage } | { ok: false; error: string };

/** Where the options for the next run wait in the page's isolated world. */
export const OPTIONS_KEY = '__offprintCaptureOptions';

/** The part of browser.scripting used here. */
export interface ScriptingApi {
  executeScript(injection: {
    target: { tabId: number };
    files?: string[];
    func?: (...args: never[]) => unknown;
    args?: unknown[];
  }): Promise<{ result?: unknown }[]>;
}

/**
 * Injects the capture script into a tab's top frame and returns its result.
 * Options go first, in a tiny function run in the same isolated world, since
 * a file injection takes no arguments.
 */
export function scriptingCapture(scripting: ScriptingApi) {
  return async (tabId: number, options: { selectionOnly?: boolean }): Promise<CapturedPage> => {
    await scripting.executeScript({
      target: { tabId },
      func: ((key: string, value: unknown) => {
        (globalThis as Record<string, unknown>)[key] = value;
      }) as (...args: never[]) => unknown,
      args: [OPTIONS_KEY, options],
    });
    const [frame] = await scripting.executeScript({ target: { tabId }, files: [CAPTURE_SCRIPT] });
    const reply = frame?.result as CaptureReply | undefined;
    if (!reply) throw new PageCaptureError(MESSAGES.noAnswer);
    if (!reply.ok) throw new PageCaptureError(reply.error);
    return reply.page;
  };
}
