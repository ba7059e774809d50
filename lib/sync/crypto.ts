/**
 * End-to-end encryption of sync files with WebCrypto only: a key derived from
 * the passphrase with PBKDF2-SHA-256 (salt and iteration count stored in the
 * folder's offprint-sync.json), AES-256-GCM per file with a fresh 96-bit IV,
 * and the file's kind, device and sequence number as associated data, so a
 * file cannot be swapped for another without failing to decrypt.
 */
export interface KdfParams {
  name: 'PBKDF2';
  hash: 'SHA-256';
  iterations: number;
  /** Base64, 16 random bytes. */
  salt: string;
}

/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
export const DEFAULT_ITERATIONS = 600_000;

export function newKdfParams(iterations = DEFAULT_ITERATIONS): KdfParams {
  return { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: toBase64(crypto.getRandomValues(new Uint8Array(16))) };
}

/** The keys of an encrypted folder: AES-GCM for file contents, HMAC-SHA-256 for image file names. */
export interface DerivedKeys {
  aes: CryptoKey;
  /** Names image files by a keyed hash of their URL, so the server cannot tell which image a file is. */
  names: CryptoKey;
}

const keyCache = new Map<string, Promise<DerivedKeys>>();

/**
 * PBKDF2 once, then: its 256 bits are the AES-256-GCM key (exactly the key
 * `deriveKey(PBKDF2 → AES-GCM 256)` gives, so folders encrypted before
 * image names existed open the same), and HKDF-SHA-256 of them with its own
 * label gives the name key (knowing a name key tells nothing of the AES key).
 */
export function deriveKeys(passphrase: string, params: KdfParams): Promise<DerivedKeys> {
  const cacheKey = `${params.salt}:${params.iterations}:${passphrase}`;
  let keys = keyCache.get(cacheKey);
  if (!keys) {
    keys = (async () => {
      const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveBits']);
      const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: params.hash, iterations: params.iterations, salt: fromBase64(params.salt) as BufferSource }, base, 256);
      const aes = await crypto.subtle.importKey('raw', bits, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
      const hkdf = await crypto.subtle.importKey('raw', bits, 'HKDF', false, ['deriveKey']);
      const names = await crypto.subtle.deriveKey(
        { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode('offprint:image-names') },
        hkdf,
        { name: 'HMAC', hash: 'SHA-256', length: 256 },
        false,
        ['sign'],
      );
      return { aes, names };
    })();
    keyCache.clear();
    keyCache.set(cacheKey, keys);
  }
  return keys;
}

export async function deriveKey(passphrase: string, params: KdfParams): Promise<CryptoKey> {
  return (await deriveKeys(passphrase, params)).aes;
}

/** An image's file name on the server: HMAC-SHA-256 of its URL with the name key, or SHA-256 unencrypted; 128 bits in hex. */
export async function imageNameOf(url: string, names: CryptoKey | undefined): Promise<string> {
  const data = new TextEncoder().encode(url);
  const digest = new Uint8Array(names ? await crypto.subtle.sign('HMAC', names, data) : await crypto.subtle.digest('SHA-256', data));
  return [...digest.subarray(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function encrypt(key: CryptoKey, data: Uint8Array, aad: string): Promise<{ iv: Uint8Array; data: Uint8Array }> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const out = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: iv as BufferSource, additionalData: new TextEncoder().encode(aad) }, key, data as BufferSource);
  return { iv, data: new Uint8Array(out) };
}

/** Throws when the key is wrong or the data was altered. */
export async function decrypt(key: CryptoKey, iv: Uint8Array, data: Uint8Array, aad: string): Promise<Uint8Array> {
  const out = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: iv as BufferSource, additionalData: new TextEncoder().encode(aad) }, key, data as BufferSource);
  return new Uint8Array(out);
}

export async function sha256Hex(data: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data as BufferSource));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
