// The storage families: the SQLite file and its write-ahead log on disk, and the
// age of the newest snapshot in the backups directory, stat()ed at each scrape
// (a few system calls every scrape interval, never on the DNS path).
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { registerPulled } from './pulled-metric.js';

/** Where the database and its snapshots live. */
export interface StorageSource {
  /** The SQLite file; its WAL is `<path>-wal`. */
  readonly databasePath: string;
  /** The directory snapshots are written to ([backup] dir). */
  readonly backupsDir: string;
  /** The clock, ms since the epoch. */
  readonly now: () => number;
}

/** Registers mcns_database_size_bytes, mcns_database_wal_size_bytes and mcns_snapshot_newest_age_seconds. */
export function registerStorageMetrics(registry: Registry, source: StorageSource): void {
  registerPulled(registry, 'mcns_database_size_bytes', 'Size of the SQLite database file (without its write-ahead log).', 'gauge', async (out) => {
    const size = await fileSize(source.databasePath);
    if (size !== null) out.push({ labels: {}, value: size });
  });
  registerPulled(registry, 'mcns_database_wal_size_bytes', 'Size of the SQLite write-ahead log (0 when there is none); it shrinks at each checkpoint.', 'gauge', async (out) => {
    out.push({ labels: {}, value: (await fileSize(`${source.databasePath}-wal`)) ?? 0 });
  });
  registerPulled(registry, 'mcns_snapshot_newest_age_seconds', 'Seconds since the newest snapshot in the backups directory was written; absent when there is none.', 'gauge', async (out) => {
    const newest = await newestModification(source.backupsDir);
    if (newest !== null) out.push({ labels: {}, value: Math.max(0, (source.now() - newest) / 1000) });
  });
}

/** The size of a file, or null when it does not exist or cannot be read. */
async function fileSize(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch {
    return null;
  }
}

/**
 * The latest modification time (ms) of the entries of `dir`, or null when it has
 * none or does not exist. Hidden entries and ones ending in ".partial" or ".tmp"
 * (a snapshot being written) do not count.
 */
async function newestModification(dir: string): Promise<number | null> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return null;
  }
  let newest: number | null = null;
  for (const name of names) {
    if (name.startsWith('.') || name.endsWith('.partial') || name.endsWith('.tmp')) continue;
    try {
      const mtime = (await stat(join(dir, name))).mtimeMs;
      if (newest === null || mtime > newest) newest = mtime;
    } catch {
      // removed between readdir and stat (pruning): skip it
    }
  }
  return newest;
}
