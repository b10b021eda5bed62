// The change log: every committed zone change as one JSON line in files beside
// the database (<dir>/changes-000001.jsonl, -000002, ...), so that the changes
// made after a snapshot survive the loss of the database and can be replayed onto
// the restored snapshot. Lines are appended by batch with ONE fsync per batch
// (which the write path runs beside SQLite's COMMIT: ChangeLogFile.write/sync);
// a file past the size limit is closed and the next one begun; the oldest files
// beyond the number kept are deleted. The format is in src/ops/README.md.
import {
  closeSync, existsSync, fstatSync, fsync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, readdirSync, readSync, rmSync, writeSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import type { CapturedChange } from './change-capture.js';
import type { Store } from './store.js';
import { decodeChangeset, type Changeset } from './changeset.js';

/** Version of the line format, written as "v" in every line. */
export const CHANGE_LOG_VERSION = 1;

/** A change of a zone's records (or its creation, serialBefore null), as logged. */
export interface LoggedChange {
  readonly kind: 'change';
  readonly zone: string;
  readonly serialBefore: number | null;
  readonly serialAfter: number;
  readonly time: string;
  readonly principal: string | null;
  readonly source: string | null;
  readonly changeset: Changeset;
}

/** The deletion of a zone, as logged. */
export interface LoggedDelete {
  readonly kind: 'delete';
  readonly zone: string;
  readonly serialBefore: number;
  readonly time: string;
  readonly principal: string | null;
}

/** A restore: from here the database holds a snapshot's content, each zone at the serial named. */
export interface LoggedRestore {
  readonly kind: 'restore';
  readonly time: string;
  /** The snapshot file restored. */
  readonly file: string;
  /** Every zone of the restored database and its serial. */
  readonly zones: Readonly<Record<string, number>>;
}

/** One line of the change log. */
export type ChangeLogEntry = LoggedChange | LoggedDelete | LoggedRestore;

/** A line read back, with where it was. */
export interface ChangeLogLine {
  /** Order in the whole log (0, 1, 2, ... across files). */
  readonly position: number;
  /** "changes-000003.jsonl:17", for messages. */
  readonly where: string;
  readonly entry: ChangeLogEntry;
}

/** Limits of ChangeLogFile. */
export interface ChangeLogLimits {
  /** A file that has reached this size is closed and the next one begun. */
  readonly maxFileBytes: number;
  /** Files kept; older ones are deleted when a new one is begun (0 keeps all). */
  readonly keepFiles: number;
}

/** Why a change-log file could not be read. */
export class ChangeLogError extends Error {
  /** INVALID: a line that is not a change-log entry. */
  readonly code = 'INVALID';
  /** The file and line. */
  readonly where: string;
  constructor(where: string, message: string) {
    super(`${where}: ${message}`);
    this.name = 'ChangeLogError';
    this.where = where;
  }
}

const FILE_PATTERN = /^changes-(\d{6,})\.jsonl$/;

/** The change-log files in `dir`, oldest first (none when the directory does not exist). */
export function changeLogFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => ({ name, n: FILE_PATTERN.exec(name)?.[1] }))
    .filter((f): f is { name: string; n: string } => f.n !== undefined)
    .sort((a, b) => Number(a.n) - Number(b.n))
    .map((f) => join(dir, f.name));
}

/** One JSON line (with its newline) for a captured change. */
export function capturedChangeLine(change: CapturedChange): string {
  const head = {
    v: CHANGE_LOG_VERSION, kind: change.kind, zone: change.zone, serial_before: change.serialBefore, serial_after: change.serialAfter,
    time: change.time, principal: change.principal,
  };
  if (change.kind === 'delete' || change.changeset === null) return `${JSON.stringify(head)}\n`;
  // The changeset is already the journal's JSON: spliced in, not parsed and written again.
  const text = JSON.stringify({ ...head, source: change.source });
  return `${text.slice(0, -1)},"changeset":${change.changeset}}\n`;
}

/**
 * Whether the database on `store` has a logged entry (for ChangeLogFile.dropUncommitted):
 * a change if its zone has the journal row (same serial and time), a deletion if
 * the zone is gone; a restore always.
 */
