// A snapshot: a consistent copy of the live database (SQLite's online backup
// API) named mcns-YYYYMMDD-HHMMSS.db (UTC; -1, -2, ... when the name is taken),
// checked like `mcns integrity-check` before it gets its name, then the oldest
// snapshots beyond `keep` are deleted.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { backupDatabase, checkDatabase, syncDirectory, type Store } from '../store/index.js';
import { OpsError } from './ops-error.js';

/** What takeSnapshot wrote. */
export interface SnapshotResult {
  /** The snapshot file. */
  readonly path: string;
  readonly bytes: number;
  /** Zones in it and their serials. */
  readonly zones: ReadonlyMap<string, number>;
  /** Problems of the mcns invariants found in the copy (none: "integrity ok"); SQLite-level damage throws instead. */
  readonly problems: readonly string[];
  /** Older snapshots deleted to keep the newest `keep`. */
  readonly pruned: readonly string[];
}

/** One snapshot file in the backup directory. */
export interface SnapshotFile {
  readonly path: string;
  /** The time in its name. */
  readonly time: Date;
}

const NAME_PATTERN = /^mcns-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(?:-(\d+))?\.db$/;

/**
 * Copies the database (the server's Store, or the file at a path from another
 * process) into `dir`, checks the copy (PRAGMA integrity_check, foreign keys,
 * mcns invariants), and deletes the oldest snapshots beyond `keep` (0: none).
 * A copy that fails its check is deleted and CORRUPT thrown: the database it
 * came from is damaged.
 */
export async function takeSnapshot(source: Store | string, dir: string, keep: number, now: Date): Promise<SnapshotResult> {
  mkdirSync(dir, { recursive: true });
  const path = freeName(dir, now);
  const partial = `${path}.partial`;
  rmSync(partial, { force: true });
  const written = await backupDatabase(source, partial);
  const check = checkDatabase(partial);
  if (check.problems.length > 0 && (check.corrupt || !check.isMcnsDatabase)) {
    rmSync(partial, { force: true });
    const from = typeof source === 'string' ? source : source.path;
    throw new OpsError('CORRUPT', `snapshot of database ${from} fails its integrity check (${check.problems[0]}): ` +
      'see RUNBOOK.md "Database corruption"', check.problems);
  }
  renameSync(partial, path);
  syncDirectory(dir);
  return { path, bytes: written.bytes, zones: check.zones, problems: check.problems, pruned: pruneSnapshots(dir, keep) };
}

/** The snapshots in `dir`, oldest first (by the time in the name, then the -N suffix). */
export function listSnapshots(dir: string): SnapshotFile[] {
  if (!existsSync(dir)) return [];
  const found: { path: string; time: Date; n: number }[] = [];
  for (const name of readdirSync(dir)) {
    const m = NAME_PATTERN.exec(name);
    if (m === null) continue;
    const time = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
    found.push({ path: join(dir, name), time, n: m[7] === undefined ? 0 : Number(m[7]) });
  }
  found.sort((a, b) => a.time.getTime() - b.time.getTime() || a.n - b.n);
  return found.map(({ path, time }) => ({ path, time }));
}

/** Deletes the oldest snapshots beyond the newest `keep` (0 keeps all); returns the paths deleted. */
export function pruneSnapshots(dir: string, keep: number): string[] {
  if (keep <= 0) return [];
  const all = listSnapshots(dir);
  const old = all.slice(0, Math.max(0, all.length - keep)).map((s) => s.path);
  for (const path of old) rmSync(path, { force: true });
  return old;
}

/** "1.2 MiB", "880 KiB", "512 B". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

/** mcns-YYYYMMDD-HHMMSS.db for `now` in UTC, with -1, -2, ... until no file has the name. */
function freeName(dir: string, now: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}-${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  for (let n = 0; ; n++) {
    const path = join(dir, n === 0 ? `mcns-${stamp}.db` : `mcns-${stamp}-${n}.db`);
    if (!existsSync(path) && !existsSync(`${path}.partial`)) return path;
  }
}
