import type { OffprintDB } from '../db/schema';
import { removeNewClip, type PurgeDeps } from '../library/actions';

/** Undoes a clip that created a new article (the library removes it with its search record). */
export async function undoClip(db: OffprintDB, id: string, _deps: PurgeDeps = {}): Promise<void> {
  await removeNewClip(db, id);
}
