import { gunzipSync, gzipSync, strFromU8, strToU8 } from 'fflate';
import { decrypt, encrypt, fromBase64, sha256Hex, toBase64 } from './crypto';

/**
 * One sync file: a JSON header line, then the body. The body is the gzipped
 * JSON payload, AES-GCM encrypted when the folder is. The header names the
 * file (kind, device, sequence number) and carries the body's length and
 * SHA-256, so a truncated or altered file is recognised and refused before
 * anything in it is used.
 */
export type FileKind = 'seg' | 'head' | 'snap';

export interface FileHeader {
  offprint: 1;
  kind: FileKind;
  device: string;
  seq: number;
  /** Snapshots come in parts: which one this is. */
  part?: number;
  enc: 0 | 1;
  iv?: string;
  bytes: number;
  sha256: string;
}

/** Why a file was refused, in words for the user. */
export class SyncFileError extends Error {
  constructor(
    message: string,
    readonly reason: 'truncated' | 'corrupt' | 'wrong-key' | 'needs-key' | 'unknown-format',
  ) {
    super(message);
  }
}

const NEWLINE = 10;

function aadOf(kind: FileKind, device: string, seq: number, part?: number): string {
  return part === undefined ? `offprint:${kind}:${device}:${seq}` : `offprint:${kind}:${device}:${seq}:${part}`;
}

export async function encodeFile(kind: FileKind, device: string, seq: number, payload: unknown, key?: CryptoKey, part?: number): Promise<Uint8Array> {
  let body: Uint8Array = gzipSync(strToU8(JSON.stringify(payload)), { level: 6 });
  let iv: string | undefined;
  if (key) {
    const sealed = await encrypt(key, body, aadOf(kind, device, seq, part));
    body = sealed.data;
    iv = toBase64(sealed.iv);
  }
  const header: FileHeader = { offprint: 1, kind, device, seq, ...(part !== undefined ? { part } : {}), enc: key ? 1 : 0, ...(iv ? { iv } : {}), bytes: body.length, sha256: await sha256Hex(body) };
  const head = strToU8(`${JSON.stringify(header)}\n`);
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

/** Reads a file's header only (no key needed). */
export function readHeader(bytes: Uint8Array): { header: FileHeader; body: Uint8Array } {
  const nl = bytes.indexOf(NEWLINE);
  if (nl < 0) throw new SyncFileError('it ends before its header does (truncated)', 'truncated');
  let header: FileHeader;
  try {
    header = JSON.parse(strFromU8(bytes.subarray(0, nl))) as FileHeader;
  } catch {
    throw new SyncFileError('its header is not readable (not an Offprint sync file, or damaged)', 'unknown-format');
  }
  if (header?.offprint !== 1 || typeof header.bytes !== 'number' || typeof header.sha256 !== 'string') {
    throw new SyncFileError('it is not an Offprint sync file of a version this Offprint knows', 'unknown-format');
  }
  return { header, body: bytes.subarray(nl + 1) };
}

export async function decodeFile<T>(bytes: Uint8Array, key: CryptoKey | undefined, expect: { kind: FileKind; device: string; seq?: number; part?: number }): Promise<{ header: FileHeader; payload: T }> {
  const { header, body } = readHeader(bytes);
  if (header.kind !== expect.kind || header.device !== expect.device || (expect.seq !== undefined && header.seq !== expect.seq) || header.part !== expect.part) {
    throw new SyncFileError('its header names another file (moved or replaced by hand)', 'corrupt');
  }
  if (body.length < header.bytes) throw new SyncFileError(`it is truncated (${body.length.toLocaleString('en')} of ${header.bytes.toLocaleString('en')} bytes)`, 'truncated');
  if (body.length > header.bytes) throw new SyncFileError('it has extra bytes after its end (damaged)', 'corrupt');
  if ((await sha256Hex(body)) !== header.sha256) throw new SyncFileError('its content does not match its checksum (damaged)', 'corrupt');
  let plain = body;
  if (header.enc) {
    if (!key) throw new SyncFileError('it is encrypted and no passphrase is set here', 'needs-key');
    try {
      plain = await decrypt(key, fromBase64(header.iv ?? ''), body, aadOf(header.kind, header.device, header.seq, header.part));
    } catch {
      throw new SyncFileError('it cannot be decrypted with this passphrase', 'wrong-key');
    }
  }
  try {
    return { header, payload: JSON.parse(strFromU8(gunzipSync(plain))) as T };
  } catch {
    throw new SyncFileError('its content is not readable (damaged)', 'corrupt');
  }
}