export function committedIn(store: Store): (entry: ChangeLogEntry) => boolean {
  const journal = store.connection.prepare(`SELECT 1 FROM journal j JOIN zones z ON z.id = j.zone_id
    WHERE z.name = ? AND j.serial_after = ? AND j.time = ? LIMIT 1`);
  const zone = store.connection.prepare('SELECT 1 FROM zones WHERE name = ?');
  return (entry) => {
    switch (entry.kind) {
      case 'change': return journal.get(entry.zone, entry.serialAfter, entry.time) !== undefined;
      case 'delete': return zone.get(entry.zone) === undefined;
      case 'restore': return true;
    }
  };
}

/** One JSON line (with its newline) for a restore. */
export function restoreLine(restore: Omit<LoggedRestore, 'kind'>): string {
  return `${JSON.stringify({ v: CHANGE_LOG_VERSION, kind: 'restore', time: restore.time, file: restore.file, zones: restore.zones })}\n`;
}

/** Where one ChangeLogFile.write put its lines: what `unwrite` needs to take them back. */
export interface ChangeLogMark {
  /** The file's number (changes-NNNNNN). */
  readonly file: number;
  /** The offset the write began at. */
  readonly start: number;
  /** Lines of an earlier write whose fsync failed, written again ahead of the caller's (kept by unwrite). */
  readonly retried: readonly string[];
}

/** A write past the last fsync: its lines are kept until an fsync covers them, to be written again if one fails. */
interface Unsynced {
  readonly end: number;
  readonly lines: readonly string[];
}

/**
 * The change log being written. Appends go to the newest file. `append` is one
 * write and one fsync; `write` then `sync` split them, so that the caller can
 * overlap the fsync with other work (the write path overlaps it with SQLite's
 * COMMIT): `sync` runs fsync on libuv's thread pool, and callers waiting at the
 * same time share one fsync. Lines whose fsync fails are cut from the file and
 * written again, ahead of the next lines, by the next write or sync. Close when
 * done.
 */
export class ChangeLogFile {
  /** The directory of the files. */
  readonly dir: string;
  readonly #limits: ChangeLogLimits;
  #fd: number;
  #number: number;
  /** Bytes in the current file. */
  #size: number;
  /** Bytes of the current file known to be on disk. */
  #synced: number;
  /** Writes past #synced, oldest first. */
  #unsynced: Unsynced[] = [];
  /** Lines whose fsync failed: written again before anything else. */
  #retry: string[] = [];
  /** The lowest offset the file was cut back to while an fsync was in flight (Infinity: not cut). */
  #cutTo = Infinity;
  /** fsyncs run one after another on this chain; it never rejects. */
  #chain: Promise<void> = Promise.resolve();
  /** Steps of the chain not yet done. */
  #pending = 0;

  /**
   * Opens `dir` (created if missing) for appending to its newest file. A last
   * line cut short by a crash is removed first, so the next line starts clean.
   */
  constructor(dir: string, limits: ChangeLogLimits) {
    this.dir = dir;
    this.#limits = limits;
    mkdirSync(dir, { recursive: true });
    const newest = changeLogFiles(dir).at(-1);
    this.#number = newest === undefined ? 1 : Number(FILE_PATTERN.exec(basename(newest))![1]);
    this.#fd = openSync(this.#path(this.#number), 'a+');
    this.#size = dropTornLine(this.#fd);
    this.#synced = this.#size;
    if (newest === undefined) syncDirectory(dir);
  }

  /** The file appended to now. */
  get currentFile(): string {
    return this.#path(this.#number);
  }

