// Whether another process has a database open: restore must not replace the
// file under a running server (it would keep serving and writing the old inode).
import Database from 'better-sqlite3';

/**
 * True when another connection holds the database at `path` open. In WAL mode
 * every open connection keeps a shared lock, so taking the file in exclusive
 * locking mode fails at once with SQLITE_BUSY exactly when someone else has it
 * open (a running `mcns serve`, or a CLI command in progress). False for a file
 * that does not exist or cannot be locked for another reason (e.g. it is
 * damaged): nobody is serving it.
 */
export function databaseInUse(path: string): boolean {
  let db: Database.Database;
  try {
    db = new Database(path, { fileMustExist: true, timeout: 0 });
  } catch {
    return false;
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return false;
  } catch (err) {
    return (err as { code?: unknown }).code === 'SQLITE_BUSY';
  } finally {
    db.close();
  }
}
