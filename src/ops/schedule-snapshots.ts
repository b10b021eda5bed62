// The server's snapshot schedule ([backup] interval): one snapshot every
// interval, counted from the newest snapshot already in the directory, so a
// restart neither skips one nor takes an extra. The first one after a start
// waits at least the start-up grace (or the interval, if shorter), so a server
// that restarts often does not snapshot on every start.
import type { Logger } from '../log/index.js';
import { listSnapshots } from './take-snapshot.js';

/** Start-up grace before a snapshot that is due already. */
export const SNAPSHOT_START_GRACE_MS = 10 * 60_000;

/** What the schedule runs and when. */
export interface SnapshotSchedule {
  readonly intervalMs: number;
  /** The snapshot directory, to find the newest snapshot. */
  readonly dir: string;
  readonly now: () => Date;
  /** Takes one snapshot; a rejection is logged and the schedule goes on. */
  readonly run: () => Promise<void>;
  readonly log: Logger;
}

/** The running schedule; close() stops it and waits for a snapshot in progress. */
export interface SnapshotScheduler {
  /** When the next snapshot is due. */
  nextAt(): Date | null;
  close(): Promise<void>;
}

/** Starts the schedule; its timer does not keep the process alive. */
export function scheduleSnapshots(schedule: SnapshotSchedule): SnapshotScheduler {
  const { intervalMs, log } = schedule;
  let timer: NodeJS.Timeout | null = null;
  let next: Date | null = null;
  let running: Promise<void> | null = null;
  let closed = false;

  const arm = (delayMs: number): void => {
    if (closed) return;
    next = new Date(schedule.now().getTime() + delayMs);
    timer = setTimeout(fire, delayMs);
    timer.unref();
  };
  const fire = (): void => {
    timer = null;
    running = schedule.run()
      .catch((err: unknown) => log.error({ err }, 'scheduled snapshot failed; the next one is tried after the interval'))
      .finally(() => {
        running = null;
        arm(intervalMs);
      });
  };

  const newest = listSnapshots(schedule.dir).at(-1);
  const due = newest === undefined ? 0 : newest.time.getTime() + intervalMs - schedule.now().getTime();
  const grace = Math.min(intervalMs, SNAPSHOT_START_GRACE_MS);
  arm(Math.min(intervalMs, Math.max(due, grace)));
  return {
    nextAt: () => next,
    async close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      next = null;
      await running;
    },
  };
}
