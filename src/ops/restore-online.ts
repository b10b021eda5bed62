// Restore inside the running server, asked for by `mcns restore` (the CLI has
// already copied, checked and migrated the snapshot: prepareRestore). The
// server keeps its connection and every object holding it: the database as it
// is goes to <db>.pre-restore through the online backup API (in steps, DNS
// keeps answering), the new zone snapshots are built from the copy (one zone per
// turn of the event loop), then, at once, one write transaction replaces every
// table's rows with the copy's and the new snapshots are swapped in. DNS answers
// from the old snapshots until then; queued API changes apply after the restore,
// to the restored data.
import { rmSync } from 'node:fs';
import type { Logger } from '../log/index.js';
import { backupDatabase, checkDatabase, openStore, replaceDatabaseContent, type Store } from '../store/index.js';
import type { Name } from '../wire/index.js';
import { buildZoneSnapshot, type ZoneSnapshot, type ZoneTable } from '../zone/index.js';
import type { BackupLayout } from './backup-layout.js';
import type { ChangeLogWriter } from './change-log-writer.js';
import { OpsError } from './ops-error.js';
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
  // The new snapshots are built from the copy before anything changes, one zone per
  // turn of the event loop, while DNS answers from the old ones.
  const built = await buildSnapshots(request.prepared, log);
  // From here to the end, synchronous: no API change can slip in between.
  changes.flush();
  const copied = changes.without(() => replaceDatabaseContent(store, request.prepared));
  const failed = [...built.failed];
  const present = new Set<string>();
  for (const zone of store.listZoneHeaders()) {
    present.add(zone.origin);
    const snapshot = built.snapshots.get(zone.origin);
    if (snapshot !== undefined && snapshot.serial === zone.serial) zones.set(snapshot);
    else zones.delete(zone.origin);
  }
  let removed = 0;
  for (const snapshot of zones.list()) {
    if (present.has(snapshot.origin)) continue;
    zones.delete(snapshot.origin);
    removed++;
  }
  const restored = Object.fromEntries(store.listZoneHeaders().map((z) => [z.name, z.serial]));
  const time = request.now.toISOString();
  changes.appendRestore({ time, file: request.file, zones: restored });
  store.appendAudit({
    time, principal: request.requestedBy, operation: 'restore', zone: null, serialBefore: null, serialAfter: null,
    summary: `restored ${request.file} (${Object.keys(restored).length} zones); previous database kept as ${layout.preRestore}`,
  });
  rmSync(request.prepared, { force: true });
  log.info({ file: request.file, rows: copied.rows, zones: built.snapshots.size, removed, failed: failed.length },
    'restored a snapshot into the running server');
  return { file: request.file, preRestore: layout.preRestore, zones: restored, online: true, warnings: failed };
}

/** Every zone of the database file at `path` as a snapshot, yielding to the event loop between zones. */
async function buildSnapshots(path: string, log: Logger): Promise<{ snapshots: Map<Name, ZoneSnapshot>; failed: string[] }> {
  const snapshots = new Map<Name, ZoneSnapshot>();
  const failed: string[] = [];
  const copy = openStore(path);
  try {
    for (const zone of copy.listZoneHeaders()) {
      await new Promise((resolve) => setImmediate(resolve));
      try {
        snapshots.set(zone.origin, buildZoneSnapshot(zone.origin, copy.loadZoneRecords(zone.id), zone.serial));
      } catch (err) {
        // Served no more: its old snapshot would answer with data the database no longer has.
        failed.push(`zone "${zone.name}" is not served: ${err instanceof Error ? err.message : String(err)}`);
        log.error({ zone: zone.name, err }, 'zone of the restored snapshot does not load; not served until it is fixed');
      }
    }
  } finally {
    copy.close();
  }
  return { snapshots, failed };
}
