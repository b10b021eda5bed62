// mcns zone export NAME: the zone as an RFC 1035 master file on stdout.
import { loadConfig } from '../config/index.js';
import { openStore } from '../store/index.js';
import { formatZoneFile } from '../wire/index.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';
import { parseZoneNameArgument } from './zone-name-argument.js';

/** Options of `zone export`. */
export interface ZoneExportOptions {
  readonly config?: string;
}

/** Writes the stored zone as a zone file that `mcns zone import` and named-checkzone read back. */
export async function zoneExport(name: string, options: ZoneExportOptions, io: CliIo): Promise<number> {
  const origin = parseZoneNameArgument(name);
  const config = loadConfig({ path: options.config, cwd: io.cwd });
  const store = openStore(config.database.path);
  try {
    const zone = store.requireZone(origin);
    const text = formatZoneFile(zone.origin, store.loadZoneRecords(zone.id));
    io.stdout.write(`; zone ${zone.name} serial ${zone.serial}, exported by mcns\n${text}`);
    return ExitCode.OK;
  } finally {
    store.close();
  }
}
