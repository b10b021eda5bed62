// Everything ops runs inside `mcns serve`, started and closed by main.ts: the
// change log (flushed from the write path before callers are answered), the
// snapshot schedule, and the watcher that takes restore and replay requests
// from the command line. Snapshot, restore and replay run one at a time.
import type { Logger } from '../log/index.js';
import { changeLogFiles, type Store } from '../store/index.js';
import { nameFromText } from '../wire/index.js';
import type { ZoneTable } from '../zone/index.js';
import type { BackupLayout } from './backup-layout.js';
import { createChangeLogWriter } from './change-log-writer.js';
import { replayChanges, type ReplayResult } from './replay-changes.js';
import { restoreOnline } from './restore-online.js';
import type { RestoreResult } from './restore-offline.js';
import { scheduleSnapshots, type SnapshotScheduler } from './schedule-snapshots.js';
import type { ServerRequest, ServerResponse } from './server-request.js';
import { formatBytes, takeSnapshot, type SnapshotResult } from './take-snapshot.js';
import { watchRequests } from './watch-requests.js';

/** What startOps needs from main. */
export interface OpsDeps {
  readonly store: Store;
  readonly zones: ZoneTable;
  readonly layout: BackupLayout;
  readonly log: Logger;
  readonly now: () => Date;
  /** How often the request file is looked for (default 250 ms). */
  readonly requestPollMs?: number;
  /**
   * Whether the last process stopped without closing the database (its WAL held
   * frames when this one began), read before the start-up check, whose connection
   * removes the WAL when it closes. Default: looked at now.
   */
  readonly crashed?: boolean;
}

/** Ops inside the server. */
export interface OpsRuntime {
  /**
   * The write path's onZoneChanged: appends the changes committed in this batch
   * to the change log with one fsync (nothing on the batch's later calls).
   */
  readonly onZoneChanged: () => void;
  /** Takes a snapshot now (admin API or schedule). */
  snapshot(): Promise<SnapshotResult>;
  /** Restores a snapshot prepared by prepareRestore into the running server. */
  restore(file: string, prepared: string, requestedBy: string): Promise<RestoreResult>;
  /** Replays change-log files (default: every file in the journal directory). */
  replay(files: readonly string[] | null, requestedBy: string): Promise<ReplayResult>;
  /** When the next scheduled snapshot is due (null: no schedule). */
  nextSnapshotAt(): Date | null;
  /** Stops the schedule and the watcher, waits for what runs, flushes and closes the change log. Safe to call twice. */
  close(): Promise<void>;
}

/** Starts ops in the server. */
export function startOps(deps: OpsDeps): OpsRuntime {
  const { store, zones, layout, log, now } = deps;
  const settings = layout.settings;
  const changes = createChangeLogWriter(store, settings, log, deps.crashed);
  // One operation at a time: a restore never meets a snapshot half taken.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const result = queue.then(fn);
    queue = result.catch(() => undefined);
    return result;
  };

  const snapshot = (): Promise<SnapshotResult> => exclusive(async () => {
    const result = await takeSnapshot(store, settings.dir, settings.keep, now());
    log.info({ file: result.path, size: formatBytes(result.bytes), problems: result.problems.length, pruned: result.pruned.length }, 'snapshot taken');
    return result;
  });
  const restore = (file: string, prepared: string, requestedBy: string): Promise<RestoreResult> =>
    exclusive(() => restoreOnline({ store, zones, changes, layout, log }, { file, prepared, requestedBy, now: now() }));
  const replay = (files: readonly string[] | null, requestedBy: string): Promise<ReplayResult> => exclusive(async () => {
    changes.flush();
    const list = files ?? changeLogFiles(settings.journalDir);
    // Logged already: replaying them must not log them twice.
    const result = changes.without(() => replayChanges(store, { files: list, now: now(), requestedBy }));
    // Each replayed zone's snapshot was built from its records inside its transaction; a deleted one goes.
    for (const zone of result.replayed) {
      if (zone.snapshot !== null) zones.set(zone.snapshot);
      else zones.delete(nameFromText(zone.zone));
    }
    log.info({ zones: result.replayed.length, changes: result.replayed.reduce((n, z) => n + z.changes, 0) }, 'replayed the change log');
    return result;
  });

  const scheduler: SnapshotScheduler | null = settings.intervalMs === null ? null : scheduleSnapshots({
    intervalMs: settings.intervalMs, dir: settings.dir, now, log, run: async () => {
      await snapshot();
    },
  });
  const watcher = watchRequests(layout, (request) => answer(request, { restore, replay }), deps.requestPollMs ?? 250, log);

  let closing: Promise<void> | null = null;
  return {
    onZoneChanged: () => changes.flush(),
    snapshot,
    restore,
    replay,
    nextSnapshotAt: () => scheduler?.nextAt() ?? null,
    close() {
      closing ??= (async () => {
        await Promise.allSettled([scheduler?.close(), watcher.close()]);
        await queue;
        changes.close();
      })();
      return closing;
    },
  };
}

/** Runs a request from the command line and says what happened. */
async function answer(
  request: ServerRequest,
  ops: Pick<OpsRuntime, 'restore' | 'replay'>,
): Promise<Omit<ServerResponse, 'id'>> {
  try {
    if (request.kind === 'restore') {
      const result = await ops.restore(request.file, request.prepared, request.requestedBy);
      return { ok: true, code: null, message: `restored ${result.file} into the running server`, lines: [...result.warnings], result };
    }
    const result = await ops.replay(request.files.length === 0 ? null : request.files, request.requestedBy);
    const replayed = result.replayed.map(({ snapshot: _snapshot, ...zone }) => zone);
    return { ok: true, code: null, message: 'replayed', lines: [], result: { ...result, replayed } };
  } catch (err) {
    const code = typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : 'INTERNAL';
    const problems = (err as { problems?: unknown }).problems;
    return {
      ok: false, code, message: err instanceof Error ? err.message : String(err),
      lines: Array.isArray(problems) ? problems.map(String) : [], result: null,
    };
  }
}
