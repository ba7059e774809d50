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
  /** In snapshots: the segment a tombstone first came in (device, seq), so it is dropped once every device has seen it. */
  o?: import('./entries').TombstoneOrigin;
}

export interface SegmentPayload {
  changes: WireChange[];
  /** What the writer had applied of each other device (segments; snapshots carry it per tombstone in `o`). */
  seen?: Record<string, number>;
}

export interface HeadPayload {
  /** Highest segment number written. */
  seq: number;
  /** The device's name as the user sees it ("Chrome on Linux"). */
  name: string;
  at: number;
  /** The lowest of this device's segments still on the server (older ones are in its snapshot). */
  from?: number;
  /** This device's latest snapshot: its whole state after segment `seq`, in `parts` files. */
  snap?: SnapshotRef;
  /** How far this device had applied each other device's segments (contiguously) when it wrote this head. */
  seen?: Record<string, number>;
  /** The version of this device's image list (`images.offprint`), when image sync is on there. */
  img?: number;
}

export interface SnapshotRef {
  seq: number;
  parts: number;
  /** The segments of other devices it includes: every one up to this number. */
  includes: Record<string, number>;
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
