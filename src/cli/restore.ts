// mcns restore FILE [--config F]: the database becomes the snapshot FILE. The
// CLI copies, checks and migrates FILE first (a corrupt file, one that is not an
// mcns database, or one from a newer mcns is refused and nothing changes). With
// the server stopped the file is replaced by renames; with it running, the CLI
// leaves a request beside the database and the server swaps the data in without
// stopping DNS (src/ops/README.md). Either way the database as it was is kept
// as <db>.pre-restore.
import { userInfo } from 'node:os';
import { loadConfig } from '../config/index.js';
import { askServer, backupLayout, OpsError, prepareRestore, restoreOffline, type OpsErrorCode, type RestoreResult } from '../ops/index.js';
import { databaseInUse } from '../store/index.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';
import { parseDurationArgument } from './record-arguments.js';

/** Options of `restore`. */
export interface RestoreOptions {
  readonly config?: string;
  /** How long to wait for a running server to answer (30s, 2m); default 60 s. */
  readonly timeout?: string;
  readonly json?: boolean;
}

/** Restores FILE and prints what the database holds now, and the next step (replay). */
export async function restore(file: string, options: RestoreOptions, io: CliIo): Promise<number> {
  const config = loadConfig({ path: options.config, cwd: io.cwd });
  const layout = backupLayout(config.database.path, config.backup);
  const timeoutMs = (options.timeout === undefined ? 60 : parseDurationArgument(options.timeout)) * 1000;
  const prepared = prepareRestore(file, layout, io.cwd);
  let result: RestoreResult;
  if (databaseInUse(layout.database)) {
    const response = await askServer(layout, {
      kind: 'restore', file: prepared.file, prepared: prepared.prepared, requestedBy: requester('restore'), time: new Date().toISOString(),
    }, { timeoutMs });
    if (!response.ok) throw new OpsError((response.code ?? 'UNAVAILABLE') as OpsErrorCode, response.message, response.lines);
    result = response.result as RestoreResult;
  } else {
    result = restoreOffline(prepared, layout, new Date());
  }
  if (options.json === true) {
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return ExitCode.OK;
  }
  const zones = Object.entries(result.zones);
  io.stdout.write(`restored ${result.file} ${result.online ? 'into the running server' : 'with the server stopped'} ` +
    `(${zones.length} zone${zones.length === 1 ? '' : 's'})\n`);
  for (const [zone, serial] of zones) io.stdout.write(`  ${zone} serial ${serial}\n`);
  if (result.preRestore !== null) io.stderr.write(`the database as it was is kept as ${result.preRestore}\n`);
  for (const warning of result.warnings) io.stderr.write(`warning: ${warning}\n`);
  io.stderr.write(`next: mcns replay${options.config === undefined ? '' : ` --config ${options.config}`}   ` +
    '(re-applies the changes logged after the snapshot)\n');
  return ExitCode.OK;
}

/** "mcns restore by alice", for the audit log. */
export function requester(verb: string): string {
  let user = 'unknown user';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (a container's arbitrary uid): the audit says so.
  }
  return `mcns ${verb} by ${user}`;
}
