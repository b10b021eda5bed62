// Replacing the database file while nothing has it open (`mcns restore` with the
// server stopped). The -wal and -shm files belong to the file they sit beside: a
// stale -wal left next to a new database would be replayed into it and damage
// it. So the old database moves aside WITH its -wal, the -shm (only an index,
// rebuilt on open) is removed, and only then does the new file take the name.
import { existsSync, renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';

/** What replaceDatabaseFile did with the old database. */
export interface ReplacedFile {
  /** Where the old database is now, or null when there was none. */
  readonly keptAs: string | null;
  /** True when the old database's WAL could be folded into it first (false: it was damaged; its -wal moved with it). */
  readonly checkpointed: boolean;
}

/**
 * Makes `replacement` the database at `path` by renames. The current database
 * (if any) is first checkpointed when it can be (so `keepAs` is one file), then
 * renamed to `keepAs`, its -wal to `keepAs`-wal (SQLite finds it there), its
 * -shm removed; whatever was at `keepAs` before is removed. The caller has made
 * sure no process has the database open (databaseInUse).
 */
export function replaceDatabaseFile(path: string, replacement: string, keepAs: string): ReplacedFile {
  let checkpointed = false;
  let keptAs: string | null = null;
  if (existsSync(path)) {
    try {
      const db = new Database(path, { fileMustExist: true, timeout: 0 });
      try {
        db.pragma('wal_checkpoint(TRUNCATE)');
        checkpointed = true;
      } finally {
        db.close();
      }
    } catch {
      // A damaged database may not checkpoint; it moves aside with its -wal as it is.
    }
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${keepAs}${suffix}`, { force: true });
    renameSync(path, keepAs);
    if (existsSync(`${path}-wal`)) renameSync(`${path}-wal`, `${keepAs}-wal`);
    if (existsSync(`${path}-journal`)) renameSync(`${path}-journal`, `${keepAs}-journal`);
    rmSync(`${path}-shm`, { force: true });
    keptAs = keepAs;
  }
  for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
  renameSync(replacement, path);
  return { keptAs, checkpointed };
}
