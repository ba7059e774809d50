import type { Stamp } from './hlc';
import type { SyncedTable } from './entries';

/**
 * One change as it travels in a segment file: the record's table and id,
 * the registers this device wrote (stamp and value; null for a field that
 * was removed), and a tombstone stamp for a record deleted for good.
 */
export interface WireChange {
  t: SyncedTable;
  id: string;
  r?: Record<string, [Stamp, unknown] | [Stamp, unknown, 1]>;
  d?: Stamp;
}

export interface SegmentPayload {
  changes: WireChange[];
}

export interface HeadPayload {
  /** Highest segment number written. */
  seq: number;
  /** The device's name as the user sees it ("Chrome on Linux"). */
  name: string;
  at: number;
}

export interface FolderInfo {
  format: 'offprint-sync';
  version: 1;
  encryption?: {
    kdf: import('./crypto').KdfParams;
    /** A known text encrypted with the key, to tell a wrong passphrase at once. */
    check: string;
    iv: string;
  };
}
