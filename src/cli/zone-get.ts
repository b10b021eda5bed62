// mcns zone get NAME: one zone's kind, serial, record count and times, through the API.
import { nameToText } from '../wire/index.js';
import type { RemoteOptions } from './api-client.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';
import { withApiClient } from './with-api-client.js';
import { writeZone } from './write-zone.js';
import { parseZoneNameArgument } from './zone-name-argument.js';

/** Options of `zone get`. */
export interface ZoneGetOptions extends RemoteOptions {
  readonly json?: boolean;
}

/** Prints the zone (NOT_FOUND, exit 3, when it does not exist). */
export async function zoneGet(name: string, options: ZoneGetOptions, io: CliIo): Promise<number> {
  const zone = nameToText(parseZoneNameArgument(name));
  const z = await withApiClient(options, io, (api) => api.call('getZone', { zone }));
  writeZone(z, 'is', io, options.json);
  return ExitCode.OK;
}
