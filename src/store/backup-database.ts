// Consistent copies of a live database with SQLite's online backup API: what
// `mcns snapshot` and the server's scheduled snapshots write. The copy is a
// single self-contained file (journal_mode DELETE, no -wal beside it).
import { closeSync, fsyncSync, openSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Store } from './store.js';

/** What backupDatabase wrote. */
export interface BackupResult {
  /** The file written. */
  readonly path: string;
  /** Its size in bytes. */
  readonly bytes: number;
  /** Pages copied. */
  readonly pages: number;
}

/**
 * Copies the database to `dest` (which must not exist). With a Store (the
 * server's own connection) the copy goes 100 pages per turn of the event loop,
 * so DNS keeps being answered, and the server's own writes between steps are
 * carried into the copy by SQLite. With a path (another process, e.g. the CLI
 * while `serve` runs) the copy is one step inside one read transaction: WAL lets
 * the server keep writing, and no write can restart it. The result is switched
 * to journal_mode DELETE and fsynced.
 */
export async function backupDatabase(source: Store | string, dest: string): Promise<BackupResult> {
  let pages: number;
  if (typeof source === 'string') {
    const db = new Database(source, { fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      // The first step (0 pages) only starts the backup; the handler then asks for everything at once.
      pages = (await db.backup(dest, { progress: () => 0x7fffffff })).totalPages;
    } finally {
      db.close();
    }
  } else {
    pages = (await source.connection.backup(dest)).totalPages;
  }
  try {
    const copy = new Database(dest, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    const fd = openSync(dest, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    rmSync(dest, { force: true });
    throw err;
  }
  return { path: dest, bytes: statSync(dest).size, pages };
}
