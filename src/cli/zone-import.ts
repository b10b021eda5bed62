// mcns zone import NAME FILE: a zone file into the database in one transaction
// (--config), or through the API (the file is parsed and validated here first,
// $INCLUDE expanded, so the server receives one self-contained zone file).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config/index.js';
import { openStore, readZoneFile } from '../store/index.js';
import { formatZoneFile, nameToText } from '../wire/index.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';
import { isLocalRun, withApiClient, type LocalOrRemoteOptions } from './with-api-client.js';
import { parseZoneNameArgument } from './zone-name-argument.js';

/** Options of `zone import`. */
export interface ZoneImportOptions extends LocalOrRemoteOptions {
  readonly json?: boolean;
}

/**
 * Parses and validates FILE before anything else is touched, then replaces the
 * zone's content in one transaction. A file that does not parse or validate
 * changes nothing.
 */
export async function zoneImport(name: string, file: string, options: ZoneImportOptions, io: CliIo): Promise<number> {
  const origin = parseZoneNameArgument(name);
  const local = isLocalRun(options, 'zone import');
  const config = local ? loadConfig({ path: options.config, cwd: io.cwd }) : null;
  const path = resolve(io.cwd, file);
  if (!existsSync(path)) throw new CliError('NOT_FOUND', `zone file "${file}" not found`);
  const records = readZoneFile(origin, path, file);
  if (config === null) {
    const text = formatZoneFile(origin, records);
    const r = await withApiClient(options, io, (api) => api.call('importZone', { zone: nameToText(origin), text }));
    if (options.json === true) {
      io.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    } else {
      io.stdout.write(`zone ${r.zone} imported: serial ${r.serialBefore} -> ${r.serialAfter}, ${plural(r.recordCount, 'record')}; already served\n`);
    }
    return ExitCode.OK;
  }
  const store = openStore(config.database.path);
  try {
    const r = store.importZone(origin, records, { source: `cli: zone import ${file}` });
    const z = r.zone;
    if (options.json === true) {
      io.stdout.write(`${JSON.stringify({ zone: z.name, serialBefore: r.previousSerial ?? null, serialAfter: z.serial, recordCount: z.recordCount, changed: r.changed }, null, 2)}\n`);
      return ExitCode.OK;
    }
    const count = plural(z.recordCount, 'record');
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
    io.stderr.write('a running "mcns serve" picks this up on SIGHUP (kill -HUP <pid>) or restart; without --config the change goes through the API and is served at once\n');
    return ExitCode.OK;
  } finally {
    store.close();
  }
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
