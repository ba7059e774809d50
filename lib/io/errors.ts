/** A file Offprint cannot import; the message is shown to the user as is. */
export class ImportError extends Error {
  override name = 'ImportError';
}

/** The user pressed Cancel; nothing from the unfinished file was stored. */
export class ImportCancelled extends Error {
  override name = 'ImportCancelled';
  constructor() {
    super('Import cancelled; nothing from this file was stored.');
  }
}

export function throwIfCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw new ImportCancelled();
}

/** Limits that keep one hostile or huge file from exhausting the page. */
export const LIMITS = {
  /** Largest single file read into memory. */
  fileBytes: 200 * 1024 * 1024,
  /** Largest total size unpacked from one zip (zip bombs stop here). */
  unzippedBytes: 300 * 1024 * 1024,
  /** Most entries read from one zip. */
  zipEntries: 20_000,
} as const;

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round(bytes / (1024 * 1024))} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
