// mcns zone delete NAME: the zone and all its records go, through the API.
import { nameToText } from '../wire/index.js';
import type { RemoteOptions } from './api-client.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';
import { withApiClient } from './with-api-client.js';
import { parseZoneNameArgument } from './zone-name-argument.js';

/** Options of `zone delete`. */
export interface ZoneDeleteOptions extends RemoteOptions {
  readonly json?: boolean;
}

/** Deletes the zone (NOT_FOUND, exit 3, when it does not exist); DNS stops answering for it at once. */
export async function zoneDelete(name: string, options: ZoneDeleteOptions, io: CliIo): Promise<number> {
  const zone = nameToText(parseZoneNameArgument(name));
  const r = await withApiClient(options, io, (api) => api.call('deleteZone', { zone }));
  io.stdout.write(options.json === true ? `${JSON.stringify(r, null, 2)}\n` : `zone ${zone} deleted\n`);
  return ExitCode.OK;
}
