// The server's side of the change log: what the store captured in a write
// transaction (store/change-capture.ts) is written to the change-log file INSIDE
// that transaction, after its statements and before its COMMIT, and fsynced on
// the thread pool while SQLite's COMMIT runs its own fsync; the write path
// answers only once both are done (Store.follow and Store.copied). So a change
// is in the log whenever the database has it, even when the process dies right
// after the COMMIT. The reverse can happen: the process dies after the log's
// write and before the COMMIT is durable; those lines, never acknowledged, are
// cut off when the log is next opened (ChangeLogFile.dropUncommitted).
//
//   BEGIN ─ statements ─ stage: take captured, write lines ─ COMMIT (fsync WAL) ─┬─ publish, then answer
//                                  └─ fsync log (thread pool) ──────────────────┘
//   COMMIT fails: the staged lines are cut from the file again.
import {
  ChangeCapture, ChangeLogFile, capturedChangeLine, committedIn, restoreLine, type ChangeLogMark, type LoggedRestore, type StagedCopy, type Store,
} from '../store/index.js';
import { statSync } from 'node:fs';
import type { Logger } from '../log/index.js';
import type { BackupSettings } from './backup-layout.js';

/** Appends committed changes to the change log. */
export interface ChangeLogWriter {
  /**
   * Appends every change captured and not yet written (those of writes outside
   * Store.write; nothing when there is none: a cheap read of an empty TEMP
   * table) with one fsync. An I/O failure is logged and the changes kept for
   * the next write: the change itself is committed and served already, only its
   * second copy is late.
   */
  flush(): void;
  /** Appends a restore line (after flushing what came before it). */
  appendRestore(restore: Omit<LoggedRestore, 'kind'>): void;
  /** Runs `fn` with capture suspended: bulk writes that are not changes (a restore, a replay of logged changes). */
  without<T>(fn: () => T): T;
  /** Flushes, stops capturing and following the store's writes, and closes the file. Safe to call twice. */
  close(): void;
}

/**
 * Starts capturing on `store`'s connection, opens the change log in
 * `settings.journalDir` (cutting off lines of a batch whose COMMIT never became
 * durable), and joins every Store.write from now on.
 */
export function createChangeLogWriter(store: Store, settings: BackupSettings, log: Logger, crashed = walHasFrames(store.path)): ChangeLogWriter {
  const capture = new ChangeCapture(store);
  let file: ChangeLogFile;
  try {
    file = new ChangeLogFile(settings.journalDir, { maxFileBytes: settings.journalFileBytes, keepFiles: settings.journalKeep });
    // A process that died mid-COMMIT leaves frames in the WAL; a database copied in by hand (or stopped cleanly) has none.
    // `crashed` is read before anything opens the database: the last connection to close removes the WAL.
    const { cut, doubtful } = crashed ? file.dropUncommitted(committedIn(store)) : { cut: 0, doubtful: 0 };
    if (cut > 0) log.warn({ file: file.currentFile, lines: cut }, 'change log: cut the last batch, which the database does not have (a stop before its commit; never acknowledged)');
    if (doubtful > 0) {
      log.warn({ file: file.currentFile, lines: doubtful },
        'change log: the database does not have the log\'s last changes and more; nothing cut (was the database replaced without mcns restore? see mcns replay)');
    }
  } catch (err) {
    capture.close();
    throw err;
  }
  let failing = false;
  let closed = false;

  const failed = (err: unknown, pending: number): void => {
    if (!failing) log.error({ err, dir: file.dir, pending }, 'change log not written; changes are kept in memory and retried with the next batch');
    failing = true;
  };
  const recovered = (written: number): void => {
    if (failing) log.info({ dir: file.dir, written }, 'change log written again');
    failing = false;
  };

  const flush = (): void => {
    if (closed) return;
    const changes = capture.take();
    if (changes.length === 0 && !file.hasRetry) return;
    try {
      file.append(changes.map(capturedChangeLine));
    } catch (err) {
      failed(err, changes.length);
      return;
    }
    recovered(changes.length);
    if (changes.length > 0) capture.release(changes.at(-1)!.id);
  };

  /** Inside a write transaction: the lines of what it captured go to the file, unsynced. */
  const stage = (): StagedCopy | null => {
    if (closed) return null;
    const changes = capture.take();
    if (changes.length === 0 && !file.hasRetry) return null;
    let mark: ChangeLogMark;
    try {
      mark = file.write(changes.map(capturedChangeLine));
    } catch (err) {
      // Not written: the captured rows stay (a rollback keeps only those of committed writes) for the next try.
      failed(err, changes.length);
      return null;
    }
    // Released in the transaction: a rollback brings the rows back, and rolledBack takes the lines back.
    if (changes.length > 0) capture.release(changes.at(-1)!.id);
    // The fsync starts now, so that it runs while SQLite's COMMIT runs its own.
    const synced = file.sync().then(() => recovered(changes.length), (err: unknown) => failed(err, changes.length));
    return {
      committed: () => synced,
      rolledBack: () => {
        try {
          file.unwrite(mark);
        } catch (err) {
          log.error({ err, file: file.currentFile }, 'change log: lines of a rolled-back write could not be cut; replay may report them');
        }
      },
    };
  };
  store.follow({ beforeCommit: stage });

  return {
    flush,
    appendRestore(restore) {
      flush();
      file.append([restoreLine(restore)]);
    },
    without: (fn) => capture.without(fn),
    close() {
      if (closed) return;
      store.follow(null);
      flush();
      closed = true;
      capture.close();
      file.close();
    },
  };
}

/**
 * True when the database's WAL file holds frames (serve stops with it emptied; a
 * crash leaves them). Ask before any connection to the database opens and closes:
 * the last connection to close checkpoints the WAL and removes it.
 */
export function walHasFrames(databasePath: string): boolean {
  try {
    return statSync(`${databasePath}-wal`).size > 0;
  } catch {
    return false;
  }
}
