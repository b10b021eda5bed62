// mcns record add ZONE NAME TTL TYPE RDATA...: records join an RRset (created if absent), through the API.
import { nameToText } from '../wire/index.js';
import type { RemoteOptions } from './api-client.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';
import { parseSerialArgument, parseTtlArgument, parseTypeArgument, recordsFromArguments } from './record-arguments.js';
import { withApiClient } from './with-api-client.js';
import { writeChangeResult } from './write-change-result.js';
import { parseZoneNameArgument } from './zone-name-argument.js';

/** Options of `record add`: --rr adds one more record each; --expect-serial refuses the change (exit 7) if the zone moved on. */
export interface RecordAddOptions extends RemoteOptions {
  readonly rr?: readonly string[];
  readonly expectSerial?: string;
  readonly json?: boolean;
}

/** Adds the records; the words after TYPE are one record's RDATA ("10 mail.example.com."). */
export async function recordAdd(
  zoneArg: string, name: string, ttl: string, type: string, rdata: readonly string[], options: RecordAddOptions, io: CliIo,
): Promise<number> {
  const input = {
    zone: nameToText(parseZoneNameArgument(zoneArg)),
    name,
    type: parseTypeArgument(type),
    ttl: parseTtlArgument(ttl),
    records: recordsFromArguments(rdata, options.rr, true),
    ...(options.expectSerial === undefined ? {} : { expectedSerial: parseSerialArgument(options.expectSerial) }),
  };
  const r = await withApiClient(options, io, (api) => api.call('addRecords', input));
  writeChangeResult(r, `added ${input.records.length} ${input.type} to ${name}`, io, options.json);
  return ExitCode.OK;
}
