// mcns audit: who changed what and when, with the serials around each change,
// newest first, through the API (admin token).
import type { RemoteOptions } from './api-client.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';
import { formatTable } from './format-table.js';
import { parseCountArgument } from './record-arguments.js';
import { withApiClient } from './with-api-client.js';
import { parseZoneNameArgument } from './zone-name-argument.js';
import { nameToText } from '../wire/index.js';

/** Options of `audit`. */
export interface AuditOptions extends RemoteOptions {
  readonly zone?: string;
  readonly limit?: string;
  readonly json?: boolean;
}

/** Default number of entries shown. */
const DEFAULT_LIMIT = 50;

/** Prints TIME, WHO, OPERATION, ZONE, SERIAL (before -> after), SUMMARY; --json prints the API's AuditEntry objects. */
export async function audit(options: AuditOptions, io: CliIo): Promise<number> {
  const limit = options.limit === undefined ? DEFAULT_LIMIT : parseCountArgument(options.limit, '--limit');
  const input = options.zone === undefined ? {} : { zone: nameToText(parseZoneNameArgument(options.zone)) };
  const entries = await withApiClient(options, io, (api) => api.collect('listAudit', input, limit));
  if (options.json === true) {
    io.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    return ExitCode.OK;
  }
  const rows = [['TIME', 'WHO', 'OPERATION', 'ZONE', 'SERIAL', 'SUMMARY']];
  for (const e of entries) {
    const serial = e.serialBefore === null && e.serialAfter === null ? '-' : `${e.serialBefore ?? '-'} -> ${e.serialAfter ?? '-'}`;
    rows.push([e.time, e.principal, e.operation, e.zone ?? '-', serial, e.summary]);
  }
  io.stdout.write(formatTable(rows));
  return ExitCode.OK;
}
