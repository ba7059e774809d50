import { strToU8 } from 'fflate';
import { DavError, type DavClient, type DavProblem } from './webdav';

/** The answer to "Test connection", in plain words. */
export interface ConnectionReport {
  ok: boolean;
  problem?: DavProblem | 'not-folder';
  message: string;
  /** The folder is missing and can be created. */
  canCreate?: boolean;
}

/** Reachable? Login accepted? Folder there, a WebDAV folder, writable, with room? */
export async function testConnection(dav: DavClient): Promise<ConnectionReport> {
  const host = new URL(dav.folderUrl).host;
  try {
    const [self] = await dav.propfind('', 0);
    if (self && !self.isFolder) return { ok: false, problem: 'not-folder', message: `That address on ${host} is a file, not a folder.` };
    if (self?.availableBytes === 0) return { ok: false, problem: 'full', message: `${host} reports no space left for this account.` };
    const probe = `.offprint-test-${Math.random().toString(36).slice(2, 8)}`;
    await dav.putAtomic(probe, strToU8('Offprint connection test; safe to delete.'));
    await dav.remove(probe);
    const room = self?.availableBytes !== undefined ? ` (${formatBytes(self.availableBytes)} free)` : '';
    return { ok: true, message: `Connected: the folder on ${host} is reachable and writable${room}.` };
  } catch (err) {
    if (!(err instanceof DavError)) throw err;
    if (err.problem === 'missing') return { ok: false, problem: 'missing', message: `The folder does not exist on ${host}. Create it?`, canCreate: true };
    return { ok: false, problem: err.problem, message: err.message };
  }
}

/** Creates the folder (and any missing parents) then tests again. */
export async function createFolder(dav: DavClient): Promise<ConnectionReport> {
  const path = new URL(dav.folderUrl).pathname.split('/').filter(Boolean);
  // MKCOL from the top down: '..' of the folder, relative to it.
  for (let depth = path.length - 1; depth >= 0; depth--) {
    const rel = depth === 0 ? '' : `${'../'.repeat(depth)}`;
    try {
      await dav.mkcol(rel);
    } catch (err) {
      if (!(err instanceof DavError) || (err.problem !== 'forbidden' && err.problem !== 'missing' && err.problem !== 'not-webdav')) throw err;
    }
  }
  return testConnection(dav);
}

function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  return `${Math.round(n / 1e3)} KB`;
}
