// How RRsets print: one aligned line per record in zone-file order (NAME TTL TYPE
// DATA), or the API's RRsetView objects for --json.
import type { RRsetView } from '../service/index.js';
import type { CliIo } from './cli-io.js';
import { formatTable } from './format-table.js';

/** Prints the RRsets as a table of records, or with --json as `asArray ? [...] : {...}` of RRsetView. */
export function writeRRsets(rrsets: readonly RRsetView[], io: CliIo, json: boolean | undefined, asArray = true): void {
  if (json === true) {
    io.stdout.write(`${JSON.stringify(asArray ? rrsets : rrsets[0], null, 2)}\n`);
    return;
  }
  const rows = [['NAME', 'TTL', 'TYPE', 'DATA']];
  for (const set of rrsets) for (const data of set.records) rows.push([set.name, String(set.ttl), set.type, data]);
  io.stdout.write(formatTable(rows));
}
