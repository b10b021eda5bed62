// The server's side of the change log: what the store captured in the write
// path's transaction (store/change-capture.ts) is appended to the change-log
// file after the commit and before any caller hears of it, one write and one
// fsync per batch (flush is called from the write path's onZoneChanged, before
// it settles its callers).
import { ChangeCapture, ChangeLogFile, capturedChangeLine, restoreLine, type LoggedRestore, type Store } from '../store/index.js';
import type { Logger } from '../log/index.js';
import type { BackupSettings } from './backup-layout.js';

/** Appends committed changes to the change log. */
export interface ChangeLogWriter {
  /**
   * Appends every change committed since the last flush (nothing when there is
   * none: a cheap read of an empty TEMP table) with one fsync. An I/O failure is
   * logged and the changes kept for the next flush: the change itself is
   * committed and served already, only its second copy is late.
   */
  flush(): void;
  /** Appends a restore line (after flushing what came before it). */
  appendRestore(restore: Omit<LoggedRestore, 'kind'>): void;
  /** Runs `fn` with capture suspended: bulk writes that are not changes (a restore, a replay of logged changes). */
  without<T>(fn: () => T): T;
  /** Flushes, stops capturing and closes the file. Safe to call twice. */
  close(): void;
}

/** Starts capturing on `store`'s connection and opens the change log in `settings.journalDir`. */
export function createChangeLogWriter(store: Store, settings: BackupSettings, log: Logger): ChangeLogWriter {
  const capture = new ChangeCapture(store);
  let file: ChangeLogFile;
  try {
    file = new ChangeLogFile(settings.journalDir, { maxFileBytes: settings.journalFileBytes, keepFiles: settings.journalKeep });
  } catch (err) {
    capture.close();
    throw err;
  }
  let failing = false;
  let closed = false;

  const flush = (): void => {
    if (closed) return;
    const changes = capture.take();
    if (changes.length === 0) return;
    try {
      file.append(changes.map(capturedChangeLine));
    } catch (err) {
      if (!failing) log.error({ err, dir: file.dir, pending: changes.length }, 'change log not written; changes are kept in memory and retried with the next batch');
      failing = true;
      return;
    }
    if (failing) log.info({ dir: file.dir, written: changes.length }, 'change log written again');
    failing = false;
    capture.release(changes.at(-1)!.id);
  };

  return {
    flush,
    appendRestore(restore) {
      flush();
      file.append([restoreLine(restore)]);
    },
    without: (fn) => capture.without(fn),
    close() {
      if (closed) return;
      flush();
      closed = true;
      capture.close();
      file.close();
    },
  };
}
