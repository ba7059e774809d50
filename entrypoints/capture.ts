import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { CaptureError, captureDocument } from '../lib/capture/capture';
import { OPTIONS_KEY, type CaptureReply } from '../lib/capture/inject';
import { createSanitizer } from '../lib/html/sanitize';

// Injected on demand into the tab being clipped (never declared as a content
// script). Its return value is executeScript's result.
export default defineUnlistedScript((): CaptureReply => {
  const options = (globalThis as Record<string, unknown>)[OPTIONS_KEY] as { selectionOnly?: boolean } | undefined;
  try {
    return { ok: true, page: captureDocument(document, createSanitizer(window), options ?? {}) };
  } catch (err) {
    const message = err instanceof CaptureError ? err.message : `Offprint couldn’t read this page: ${err instanceof Error ? err.message : String(err)}`;
    return { ok: false, error: message };
  }
});
