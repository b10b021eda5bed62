// mcns zone export NAME: the zone as an RFC 1035 master file on stdout, from the
// database (--config) or through the API.
import { loadConfig } from '../config/index.js';
import { openStore } from '../store/index.js';
import { formatZoneFile, nameToText } from '../wire/index.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';
import { isLocalRun, withApiClient, type LocalOrRemoteOptions } from './with-api-client.js';
import { parseZoneNameArgument } from './zone-name-argument.js';

/** Options of `zone export`. */
export interface ZoneExportOptions extends LocalOrRemoteOptions {
  readonly json?: boolean;
}

/** Writes the zone as a zone file that `mcns zone import` and named-checkzone read back (with --json: `{"text": ...}`). */
export async function zoneExport(name: string, options: ZoneExportOptions, io: CliIo): Promise<number> {
  const origin = parseZoneNameArgument(name);
  if (!isLocalRun(options, 'zone export')) {
    const r = await withApiClient(options, io, (api) => api.call('exportZone', { zone: nameToText(origin) }));
    io.stdout.write(options.json === true ? `${JSON.stringify(r, null, 2)}\n` : r.text);
    return ExitCode.OK;
  }
  const config = loadConfig({ path: options.config, cwd: io.cwd });
  const store = openStore(config.database.path);
  try {
    const zone = store.requireZone(origin);
    const text = `; zone ${zone.name} serial ${zone.serial}, exported by mcns\n${formatZoneFile(zone.origin, store.loadZoneRecords(zone.id))}`;
    io.stdout.write(options.json === true ? `${JSON.stringify({ text }, null, 2)}\n` : text);
    return ExitCode.OK;
  } finally {
    store.close();
  }
}
