// mcns record set ZONE NAME TTL TYPE RDATA...: an RRset becomes exactly these records, through the API.
import type { RemoteOptions } from './api-client.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';
import { rrsetArguments } from './record-arguments.js';
import { withApiClient } from './with-api-client.js';
import { writeChangeResult } from './write-change-result.js';

/** Options of `record set`: each --rr is one more record of the set. */
export interface RecordSetOptions extends RemoteOptions {
  readonly rr?: readonly string[];
  readonly expectSerial?: string;
  readonly json?: boolean;
}

/**
 * Replaces the RRset. The words after TYPE are one record; a set of several
 * records takes one --rr "RDATA" per record (`record set Z www 300 A --rr 192.0.2.1 --rr 192.0.2.2`).
 */
export async function recordSet(
  zoneArg: string, name: string, ttl: string, type: string, rdata: readonly string[], options: RecordSetOptions, io: CliIo,
): Promise<number> {
  const input = rrsetArguments(zoneArg, name, ttl, type, rdata, options);
  const r = await withApiClient(options, io, (api) => api.call('replaceRRset', input));
  writeChangeResult(r, `set ${name} ${input.type} to ${input.records.length} record${input.records.length === 1 ? '' : 's'}`, io, options.json);
  return ExitCode.OK;
}
