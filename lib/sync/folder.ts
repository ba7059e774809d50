import { strFromU8, strToU8 } from 'fflate';
import { decrypt, deriveKeys, encrypt, fromBase64, newKdfParams, toBase64 } from './crypto';
import { DavError, type DavClient } from './webdav';
import type { FolderInfo } from './wire';

export const FOLDER_FILE = 'offprint-sync.json';
const CHECK_TEXT = 'offprint-sync-check';

/** What opening the folder gives: the key files are sealed with and the key image names are made with (both absent when it is not encrypted). */
export interface FolderKeys {
  key?: CryptoKey;
  names?: CryptoKey;
}

/**
 * Reads offprint-sync.json (or, in an empty folder and with `create`, writes
 * it) and checks the passphrase against it. Throws a DavError in plain words
 * when the folder and this browser's settings disagree.
 */
export async function openFolder(dav: DavClient, passphrase: string | undefined, create = true): Promise<FolderKeys> {
  const raw = await dav.get(FOLDER_FILE);
  let info: FolderInfo;
  if (!raw) {
    if (!create) return {};
    info = { format: 'offprint-sync', version: 1 };
    if (passphrase) {
      const kdf = newKdfParams();
      const { aes } = await deriveKeys(passphrase, kdf);
      const sealed = await encrypt(aes, strToU8(CHECK_TEXT), 'offprint:check');
      info.encryption = { kdf, check: toBase64(sealed.data), iv: toBase64(sealed.iv) };
    }
    await dav.putAtomic(FOLDER_FILE, strToU8(JSON.stringify(info, null, 2)));
  } else {
    try {
      info = JSON.parse(strFromU8(raw)) as FolderInfo;
      if (info.format !== 'offprint-sync') throw new Error('format');
    } catch {
      throw new DavError(`${FOLDER_FILE} in the sync folder is damaged or not Offprint's: sync stopped so nothing is overwritten. Choose another folder, or delete that file if no device uses the folder.`, 'server');
    }
    if (info.version !== 1) throw new DavError('The sync folder was written by a newer Offprint: update Offprint on this browser.', 'server');
  }
  if (!info.encryption) {
    if (passphrase) throw new DavError('This sync folder is not encrypted, but a passphrase is set here. Clear the passphrase, or choose a new, empty folder to sync encrypted.', 'server');
    return {};
  }
  if (!passphrase) throw new DavError('This sync folder is encrypted: enter its passphrase in Options → Sync.', 'auth');
  const keys = await deriveKeys(passphrase, info.encryption.kdf);
  try {
    const check = await decrypt(keys.aes, fromBase64(info.encryption.iv), fromBase64(info.encryption.check), 'offprint:check');
    if (strFromU8(check) !== CHECK_TEXT) throw new Error('check');
  } catch {
    throw new DavError('The encryption passphrase is wrong: it does not open this sync folder.', 'auth');
  }
  return { key: keys.aes, names: keys.names };
}
