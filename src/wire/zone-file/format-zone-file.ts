// Zone export: a master file (RFC 1035 5) that BIND, Knot and we read back to the
// same RRsets: $ORIGIN, the apex SOA first, then canonical order (RFC 4034 6.1).
import { RRType, type Name } from '../types.js';
import { nameLabels, nameLower, nameToText, nameToTextRelative } from '../name.js';
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
  // Group by lowercased owner first, so the sort compares each name's labels
  // (computed once) rather than re-deriving them in every comparison.
  const owners = new Map<string, { labels: string[]; records: FormatRecord[] }>();
  for (const record of records) {
    const key = nameLower(record.name);
    let owner = owners.get(key);
    if (owner === undefined) {
      owner = { labels: nameLabels(key).reverse(), records: [] };
      owners.set(key, owner);
    }
    owner.records.push(record);
  }
  const apex = nameLower(origin);
  const sorted = [...owners].sort(([ka, a], [kb, b]) => {
    if (ka === apex || kb === apex) return ka === kb ? 0 : ka === apex ? -1 : 1;
    return compareReversedLabels(a.labels, b.labels);
  });
  // The apex sorts first, and at the apex the SOA goes before the other types.
  const typeRank = (type: number): number => (type === RRType.SOA ? -1 : type);
  let out = `$ORIGIN ${nameToText(origin)}\n`;
  for (const [key, owner] of sorted) {
    const group = key === apex
      ? owner.records.slice().sort((a, b) => typeRank(a.type) - typeRank(b.type))
      : owner.records.slice().sort((a, b) => a.type - b.type);
    for (const record of group) {
      const name = nameToTextRelative(record.name, origin);
      out += `${name}\t${record.ttl}\tIN\t${typeToText(record.type)}\t${rdataToText(record.type, record.rdata)}\n`;
    }
  }
  return out;
}

/**
 * RFC 4034 6.1 canonical order on lowercased labels given rightmost first: label
 * by label as unsigned octets (latin1 code units), a name that runs out first sorting first.
 */
function compareReversedLabels(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
