// mcns zone list: every zone with its serial and record count.
import { loadConfig } from '../config/index.js';
import { openStore } from '../store/index.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';

/** Options of `zone list`. */
export interface ZoneListOptions {
  readonly config?: string;
  readonly json?: boolean;
}

/** Prints a table (ZONE, KIND, SERIAL, RECORDS, UPDATED) or, with --json, an array of objects. */
export async function zoneList(options: ZoneListOptions, io: CliIo): Promise<number> {
  const config = loadConfig({ path: options.config, cwd: io.cwd });
  const store = openStore(config.database.path);
  try {
    const zones = store.listZones();
    if (options.json === true) {
      const rows = zones.map((z) => ({ zone: z.name, kind: z.kind, serial: z.serial, records: z.recordCount, updated: z.updatedAt }));
      io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return ExitCode.OK;
    }
    const table = [['ZONE', 'KIND', 'SERIAL', 'RECORDS', 'UPDATED']];
    for (const z of zones) table.push([z.name, z.kind, String(z.serial), String(z.recordCount), z.updatedAt]);
    const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
    for (const row of table) io.stdout.write(`${row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()}\n`);
    if (zones.length === 0) io.stderr.write(`no zones in ${config.database.path}; add one with "mcns zone import NAME FILE"\n`);
    return ExitCode.OK;
  } finally {
    store.close();
  }
}
