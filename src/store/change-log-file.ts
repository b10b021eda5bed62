// The change log: every committed zone change as one JSON line in files beside
// the database (<dir>/changes-000001.jsonl, -000002, ...), so that the changes
// made after a snapshot survive the loss of the database and can be replayed onto
// the restored snapshot. Lines are appended by batch with ONE fsync per batch;
// a file past the size limit is closed and the next one begun; the oldest files
// beyond the number kept are deleted. The format is in src/ops/README.md.
import {
  closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, readdirSync, readSync, rmSync, writeSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import type { CapturedChange } from './change-capture.js';
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

/** One JSON line (with its newline) for a restore. */
export function restoreLine(restore: Omit<LoggedRestore, 'kind'>): string {
  return `${JSON.stringify({ v: CHANGE_LOG_VERSION, kind: 'restore', time: restore.time, file: restore.file, zones: restore.zones })}\n`;
}

/**
 * The change log being written. Appends go to the newest file; a batch is one
 * write and one fsync. Close when done.
 */
export class ChangeLogFile {
  /** The directory of the files. */
  readonly dir: string;
  readonly #limits: ChangeLogLimits;
  #fd: number;
  #number: number;
  #size: number;

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
    if (newest === undefined) syncDirectory(dir);
  }

  /** The file appended to now. */
  get currentFile(): string {
    return this.#path(this.#number);
  }

  /**
   * Appends lines (each ending in a newline) with one write and one fsync:
   * durable when this returns. Begins the next file first when the current one
   * is full. Throws on an I/O error (nothing is known to be written then).
   */
  append(lines: readonly string[]): void {
    if (lines.length === 0) return;
    if (this.#size >= this.#limits.maxFileBytes) this.#rotate();
    const bytes = Buffer.from(lines.join(''), 'utf8');
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(this.#fd, bytes, offset);
    fsyncSync(this.#fd);
    this.#size += bytes.length;
  }

  /** Closes the file. Safe to call twice. */
  close(): void {
    if (this.#fd < 0) return;
    closeSync(this.#fd);
    this.#fd = -1;
  }

  #path(n: number): string {
    return join(this.dir, `changes-${String(n).padStart(6, '0')}.jsonl`);
  }

  /** Closes the full file, begins the next, and deletes the oldest beyond the number kept. */
  #rotate(): void {
    closeSync(this.#fd);
    this.#fd = -1;
    this.#number++;
    this.#fd = openSync(this.#path(this.#number), 'a+');
    this.#size = 0;
    syncDirectory(this.dir);
    const keep = this.#limits.keepFiles;
    if (keep <= 0) return;
    const files = changeLogFiles(this.dir);
    for (const old of files.slice(0, Math.max(0, files.length - keep))) rmSync(old, { force: true });
  }
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
