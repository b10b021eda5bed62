// The first half of every restore, done by the CLI process (never the server,
// whose event loop answers DNS): copy the snapshot next to the database, refuse
// it unless it is a sound mcns database this build can read, and migrate the
// copy to this build's schema. The original snapshot file is never opened for
// writing.
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkDatabase, openStore, SCHEMA_VERSION } from '../store/index.js';
import type { BackupLayout } from './backup-layout.js';
import { OpsError } from './ops-error.js';

/** A snapshot copied, checked and migrated, ready to replace the database. */
export interface PreparedRestore {
  /** The snapshot file named by the operator (absolute). */
  readonly file: string;
  /** The checked copy (BackupLayout.restoreTemp). */
  readonly prepared: string;
  /** Zones in it and their serials. */
  readonly zones: ReadonlyMap<string, number>;
  /** Schema version of the snapshot before migration. */
  readonly schemaVersion: number;
  /** Problems of mcns invariants in the snapshot (restored all the same; SQLite-level damage is refused). */
  readonly warnings: readonly string[];
}

/**
 * Copies `file` to the layout's restore-tmp and checks the copy: SQLite's
 * integrity and foreign-key checks (CORRUPT), the mcns tables (INVALID), a
 * schema version no newer than this build's (SCHEMA_TOO_NEW); then migrates it.
 * Refuses the database itself as the snapshot.
 */
export function prepareRestore(file: string, layout: BackupLayout, cwd: string): PreparedRestore {
  const path = resolve(cwd, file);
  if (!existsSync(path)) throw new OpsError('NOT_FOUND', `snapshot ${path} not found`);
  if (path === layout.database) throw new OpsError('INVALID', `snapshot ${path} is the database itself; name a snapshot file`);
  const temp = layout.restoreTemp;
  const clear = (): void => {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${temp}${suffix}`, { force: true });
  };
  clear();
  copyFileSync(path, temp);
  try {
    const check = checkDatabase(temp);
    if (check.corrupt) {
      throw new OpsError('CORRUPT', `snapshot ${path} is corrupt (${check.problems[0] ?? 'unreadable'}); nothing was restored`, check.problems);
    }
    if (!check.isMcnsDatabase) {
      throw new OpsError('INVALID', `${path} is not an mcns database (${check.problems[0] ?? 'no mcns tables'}); nothing was restored`, check.problems);
    }
    const version = check.schemaVersion ?? 0;
    if (version > SCHEMA_VERSION) {
      throw new OpsError('SCHEMA_TOO_NEW',
        `snapshot ${path} has schema version ${version}, newer than the ${SCHEMA_VERSION} this mcns understands; restore it with the mcns that wrote it`);
    }
    // openStore migrates to SCHEMA_VERSION; closing folds its WAL back in.
    openStore(temp).close();
    const fd = openSync(temp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return { file: path, prepared: temp, zones: check.zones, schemaVersion: version, warnings: check.problems };
  } catch (err) {
    clear();
    throw err;
  }
}