  /**
   * Cuts off the last batch when `isCommitted` says the database does not have
   * it: lines written ahead of their COMMIT by a process that died before the
   * COMMIT was durable (never acknowledged). Only the last batch can be in that
   * state, so only lines at the end sharing the last line's time (one batch has
   * one time) are cut, and only when the line before them is in the database
   * (or they are all the log holds): a database replaced behind the log's back
   * (a snapshot copied in by hand) lacks many batches, and then nothing is cut;
   * `doubtful` counts the lines left for that reason. A line that does not
   * parse stops the walk (replay reports it). Call right after opening.
   */
  dropUncommitted(isCommitted: (entry: ChangeLogEntry) => boolean): { cut: number; doubtful: number } {
    let end = this.#size;
    let lines = 0;
    let batchTime: string | null = null;
    let confirmed = false;
    while (end > 0) {
      const { start, text } = lineBefore(this.#fd, end);
      if (text.trim() !== '') {
        let entry: ChangeLogEntry;
        try {
          entry = parseEntry(text, `${basename(this.currentFile)}@${start}`);
        } catch {
          return { cut: 0, doubtful: 0 };
        }
        if (isCommitted(entry)) {
          confirmed = true;
          break;
        }
        batchTime ??= entry.time;
        if (entry.time !== batchTime) return { cut: 0, doubtful: lines + 1 };
        lines++;
      }
      end = start;
    }
    // At the start of the file: the batch is all the log holds only when no older file exists.
    if (!confirmed && changeLogFiles(this.dir).length > 1) return { cut: 0, doubtful: lines };
    if (end < this.#size) {
      ftruncateSync(this.#fd, end);
      fsyncSync(this.#fd);
      this.#size = end;
      this.#synced = end;
    }
    return { cut: lines, doubtful: 0 };
  }

  /** True when lines whose fsync failed wait to be written again. */
  get hasRetry(): boolean {
    return this.#retry.length > 0;
  }

  /**
   * Appends lines (each ending in a newline) with one write and one fsync:
   * durable when this returns. Begins the next file first when the current one
   * is full. Throws on an I/O error (nothing is known to be written then).
   */
  append(lines: readonly string[]): void {
    this.write(lines);
    this.#syncNow();
  }

  /**
   * Appends lines (each ending in a newline) with one write, without waiting for
   * the disk: `sync` makes them durable. Lines of a failed fsync go first.
   * Begins the next file first when the current one is full. Throws on an I/O
   * error; the file is cut back to where the write began, and the caller keeps
   * its lines (lines being retried stay kept here).
   */
  write(lines: readonly string[]): ChangeLogMark {
    if (this.#size >= this.#limits.maxFileBytes) this.#rotate();
    const retried = this.#retry;
    const all = retried.length === 0 ? lines : [...retried, ...lines];
    const start = this.#size;
    if (all.length === 0) return { file: this.#number, start, retried };
    const bytes = Buffer.from(all.join(''), 'utf8');
    try {
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(this.#fd, bytes, offset);
    } catch (err) {
      this.#cut(start);
      throw err;
    }
    this.#retry = [];
    this.#size = start + bytes.length;
    this.#unsynced.push({ end: this.#size, lines: all });
    return { file: this.#number, start, retried };
  }

  /**
   * Takes back the lines of the last `write` (its transaction rolled back): the
   * file is cut to where that write began; lines it retried stay kept. Nothing
   * may have been written after it.
   */
  unwrite(mark: ChangeLogMark): void {
    if (mark.file !== this.#number) throw new Error('change log: unwrite after the file changed');
    if (mark.start >= this.#size) return;
    this.#unsynced = this.#unsynced.filter((u) => u.end <= mark.start);
    this.#cut(mark.start);
    if (mark.retried.length > 0) this.#retry = [...mark.retried, ...this.#retry];
  }

  /**
   * Resolves when every line written so far is on disk: one fsync on the thread
   * pool, shared with the callers waiting for the same one. Rejects on an I/O
   * error; the lines it should have covered are cut from the file and kept for
   * the next write or sync.
   */
  sync(): Promise<void> {
    // With none in flight, the fsync is handed to the thread pool now, not after this turn's synchronous work.
    const step = this.#pending === 0 ? this.#syncStep() : this.#chain.then(() => this.#syncStep());
    this.#pending++;
    this.#chain = step.then(() => {
      this.#pending--;
    }, () => {
      this.#pending--;
    });
    return step;
  }

  /**
   * Syncs what was written and not yet synced (best effort: close after a
   * successful append or sync to be sure), and closes the file once the fsyncs
   * in flight are done. Safe to call twice.
   */
  close(): void {
    if (this.#fd < 0) return;
    if (this.#synced < this.#size) {
      try {
        this.#syncNow();
      } catch {
        // Reported by the sync of whoever wrote the lines.
      }
    }
    closeAfterChain(this.#chain, this.#fd);
    this.#fd = -1;
  }

  #path(n: number): string {
    return join(this.dir, `changes-${String(n).padStart(6, '0')}.jsonl`);
  }

  /** One turn of the fsync chain: writes lines being retried, then fsyncs what the file holds now. */
  async #syncStep(): Promise<void> {
    if (this.#fd < 0) {
      if (this.#retry.length > 0 || this.#synced < this.#size) throw new Error(`change log ${this.dir} closed before its last lines were on disk`);
      return;
    }
    if (this.#retry.length > 0) this.write([]);
    if (this.#synced >= this.#size) return;
    const fd = this.#fd;
    const number = this.#number;
    const end = this.#size;
    this.#cutTo = Infinity;
    try {
      await new Promise<void>((resolve, reject) => fsync(fd, (err) => (err === null ? resolve() : reject(err))));
    } catch (err) {
      if (this.#number === number && this.#fd === fd) this.#failed();
      throw err;
    }
    // Bytes cut and written again while the fsync ran are not known to be covered by it.
    if (this.#number === number) this.#advance(Math.min(end, this.#cutTo));
  }

  /** fsync now, on this thread. */
  #syncNow(): void {
    try {
      fsyncSync(this.#fd);
    } catch (err) {
      this.#failed();
      throw err;
    }
    this.#advance(this.#size);
  }

  /** Everything up to `offset` is on disk. */
  #advance(offset: number): void {
    if (offset <= this.#synced) return;
    this.#synced = offset;
    this.#unsynced = this.#unsynced.filter((u) => u.end > offset);
  }

  /**
   * An fsync failed: after that, what the file holds past the last good fsync is
   * unknown (Linux may have dropped the dirty pages). Cut it off and keep its
   * lines to be written again.
   */
  #failed(): void {
    const lines = this.#unsynced.flatMap((u) => u.lines);
    this.#unsynced = [];
    this.#cut(this.#synced);
    this.#retry = [...lines, ...this.#retry];
  }

  /** Cuts the current file back to `offset` (best effort: a failure leaves a torn line, dropped when the file is next opened). */
  #cut(offset: number): void {
    this.#cutTo = Math.min(this.#cutTo, offset);
    try {
      ftruncateSync(this.#fd, offset);
      this.#size = offset;
    } catch {
      // Later lines go after whatever is there; readChangeLog reports a line it cannot parse.
    }
    if (this.#synced > offset) this.#synced = offset;
  }

  /** Syncs and closes the full file, begins the next, and deletes the oldest beyond the number kept. */
  #rotate(): void {
    this.#syncNow();
    // An fsync in flight on the thread pool may still use the old descriptor.
    closeAfterChain(this.#chain, this.#fd);
    this.#fd = -1;
    this.#number++;
    this.#fd = openSync(this.#path(this.#number), 'a+');
    this.#size = 0;
    this.#synced = 0;
    this.#unsynced = [];
    syncDirectory(this.dir);
    const keep = this.#limits.keepFiles;
    if (keep <= 0) return;
    const files = changeLogFiles(this.dir);
    for (const old of files.slice(0, Math.max(0, files.length - keep))) rmSync(old, { force: true });
  }
}

/** Closes `fd` once `chain` (which never rejects) has settled, so no fsync queued on it meets a reused descriptor. */
function closeAfterChain(chain: Promise<void>, fd: number): void {
  void chain.then(() => {
    try {
      closeSync(fd);
    } catch {
      // Already closed: nothing to release.
    }
  });
}

/**
 * Reads change-log files in the order given. A last line without its newline in
 * the last file (a crash while appending; never acknowledged) is skipped and
 * reported in `torn`; any other line that is not an entry throws ChangeLogError.
 */
export function readChangeLog(files: readonly string[]): { lines: ChangeLogLine[]; torn: string | null } {
  const lines: ChangeLogLine[] = [];
  let torn: string | null = null;
  files.forEach((file, index) => {
    const text = readFileSync(file, 'utf8');
    const parts = text.split('\n');
    const last = parts.pop()!;
    if (last !== '') {
      const where = `${basename(file)}:${parts.length + 1}`;
      if (index !== files.length - 1) throw new ChangeLogError(where, 'line cut short (no newline) before the end of the log');
      torn = where;
    }
    parts.forEach((line, i) => {
      const where = `${basename(file)}:${i + 1}`;
      if (line.trim() === '') return;
      lines.push({ position: lines.length, where, entry: parseEntry(line, where) });
    });
  });
  return { lines, torn };
}

/** Checks one line's JSON against the format. */
function parseEntry(line: string, where: string): ChangeLogEntry {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new ChangeLogError(where, 'not a JSON line');
  }
  if (typeof raw !== 'object' || raw === null) throw new ChangeLogError(where, 'not a JSON object');
  if (raw['v'] !== CHANGE_LOG_VERSION) throw new ChangeLogError(where, `format version ${String(raw['v'])} is not ${CHANGE_LOG_VERSION}`);
  const time = raw['time'];
  if (typeof time !== 'string') throw new ChangeLogError(where, '"time" must be a string');
  const serial = (key: string, nullable: boolean): number | null => {
    const v = raw[key];
    if (v === null && nullable) return null;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      throw new ChangeLogError(where, `"${key}" must be a serial${nullable ? ' or null' : ''}`);
    }
    return v;
  };
  const zone = (): string => {
    const z = raw['zone'];
    if (typeof z !== 'string' || !z.endsWith('.')) throw new ChangeLogError(where, '"zone" must be an absolute zone name');
    return z;
  };
  const principal = typeof raw['principal'] === 'string' ? raw['principal'] : null;
  switch (raw['kind']) {
    case 'change': {
      let changeset: Changeset;
      try {
        changeset = decodeChangeset(JSON.stringify(raw['changeset']));
      } catch (err) {
        throw new ChangeLogError(where, `"changeset" does not decode: ${err instanceof Error ? err.message : String(err)}`);
      }
      return {
        kind: 'change', zone: zone(), serialBefore: serial('serial_before', true), serialAfter: serial('serial_after', false)!, time, principal,
        source: typeof raw['source'] === 'string' ? raw['source'] : null, changeset,
      };
    }
    case 'delete':
      return { kind: 'delete', zone: zone(), serialBefore: serial('serial_before', false)!, time, principal };
    case 'restore': {
      const zones = raw['zones'];
      if (typeof zones !== 'object' || zones === null || Array.isArray(zones)) throw new ChangeLogError(where, '"zones" must be an object');
      for (const [name, s] of Object.entries(zones)) {
        if (typeof s !== 'number') throw new ChangeLogError(where, `"zones" entry "${name}" must be a serial`);
      }
      return { kind: 'restore', time, file: typeof raw['file'] === 'string' ? raw['file'] : '', zones: zones as Record<string, number> };
    }
    default:
      throw new ChangeLogError(where, `unknown kind ${JSON.stringify(raw['kind'])}`);
  }
}

/** The line that ends (with its newline) at `end`: its first byte's offset and its text without the newline. */
function lineBefore(fd: number, end: number): { start: number; text: string } {
  const chunk = Buffer.alloc(1 << 16);
  const parts: Buffer[] = [];
  let pos = end - 1; // the newline itself
  let start = 0;
  while (pos > 0) {
    const from = Math.max(0, pos - chunk.length);
    const n = pos - from;
    readSync(fd, chunk, 0, n, from);
    const newline = chunk.subarray(0, n).lastIndexOf(0x0a);
    if (newline >= 0) {
      parts.unshift(Buffer.from(chunk.subarray(newline + 1, n)));
      start = from + newline + 1;
      break;
    }
    parts.unshift(Buffer.from(chunk.subarray(0, n)));
    pos = from;
  }
  return { start, text: Buffer.concat(parts).toString('utf8') };
}

/** Truncates the file after its last newline (a torn final line); returns the resulting size. */
function dropTornLine(fd: number): number {
  const size = fstatSync(fd).size;
  const chunk = Buffer.alloc(1 << 16);
  let end = size;
  // Backwards, one chunk at a time: a torn line may be a large changeset.
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    readSync(fd, chunk, 0, end - start, start);
    const newline = chunk.subarray(0, end - start).lastIndexOf(0x0a);
    if (newline >= 0) {
      end = start + newline + 1;
      break;
    }
    end = start;
  }
  if (end === size) return size;
  ftruncateSync(fd, end);
  fsyncSync(fd);
  return end;
}

/** fsyncs a directory so a file created or renamed in it survives a crash (best effort where a directory cannot be synced). */
export function syncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a directory; the data itself is synced.
  } finally {
    closeSync(fd);
  }
}
