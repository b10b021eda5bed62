// Restore inside the running server, asked for by `mcns restore` (the CLI has
// already copied, checked and migrated the snapshot: prepareRestore). The
// server keeps its connection and every object holding it: the database as it
// is goes to <db>.pre-restore through the online backup API (in steps, DNS
// keeps answering), then one write transaction replaces every table's rows with
// the snapshot's, then every zone's snapshot is rebuilt and swapped in. DNS
// answers from the old snapshots until each new one is in; queued API changes
// apply after the restore, to the restored data.
import { rmSync } from 'node:fs';
import type { Logger } from '../log/index.js';
import { backupDatabase, checkDatabase, replaceDatabaseContent, type Store } from '../store/index.js';
import type { ZoneTable } from '../zone/index.js';
import type { BackupLayout } from './backup-layout.js';
import type { ChangeLogWriter } from './change-log-writer.js';
import { OpsError } from './ops-error.js';
import { reloadAllZones } from './reload-all-zones.js';
import type { RestoreResult } from './restore-offline.js';

/** What restoreOnline works on: the server's own store, zone table and change log. */
export interface OnlineRestoreDeps {
  readonly store: Store;
  readonly zones: ZoneTable;
  readonly changes: ChangeLogWriter;
  readonly layout: BackupLayout;
  readonly log: Logger;
}

/** The request: the snapshot named by the operator and its prepared copy. */
export interface OnlineRestoreRequest {
  readonly file: string;
  readonly prepared: string;
  readonly requestedBy: string;
  readonly now: Date;
}

/** Restores the prepared copy into the running server's database and zone table. */
export async function restoreOnline(deps: OnlineRestoreDeps, request: OnlineRestoreRequest): Promise<RestoreResult> {
  const { store, zones, changes, layout, log } = deps;
  if (request.prepared !== layout.restoreTemp) {
    throw new OpsError('INVALID', `prepared snapshot ${request.prepared} is not ${layout.restoreTemp}; nothing was restored`);
  }
  // The CLI checked it; a quick look again costs little and guards against a file swapped in between.
  const check = checkDatabase(request.prepared, { quick: true });
  if (check.corrupt || !check.isMcnsDatabase) {
    throw new OpsError('CORRUPT', `prepared snapshot ${request.prepared} does not check out (${check.problems[0] ?? 'no mcns tables'}); nothing was restored`);
  }
  for (const suffix of ['', '-journal']) rmSync(`${layout.preRestore}${suffix}`, { force: true });
  await backupDatabase(store, layout.preRestore);
  // From here to the end, synchronous: no API change can slip in between.
  changes.flush();
  const copied = changes.without(() => replaceDatabaseContent(store, request.prepared));
  const reload = reloadAllZones(store, zones, log);
  const restored = Object.fromEntries(store.listZoneHeaders().map((z) => [z.name, z.serial]));
  const time = request.now.toISOString();
  changes.appendRestore({ time, file: request.file, zones: restored });
  store.appendAudit({
    time, principal: request.requestedBy, operation: 'restore', zone: null, serialBefore: null, serialAfter: null,
    summary: `restored ${request.file} (${Object.keys(restored).length} zones); previous database kept as ${layout.preRestore}`,
  });
  rmSync(request.prepared, { force: true });
  log.info({ file: request.file, rows: copied.rows, zones: reload.loaded, removed: reload.removed, failed: reload.failed.length },
    'restored a snapshot into the running server');
  return { file: request.file, preRestore: layout.preRestore, zones: restored, online: true, warnings: [...reload.failed] };
}
