// mcns zone import NAME FILE: a zone file into the database, in one transaction.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config/index.js';
import { openStore, readZoneFile } from '../store/index.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';
import { parseZoneNameArgument } from './zone-name-argument.js';

/** Options of `zone import`. */
export interface ZoneImportOptions {
  readonly config?: string;
}

/**
 * Parses and validates FILE before the database is opened, then replaces the
 * zone's content in one transaction. A file that does not parse or validate
 * changes nothing.
 */
export async function zoneImport(name: string, file: string, options: ZoneImportOptions, io: CliIo): Promise<number> {
  const origin = parseZoneNameArgument(name);
  const config = loadConfig({ path: options.config, cwd: io.cwd });
  const path = resolve(io.cwd, file);
  if (!existsSync(path)) throw new CliError('NOT_FOUND', `zone file "${file}" not found`);
  const records = readZoneFile(origin, path, file);
  const store = openStore(config.database.path);
  try {
    const r = store.importZone(origin, records, { source: `cli: zone import ${file}` });
    const z = r.zone;
    const count = `${z.recordCount} record${z.recordCount === 1 ? '' : 's'}`;
    if (!r.changed) {
      io.stdout.write(`zone ${z.name} unchanged: serial ${z.serial}, ${count}\n`);
      return ExitCode.OK;
    }
    if (r.created) {
      io.stdout.write(`zone ${z.name} imported: serial ${z.serial}, ${count}\n`);
    } else {
      io.stdout.write(`zone ${z.name} updated: serial ${r.previousSerial} -> ${z.serial}, ${count} (${r.added} added, ${r.deleted} deleted, SOA included)\n`);
    }
    if (r.bumped) {
      io.stdout.write(`note: the file's serial ${r.fileSerial} is not greater than the stored ${r.previousSerial} (RFC 1982), so ${z.serial} was stored\n`);
    }
    io.stderr.write('a running "mcns serve" picks this up on SIGHUP (kill -HUP <pid>) or restart\n');
    return ExitCode.OK;
  } finally {
    store.close();
  }
}
