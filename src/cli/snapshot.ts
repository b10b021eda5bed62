// mcns snapshot: a consistent copy of the database, taken while the server may
// be serving and writing, checked, named by the time, old ones pruned. With
// --config the CLI copies the database file itself (a second SQLite connection);
// without it the running server takes the snapshot (createSnapshot, admin).
import { existsSync } from 'node:fs';
import { loadConfig } from '../config/index.js';
import { formatBytes, OpsError, takeSnapshot } from '../ops/index.js';
import type { SnapshotView } from '../service/index.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';
import { isLocalRun, withApiClient, type LocalOrRemoteOptions } from './with-api-client.js';

/** Options of `snapshot`. */
export interface SnapshotOptions extends LocalOrRemoteOptions {
  readonly json?: boolean;
}

/**
 * Takes the snapshot into [backup] dir and prints
 * `snapshot PATH (1.2 MiB, integrity ok)`; problems of mcns invariants found
 * in the copy follow, one per line on stderr; deleted old snapshots too.
 * --json prints {path, bytes, problems, pruned}.
 */
export async function snapshot(options: SnapshotOptions, io: CliIo): Promise<number> {
  let result: SnapshotView;
  let keep: number | null = null;
  if (isLocalRun(options, 'snapshot')) {
    const config = loadConfig({ path: options.config, cwd: io.cwd });
    const database = config.database.path;
    if (!existsSync(database)) throw new OpsError('NOT_FOUND', `database ${database} not found; nothing to snapshot`);
    const taken = await takeSnapshot(database, config.backup.dir, config.backup.keep, new Date());
    result = { path: taken.path, bytes: taken.bytes, problems: taken.problems, pruned: taken.pruned };
    keep = config.backup.keep;
  } else {
    result = await withApiClient(options, io, (api) => api.call('createSnapshot', {}));
  }
  if (options.json === true) {
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return ExitCode.OK;
  }
  const n = result.problems.length;
  io.stdout.write(`snapshot ${result.path} (${formatBytes(result.bytes)}, ${n === 0 ? 'integrity ok' : `${n} integrity problem${n === 1 ? '' : 's'}`})\n`);
  for (const problem of result.problems) io.stderr.write(`  ${problem}\n`);
  for (const old of result.pruned) io.stderr.write(`deleted old snapshot ${old}${keep === null ? '' : ` (keep = ${keep})`}\n`);
  return ExitCode.OK;
}
