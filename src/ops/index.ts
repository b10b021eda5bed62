// Public face of the ops layer: snapshots, restore, integrity checks and the
// change log with its replay (src/ops/README.md).
export { OpsError, type OpsErrorCode } from './ops-error.js';
export { backupLayout, type BackupLayout, type BackupSettings } from './backup-layout.js';
export { takeSnapshot, listSnapshots, pruneSnapshots, formatBytes, type SnapshotResult, type SnapshotFile } from './take-snapshot.js';
export { checkDatabaseAtStart } from './check-database-at-start.js';
export { prepareRestore, type PreparedRestore } from './prepare-restore.js';
export { restoreOffline, type RestoreResult } from './restore-offline.js';
export { restoreOnline, type OnlineRestoreDeps, type OnlineRestoreRequest } from './restore-online.js';
export { planReplay, type ReplayPlan, type ZoneReplay, type ZoneState } from './plan-replay.js';
export { replayChanges, zoneStates, type ReplayResult, type ZoneReplayed, type ReplayRequest } from './replay-changes.js';
export { askServer, type AskOptions } from './ask-server.js';
export type { ServerRequest, ServerResponse } from './server-request.js';
export { startOps, type OpsDeps, type OpsRuntime } from './start-ops.js';
export { scheduleSnapshots, SNAPSHOT_START_GRACE_MS, type SnapshotSchedule, type SnapshotScheduler } from './schedule-snapshots.js';
export { createChangeLogWriter, walHasFrames, type ChangeLogWriter } from './change-log-writer.js';
