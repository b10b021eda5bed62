// mcns replay [--config F] [--from-file FILE]... [--dry-run]: re-applies, in
// order, the logged changes that came after the database's state (after a
// restore: everything since the snapshot), one transaction per zone; stops
// before applying anything when the log has a gap. Through the running server
// when it has the database open, else on the file.
import { resolve } from 'node:path';
import { loadConfig } from '../config/index.js';
import { askServer, backupLayout, OpsError, planReplay, replayChanges, zoneStates, type OpsErrorCode, type ReplayResult } from '../ops/index.js';
import { changeLogFiles, databaseInUse, openStore, readChangeLog } from '../store/index.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';
import { parseDurationArgument } from './record-arguments.js';
import { requester } from './restore.js';

/** Options of `replay`. */
export interface ReplayOptions {
  readonly config?: string;
  /** Change-log files to read instead of [backup] journal_dir's, in this order. */
  readonly fromFile?: readonly string[];
  /** Only print what would be applied. */
  readonly dryRun?: boolean;
  readonly timeout?: string;
  readonly json?: boolean;
}

/** Prints one line per zone replayed (changes, serial from and to), then a total. */
export async function replay(options: ReplayOptions, io: CliIo): Promise<number> {
  const config = loadConfig({ path: options.config, cwd: io.cwd });
  const layout = backupLayout(config.database.path, config.backup);
  const files = options.fromFile === undefined || options.fromFile.length === 0
    ? changeLogFiles(config.backup.journalDir)
    : options.fromFile.map((f) => resolve(io.cwd, f));
  if (files.length === 0) throw new OpsError('NOT_FOUND', `no change-log files in ${config.backup.journalDir}; nothing to replay`);

  if (options.dryRun === true) {
    const store = openStore(layout.database);
    try {
      const { lines, torn } = readChangeLog(files);
      const plan = planReplay(lines, zoneStates(store));
      if (options.json === true) {
        io.stdout.write(`${JSON.stringify({ ...plan, zones: plan.zones.map((z) => ({ ...z, lines: z.lines.map((l) => l.where) })), torn }, null, 2)}\n`);
      } else {
        for (const z of plan.zones) io.stdout.write(`would replay ${z.zone}: ${z.lines.length} changes, ${serialText(z.from)} -> ${serialText(z.to)}\n`);
        if (plan.upToDate.length > 0) io.stdout.write(`up to date: ${plan.upToDate.join(' ')}\n`);
        for (const problem of plan.problems) io.stderr.write(`${problem}\n`);
      }
      return plan.problems.length === 0 ? ExitCode.OK : ExitCode.INVALID;
    } finally {
      store.close();
    }
  }

  let result: ReplayResult;
  if (databaseInUse(layout.database)) {
    const timeoutMs = (options.timeout === undefined ? 60 : parseDurationArgument(options.timeout)) * 1000;
    const response = await askServer(layout, { kind: 'replay', files, requestedBy: requester('replay'), time: new Date().toISOString() }, { timeoutMs });
    if (!response.ok) throw new OpsError((response.code ?? 'UNAVAILABLE') as OpsErrorCode, response.message, response.lines);
    result = response.result as ReplayResult;
  } else {
    const store = openStore(layout.database);
    try {
      result = replayChanges(store, { files, now: new Date(), requestedBy: requester('replay') });
    } finally {
      store.close();
    }
  }
  if (options.json === true) {
    const replayed = result.replayed.map(({ snapshot: _snapshot, ...zone }) => zone);
    io.stdout.write(`${JSON.stringify({ ...result, replayed }, null, 2)}\n`);
    return ExitCode.OK;
  }
  if (result.torn !== null) io.stderr.write(`warning: the change log's last line (${result.torn}) was cut short by a crash and is skipped; it was never acknowledged\n`);
  let total = 0;
  for (const z of result.replayed) {
    total += z.changes;
    io.stdout.write(`replayed ${z.zone}: ${z.changes} change${z.changes === 1 ? '' : 's'}, ${serialText(z.from)} -> ${serialText(z.to)}\n`);
  }
  if (result.upToDate.length > 0) io.stdout.write(`up to date: ${result.upToDate.join(' ')}\n`);
  io.stdout.write(`replayed ${total} change${total === 1 ? '' : 's'} to ${result.replayed.length} zone${result.replayed.length === 1 ? '' : 's'} ` +
    `from ${files.length} file${files.length === 1 ? '' : 's'}\n`);
  return ExitCode.OK;
}

function serialText(serial: number | null): string {
  return serial === null ? 'absent' : `serial ${serial}`;
}
