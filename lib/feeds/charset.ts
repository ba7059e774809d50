import { FeedError } from './errors';

/**
 * Turns a feed's bytes into text using, in order: a byte-order mark, the
 * charset in the Content-Type header, the XML declaration's encoding, UTF-8.
 * Decoding from bytes is what keeps ISO-8859-1 feeds free of mojibake.
 */
export function decodeFeedBytes(bytes: Uint8Array, contentType?: string): string {
  const label = bomCharset(bytes) ?? headerCharset(contentType) ?? declaredCharset(bytes) ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    throw new FeedError(`The feed uses a character set Offprint cannot read ("${label}").`);
  }
  return decoder.decode(bytes);
}

function bomCharset(b: Uint8Array): string | undefined {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
  if (b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  if (b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  return undefined;
}

export function headerCharset(contentType?: string): string | undefined {
  const m = contentType ? /charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType) : null;
  return m ? m[1]!.toLowerCase() : undefined;
}

function declaredCharset(bytes: Uint8Array): string | undefined {
  // The declaration is ASCII in every encoding a feed realistically uses.
  const head = String.fromCharCode(...bytes.subarray(0, 200));
  const m = /^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/.exec(head);
  return m ? m[1]!.toLowerCase() : undefined;
}
