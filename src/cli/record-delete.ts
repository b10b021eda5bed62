// mcns record delete ZONE NAME TYPE: the whole RRset goes, through the API.
import { nameToText } from '../wire/index.js';
import type { RemoteOptions } from './api-client.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';
import { parseSerialArgument, parseTypeArgument } from './record-arguments.js';
import { withApiClient } from './with-api-client.js';
import { writeChangeResult } from './write-change-result.js';
import { parseZoneNameArgument } from './zone-name-argument.js';

/** Options of `record delete`. */
export interface RecordDeleteOptions extends RemoteOptions {
  readonly expectSerial?: string;
  readonly json?: boolean;
}

/** Deletes the RRset (NOT_FOUND, exit 3, when there is none). */
export async function recordDelete(zoneArg: string, name: string, type: string, options: RecordDeleteOptions, io: CliIo): Promise<number> {
  const input = {
    zone: nameToText(parseZoneNameArgument(zoneArg)),
    name,
    type: parseTypeArgument(type),
    ...(options.expectSerial === undefined ? {} : { expectedSerial: parseSerialArgument(options.expectSerial) }),
  };
  const r = await withApiClient(options, io, (api) => api.call('deleteRRset', input));
  writeChangeResult(r, `deleted ${name} ${input.type}`, io, options.json);
  return ExitCode.OK;
}
