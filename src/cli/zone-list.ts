// mcns zone list: every zone with its serial and record count, from the database
// (--config) or through the API.
import { loadConfig } from '../config/index.js';
import type { ZoneView } from '../service/index.js';
import { openStore } from '../store/index.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';
import { formatTable } from './format-table.js';
import { isLocalRun, withApiClient, type LocalOrRemoteOptions } from './with-api-client.js';

/** Options of `zone list`. */
export interface ZoneListOptions extends LocalOrRemoteOptions {
  readonly json?: boolean;
  readonly filter?: string;
}

/**
 * Prints a table (ZONE, KIND, SERIAL, RECORDS, UPDATED) or, with --json, an array
 * of `{zone, kind, serial, records, updated}`: the same shape local and remote
 * (the shape `zone list` had before the API; `zone get --json` prints the API's ZoneView).
 */
export async function zoneList(options: ZoneListOptions, io: CliIo): Promise<number> {
  if (isLocalRun(options, 'zone list')) {
    const config = loadConfig({ path: options.config, cwd: io.cwd });
    const store = openStore(config.database.path);
    try {
      const zones: ZoneView[] = store.listZones()
        .filter((z) => options.filter === undefined || z.name.includes(options.filter.toLowerCase()))
        .map((z) => ({ name: z.name, kind: z.kind, serial: z.serial, recordCount: z.recordCount, createdAt: z.createdAt, updatedAt: z.updatedAt }));
      writeZones(zones, io, options.json);
      if (zones.length === 0 && options.json !== true) io.stderr.write(`no zones in ${config.database.path}; add one with "mcns zone import NAME FILE"\n`);
      return ExitCode.OK;
    } finally {
      store.close();
    }
  }
  const zones = await withApiClient(options, io, (api) => api.collect('listZones', options.filter === undefined ? {} : { filter: options.filter }));
  writeZones(zones, io, options.json);
  if (zones.length === 0 && options.json !== true) io.stderr.write('no zones yet; create one with "mcns zone create NAME"\n');
  return ExitCode.OK;
}

function writeZones(zones: readonly ZoneView[], io: CliIo, json: boolean | undefined): void {
  if (json === true) {
    const rows = zones.map((z) => ({ zone: z.name, kind: z.kind, serial: z.serial, records: z.recordCount, updated: z.updatedAt }));
    io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const rows = [['ZONE', 'KIND', 'SERIAL', 'RECORDS', 'UPDATED']];
  for (const z of zones) rows.push([z.name, z.kind, String(z.serial), String(z.recordCount), z.updatedAt]);
  io.stdout.write(formatTable(rows));
}
