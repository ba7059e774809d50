import { gunzipSync, gzipSync, strFromU8, strToU8 } from 'fflate';
import { decrypt, encrypt, fromBase64, sha256Hex, toBase64 } from './crypto';

/**
 * One sync file: a JSON header line, then the body. The body is the gzipped
 * JSON payload, AES-GCM encrypted when the folder is. The header names the
 * file (kind, device, sequence number) and carries the body's length and
 * SHA-256, so a truncated or altered file is recognised and refused before
 * anything in it is used.
 */
export type FileKind = 'seg' | 'head' | 'snap' | 'img' | 'imgs';

export interface FileHeader {
  offprint: 1;
  kind: FileKind;
  device: string;
  seq: number;
  /** Snapshots come in parts: which one this is. */
  part?: number;
  /** Image files: the file's name (the hash of the image's URL). */
  name?: string;
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

function aadOf(kind: FileKind, device: string, seq: number, part?: number, name?: string): string {
  if (name !== undefined) return `offprint:${kind}:${device}:${seq}:${name}`;
  return part === undefined ? `offprint:${kind}:${device}:${seq}` : `offprint:${kind}:${device}:${seq}:${part}`;
}

export async function encodeFile(kind: FileKind, device: string, seq: number, payload: unknown, key?: CryptoKey, part?: number): Promise<Uint8Array> {
  return seal({ kind, device, seq, part }, gzipSync(strToU8(JSON.stringify(payload)), { level: 6 }), key);
}

interface FileId {
  kind: FileKind;
  device: string;
  seq: number;
  part?: number;
  name?: string;
}

async function seal(id: FileId, plain: Uint8Array, key: CryptoKey | undefined): Promise<Uint8Array> {
  let body = plain;
  let iv: string | undefined;
  if (key) {
    const sealed = await encrypt(key, body, aadOf(id.kind, id.device, id.seq, id.part, id.name));
    body = sealed.data;
    iv = toBase64(sealed.iv);
  }
  const header: FileHeader = {
    offprint: 1,
    kind: id.kind,
    device: id.device,
    seq: id.seq,
    ...(id.part !== undefined ? { part: id.part } : {}),
    ...(id.name !== undefined ? { name: id.name } : {}),
    enc: key ? 1 : 0,
    ...(iv ? { iv } : {}),
    bytes: body.length,
    sha256: await sha256Hex(body),
  };
  const head = strToU8(`${JSON.stringify(header)}\n`);
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

/**
 * An image file: the same header, then (sealed when encrypted) a 4-byte
 * length, a JSON line `{url, type}`, and the image's bytes as they are
 * (images are compressed already: no gzip). The URL is inside the sealed
 * part, so an encrypted folder shows neither the picture nor where it is from.
 */
export interface ImageMeta {
  url: string;
  type: string;
}

export async function encodeImageFile(device: string, name: string, meta: ImageMeta, bytes: Uint8Array, key?: CryptoKey): Promise<Uint8Array> {
  const json = strToU8(JSON.stringify(meta));
  const plain = new Uint8Array(4 + json.length + bytes.length);
  new DataView(plain.buffer).setUint32(0, json.length);
  plain.set(json, 4);
  plain.set(bytes, 4 + json.length);
  return seal({ kind: 'img', device, seq: 0, name }, plain, key);
}

export async function decodeImageFile(raw: Uint8Array, key: CryptoKey | undefined, expect: { device: string; name: string }): Promise<{ meta: ImageMeta; bytes: Uint8Array }> {
  const plain = await unseal(raw, key, { kind: 'img', device: expect.device, seq: 0, name: expect.name });
  const view = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
  const length = plain.length >= 4 ? view.getUint32(0) : -1;
  let meta: ImageMeta | undefined;
  try {
    if (length >= 0 && 4 + length <= plain.length) meta = JSON.parse(strFromU8(plain.subarray(4, 4 + length))) as ImageMeta;
  } catch {
    meta = undefined;
  }
  if (!meta || typeof meta.url !== 'string' || typeof meta.type !== 'string') throw new SyncFileError('its content is not readable (damaged)', 'corrupt');
  return { meta, bytes: plain.slice(4 + length) };
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
  const { header } = readHeader(bytes);
  const plain = await unseal(bytes, key, expect);
  try {
    return { header, payload: JSON.parse(strFromU8(gunzipSync(plain))) as T };
  } catch {
    throw new SyncFileError('its content is not readable (damaged)', 'corrupt');
  }
}

/** Checks the header against the name, the length and checksum, and decrypts: the body as written, or a SyncFileError. */
async function unseal(bytes: Uint8Array, key: CryptoKey | undefined, expect: { kind: FileKind; device: string; seq?: number; part?: number; name?: string }): Promise<Uint8Array> {
  const { header, body } = readHeader(bytes);
  if (header.kind !== expect.kind || header.device !== expect.device || (expect.seq !== undefined && header.seq !== expect.seq) || header.part !== expect.part || header.name !== expect.name) {
    throw new SyncFileError('its header names another file (moved or replaced by hand)', 'corrupt');
  }
  if (body.length < header.bytes) throw new SyncFileError(`it is truncated (${body.length.toLocaleString('en')} of ${header.bytes.toLocaleString('en')} bytes)`, 'truncated');
  if (body.length > header.bytes) throw new SyncFileError('it has extra bytes after its end (damaged)', 'corrupt');
  if ((await sha256Hex(body)) !== header.sha256) throw new SyncFileError('its content does not match its checksum (damaged)', 'corrupt');
  // In an encrypted folder every file Offprint writes is sealed: a plain one was put there by someone else.
  if (!header.enc && key) throw new SyncFileError('it is not encrypted, but this folder is (not written by Offprint)', 'corrupt');
  if (!header.enc) return body;
  if (!key) throw new SyncFileError('it is encrypted and no passphrase is set here', 'needs-key');
  try {
    return await decrypt(key, fromBase64(header.iv ?? ''), body, aadOf(header.kind, header.device, header.seq, header.part, header.name));
  } catch {
    throw new SyncFileError('it cannot be decrypted with this passphrase', 'wrong-key');
  }
}
