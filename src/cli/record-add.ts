// mcns record add ZONE NAME TTL TYPE RDATA...: records join an RRset (created if absent), through the API.
import type { RemoteOptions } from './api-client.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';
import { rrsetArguments } from './record-arguments.js';
import { withApiClient } from './with-api-client.js';
import { writeChangeResult } from './write-change-result.js';

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
  const input = rrsetArguments(zoneArg, name, ttl, type, rdata, options);
  const r = await withApiClient(options, io, (api) => api.call('addRecords', input));
  writeChangeResult(r, `added ${input.records.length} ${input.type} to ${name}`, io, options.json);
  return ExitCode.OK;
}
