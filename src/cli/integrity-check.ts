// mcns integrity-check [--config F]: SQLite's integrity and foreign-key checks
// and mcns's own (one SOA and some NS at each apex, serials that agree, a journal
// without gaps) on the database; safe while the server runs.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config/index.js';
import { checkDatabase } from '../store/index.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';

/** Options of `integrity-check`. */
export interface IntegrityCheckOptions {
  readonly config?: string;
  /** A database file to check instead of the configured one (e.g. a snapshot). */
  readonly file?: string;
  readonly json?: boolean;
}

/** Prints `ok` (exit 0) or one line per problem (exit 5: the database is unusable as it is). */
export async function integrityCheck(options: IntegrityCheckOptions, io: CliIo): Promise<number> {
  let path: string;
  if (options.file !== undefined) {
    // --file wins over --config: the configured database is not read then.
    path = resolve(io.cwd, options.file);
  } else {
    path = loadConfig({ path: options.config, cwd: io.cwd }).database.path;
  }
  if (!existsSync(path)) throw new CliError('NOT_FOUND', `database ${path} not found`);
  const check = checkDatabase(path);
  if (options.json === true) {
    io.stdout.write(`${JSON.stringify({ database: path, ok: check.problems.length === 0, corrupt: check.corrupt, problems: check.problems }, null, 2)}\n`);
  } else if (check.problems.length === 0) {
    io.stdout.write('ok\n');
  } else {
    for (const problem of check.problems) io.stdout.write(`${problem}\n`);
    io.stderr.write(`database ${path}: ${check.problems.length} problem${check.problems.length === 1 ? '' : 's'}` +
      `${check.corrupt ? '; it is damaged: see RUNBOOK.md "Database corruption"' : ''}\n`);
  }
  return check.problems.length === 0 ? ExitCode.OK : ExitCode.RUNTIME;
}
