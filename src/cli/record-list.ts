// mcns record list ZONE: the zone's RRsets (optionally one owner or type), through the API.
import { nameToText } from '../wire/index.js';
import type { RemoteOptions } from './api-client.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';
import { parseTypeArgument } from './record-arguments.js';
import { withApiClient } from './with-api-client.js';
import { writeRRsets } from './write-rrsets.js';
import { parseZoneNameArgument } from './zone-name-argument.js';

/** Options of `record list`. */
export interface RecordListOptions extends RemoteOptions {
  readonly name?: string;
  readonly type?: string;
  readonly json?: boolean;
}

/** Prints every record (all pages), one line each: NAME TTL TYPE DATA. */
export async function recordList(zoneArg: string, options: RecordListOptions, io: CliIo): Promise<number> {
  const zone = nameToText(parseZoneNameArgument(zoneArg));
  const input = {
    zone,
    ...(options.name === undefined ? {} : { name: options.name }),
    ...(options.type === undefined ? {} : { type: parseTypeArgument(options.type) }),
  };
  const rrsets = await withApiClient(options, io, (api) => api.collect('listRRsets', input));
  writeRRsets(rrsets, io, options.json);
  return ExitCode.OK;
}
