// Zone export: a master file (RFC 1035 5) that BIND, Knot and we read back to the
// same RRsets: $ORIGIN, the apex SOA first, then canonical order (RFC 4034 6.1).
import { RRType, type Name } from '../types.js';
import { nameCompareCanonical, nameEquals, nameToText, nameToTextRelative } from '../name.js';
import { rdataToText, typeToText } from '../rdata.js';

/** A record to export: class IN is implied. */
export interface FormatRecord {
  readonly name: Name;
  readonly type: number;
  readonly ttl: number;
  readonly rdata: Uint8Array;
}

/**
 * Writes records as a master file: `$ORIGIN origin`, the SOA at the origin
 * first, then owners in canonical order with each owner's types in numeric
 * order (records of one RRset keep their given order). Owners at or below the
 * origin are written relative to it; every line carries its TTL and class IN,
 * so no $TTL or previous-owner rule is needed to read it back.
 */
export function formatZoneFile(origin: Name, records: readonly FormatRecord[]): string {
  const isApexSoa = (r: FormatRecord): boolean => r.type === RRType.SOA && nameEquals(r.name, origin);
  const order = records.map((record, index) => ({ record, index }));
  order.sort((a, b) => {
    const sa = isApexSoa(a.record);
    if (sa !== isApexSoa(b.record)) return sa ? -1 : 1;
    return nameCompareCanonical(a.record.name, b.record.name) || a.record.type - b.record.type || a.index - b.index;
  });
  let out = `$ORIGIN ${nameToText(origin)}\n`;
  for (const { record } of order) {
    const owner = nameToTextRelative(record.name, origin);
    out += `${owner}\t${record.ttl}\tIN\t${typeToText(record.type)}\t${rdataToText(record.type, record.rdata)}\n`;
  }
  return out;
}
