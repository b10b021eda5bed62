// mcns record remove ZONE NAME TYPE RDATA...: single records leave an RRset, through the API.
import { nameToText } from '../wire/index.js';
import type { RemoteOptions } from './api-client.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';
import { parseSerialArgument, parseTypeArgument, recordsFromArguments } from './record-arguments.js';
import { withApiClient } from './with-api-client.js';
import { writeChangeResult } from './write-change-result.js';
import { parseZoneNameArgument } from './zone-name-argument.js';

/** Options of `record remove`: each --rr names one more record to remove. */
export interface RecordRemoveOptions extends RemoteOptions {
  readonly rr?: readonly string[];
  readonly expectSerial?: string;
  readonly json?: boolean;
}

/** Removes the records named (NOT_FOUND, exit 3, if one is not there; then nothing changes). */
export async function recordRemove(
  zoneArg: string, name: string, type: string, rdata: readonly string[], options: RecordRemoveOptions, io: CliIo,
): Promise<number> {
  const input = {
    zone: nameToText(parseZoneNameArgument(zoneArg)),
    name,
    type: parseTypeArgument(type),
    records: recordsFromArguments(rdata, options.rr, true),
    ...(options.expectSerial === undefined ? {} : { expectedSerial: parseSerialArgument(options.expectSerial) }),
  };
  const r = await withApiClient(options, io, (api) => api.call('removeRecords', input));
  writeChangeResult(r, `removed ${input.records.length} ${input.type} from ${name}`, io, options.json);
  return ExitCode.OK;
}
