// mcns zone create NAME: a new primary zone with a default SOA and NS, through the API.
import { nameToText } from '../wire/index.js';
import type { RemoteOptions } from './api-client.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';
import { parseTtlArgument } from './record-arguments.js';
import { withApiClient } from './with-api-client.js';
import { writeZone } from './write-zone.js';
import { parseZoneNameArgument } from './zone-name-argument.js';

/** Options of `zone create`. */
export interface ZoneCreateOptions extends RemoteOptions {
  readonly ns?: readonly string[];
  readonly email?: string;
  readonly ttl?: string;
  readonly json?: boolean;
}

/** Creates the zone (ALREADY_EXISTS, exit 7, when it exists) and prints it. */
export async function zoneCreate(name: string, options: ZoneCreateOptions, io: CliIo): Promise<number> {
  const zone = nameToText(parseZoneNameArgument(name));
  const input = {
    zone,
    ...(options.ns === undefined ? {} : { nameservers: options.ns }),
    ...(options.email === undefined ? {} : { email: options.email }),
    ...(options.ttl === undefined ? {} : { ttl: parseTtlArgument(options.ttl) }),
  };
  const z = await withApiClient(options, io, (api) => api.call('createZone', input));
  writeZone(z, 'created', io, options.json);
  return ExitCode.OK;
}
