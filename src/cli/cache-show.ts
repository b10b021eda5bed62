// mcns cache show NAME: the forwarded answers the running server has cached for
// one name (type, rcode, TTL left, stale), through the API (any role).
import type { RemoteOptions } from './api-client.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';
import { formatTable } from './format-table.js';
import { withApiClient } from './with-api-client.js';

/** Options of `cache show`. */
export interface CacheShowOptions extends RemoteOptions {
  readonly json?: boolean;
}

/** Prints TYPE CLASS RCODE TTL NEGATIVE STALE DO CD BYTES, one line per entry; --json prints the API's entries. */
export async function cacheShow(name: string, options: CacheShowOptions, io: CliIo): Promise<number> {
  const { entries } = await withApiClient(options, io, (api) => api.call('showCache', { name }));
  if (options.json === true) {
    io.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    return ExitCode.OK;
  }
  if (entries.length === 0) {
    io.stdout.write(`nothing cached for ${name.endsWith('.') ? name : `${name}.`}\n`);
    return ExitCode.OK;
  }
  const flag = (on: boolean): string => (on ? 'yes' : '-');
  const rows = [['TYPE', 'CLASS', 'RCODE', 'TTL', 'NEGATIVE', 'STALE', 'DO', 'CD', 'BYTES']];
  for (const e of entries) {
    rows.push([e.type, e.class, e.rcode, String(e.ttlRemaining), flag(e.negative), flag(e.stale), flag(e.dnssecOk), flag(e.checkingDisabled), String(e.bytes)]);
  }
  io.stdout.write(formatTable(rows));
  return ExitCode.OK;
}
