// Where the ops files live, all derived from the database path and [backup]:
// snapshots, the change log, the pre-restore copy, and the request files a CLI
// leaves for the running server.
import { basename, dirname, join } from 'node:path';

/** The [backup] settings ops needs (config's BackupConfig has this shape; paths absolute). */
export interface BackupSettings {
  /** Directory of snapshots. */
  readonly dir: string;
  /** Newest snapshots kept in `dir` (0 keeps all). */
  readonly keep: number;
  /** How often the server takes a snapshot; null: never. */
  readonly intervalMs: number | null;
  /** Directory of the change-log files. */
  readonly journalDir: string;
  /** Size at which a change-log file is closed and the next begun. */
  readonly journalFileBytes: number;
  /** Change-log files kept (0 keeps all). */
  readonly journalKeep: number;
}

/** Every path ops reads or writes for one database. */
export interface BackupLayout {
  readonly database: string;
  readonly settings: BackupSettings;
  /** `<db>.pre-restore`: the database as it was before the last restore. */
  readonly preRestore: string;
  /** `<db>.restore-tmp`: a snapshot being checked and migrated before it replaces the database. */
  readonly restoreTemp: string;
  /** `<db>.request.json`: a request (restore, replay) from the CLI to the running server. */
  readonly request: string;
  /** `<db>.response.json`: the server's answer to it. */
  readonly response: string;
}

/** The layout for the database at `database` (absolute). */
export function backupLayout(database: string, settings: BackupSettings): BackupLayout {
  const base = join(dirname(database), basename(database));
  return {
    database, settings,
    preRestore: `${base}.pre-restore`,
    restoreTemp: `${base}.restore-tmp`,
    request: `${base}.request.json`,
    response: `${base}.response.json`,
  };
}
