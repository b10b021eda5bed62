// Restore with the server stopped: the checked, migrated copy of the snapshot
// replaces the database file by renames; the old database is kept as
// <db>.pre-restore (with its -wal when it could not be checkpointed); a restore
// line goes to the change log so that replay knows where the history branched.
import { dirname } from 'node:path';
import { ChangeLogFile, databaseInUse, replaceDatabaseFile, restoreLine, syncDirectory } from '../store/index.js';
import type { BackupLayout } from './backup-layout.js';
import { OpsError } from './ops-error.js';
import type { PreparedRestore } from './prepare-restore.js';

/** What a restore did. */
export interface RestoreResult {
  /** The snapshot restored. */
  readonly file: string;
  /** Where the database as it was is kept, or null when there was none. */
  readonly preRestore: string | null;
  /** Zones now in the database and their serials. */
  readonly zones: Readonly<Record<string, number>>;
  /** True when a running server swapped the data in (false: the file was replaced with the server stopped). */
  readonly online: boolean;
  /** Problems of mcns invariants in the snapshot, restored all the same. */
  readonly warnings: readonly string[];
}

/**
 * Replaces the database file with `prepared` (from prepareRestore). Refuses with
 * FAILED_PRECONDITION when another process has the database open: a running
 * server must do the swap itself (restoreOnline).
 */
export function restoreOffline(prepared: PreparedRestore, layout: BackupLayout, now: Date): RestoreResult {
  if (databaseInUse(layout.database)) {
    throw new OpsError('FAILED_PRECONDITION', `database ${layout.database} is in use by another process; nothing was restored`);
  }
  const replaced = replaceDatabaseFile(layout.database, prepared.prepared, layout.preRestore);
  syncDirectory(dirname(layout.database));
  const zones = Object.fromEntries(prepared.zones);
  const log = new ChangeLogFile(layout.settings.journalDir, {
    maxFileBytes: layout.settings.journalFileBytes, keepFiles: layout.settings.journalKeep,
  });
  try {
    log.append([restoreLine({ time: now.toISOString(), file: prepared.file, zones })]);
  } finally {
    log.close();
  }
  return { file: prepared.file, preRestore: replaced.keptAs, zones, online: false, warnings: prepared.warnings };
}
