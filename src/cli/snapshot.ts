// mcns snapshot [--config F]: a consistent copy of the database, online (the
// server may be serving and writing), checked, named by the time, old ones pruned.
import { existsSync } from 'node:fs';
import { loadConfig } from '../config/index.js';
import { formatBytes, OpsError, takeSnapshot } from '../ops/index.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';

/** Options of `snapshot`. */
export interface SnapshotOptions {
  readonly config?: string;
  readonly json?: boolean;
}

/**
 * Takes the snapshot into [backup] dir and prints
 * `snapshot PATH (1.2 MiB, integrity ok)`; problems of mcns invariants found
 * in the copy follow, one per line on stderr; deleted old snapshots too.
 */
export async function snapshot(options: SnapshotOptions, io: CliIo): Promise<number> {
  const config = loadConfig({ path: options.config, cwd: io.cwd });
  const database = config.database.path;
  if (!existsSync(database)) throw new OpsError('NOT_FOUND', `database ${database} not found; nothing to snapshot`);
  const result = await takeSnapshot(database, config.backup.dir, config.backup.keep, new Date());
  if (options.json === true) {
    io.stdout.write(`${JSON.stringify({
      path: result.path, bytes: result.bytes, zones: Object.fromEntries(result.zones), problems: result.problems, pruned: result.pruned,
    }, null, 2)}\n`);
    return ExitCode.OK;
  }
  const integrity = result.problems.length === 0 ? 'integrity ok' : `${result.problems.length} integrity problem${result.problems.length === 1 ? '' : 's'}`;
  io.stdout.write(`snapshot ${result.path} (${formatBytes(result.bytes)}, ${integrity})\n`);
  for (const problem of result.problems) io.stderr.write(`  ${problem}\n`);
  for (const old of result.pruned) io.stderr.write(`deleted old snapshot ${old} (keep = ${config.backup.keep})\n`);
  return ExitCode.OK;
}
