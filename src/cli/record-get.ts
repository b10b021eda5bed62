// mcns record get ZONE NAME TYPE: one RRset, through the API.
import { nameToText } from '../wire/index.js';
import type { RemoteOptions } from './api-client.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';
import { parseTypeArgument } from './record-arguments.js';
import { withApiClient } from './with-api-client.js';
import { writeRRsets } from './write-rrsets.js';
import { parseZoneNameArgument } from './zone-name-argument.js';

/** Options of `record get`. */
export interface RecordGetOptions extends RemoteOptions {
  readonly json?: boolean;
}

/** Prints the RRset's records (NOT_FOUND, exit 3, when there is none). NAME is relative to the zone or absolute. */
export async function recordGet(zoneArg: string, name: string, type: string, options: RecordGetOptions, io: CliIo): Promise<number> {
  const input = { zone: nameToText(parseZoneNameArgument(zoneArg)), name, type: parseTypeArgument(type) };
  const rrset = await withApiClient(options, io, (api) => api.call('getRRset', input));
  writeRRsets([rrset], io, options.json, false);
  return ExitCode.OK;
}
