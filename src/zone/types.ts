// The in-memory shape of a zone: an immutable snapshot built once per change and
// read by the query path without locks or SQL.
import type { Name } from '../wire/index.js';

/** One record as stored and loaded: class IN, rdata in uncompressed wire form. */
export interface RecordData {
  /** Owner name, case as entered. */
  readonly name: Name;
  readonly type: number;
  readonly ttl: number;
  readonly rdata: Uint8Array;
}

/** All records of one owner and type (RFC 2181 5). One TTL for the whole set. */
export interface RRset {
  /** Owner, case as entered. */
  readonly name: Name;
  readonly type: number;
  readonly ttl: number;
  readonly rdatas: readonly Uint8Array[];
}

/**
 * Facts about a node computed once when the snapshot is built, so the query path
 * only reads bits (Knot's node flags).
 */
export const NodeFlag = {
  /** Not the apex and owns NS: a zone cut (RFC 1034 4.2.1). */
  DELEGATION: 1 << 0,
  /** Strictly below a zone cut or below a DNAME: not authoritative data (glue at most). */
  OCCLUDED: 1 << 1,
  /** Owns a DNAME (RFC 6672). */
  DNAME: 1 << 2,
  /** Owns a CNAME. */
  CNAME: 1 << 3,
  /** First label is "*" (RFC 4592). */
  WILDCARD: 1 << 4,
  /** Has a child labelled "*", so a wildcard may match below it. */
  HAS_WILDCARD_CHILD: 1 << 5,
  /** Owns no records: an empty non-terminal (RFC 4592 2.2.2) made by the builder. */
  EMPTY: 1 << 6,
} as const;
export type NodeFlag = (typeof NodeFlag)[keyof typeof NodeFlag];

/** One owner name in a zone with its RRsets. Empty non-terminals exist as nodes. */
export interface ZoneNode {
  /** Owner, case as entered (for an empty non-terminal, as derived). */
  readonly name: Name;
  readonly rrsets: ReadonlyMap<number, RRset>;
  /** Bit set of NodeFlag. */
  readonly flags: number;
}

/**
 * An immutable view of one zone at one serial. Swapped whole on every change;
 * a query takes one reference and sees one consistent version.
 */
export interface ZoneSnapshot {
  /** The apex, lowercased. */
  readonly origin: Name;
  readonly serial: number;
  /** The apex SOA RRset. */
  readonly soa: RRset;
  /** Every node keyed by lowercased owner, including the apex and empty non-terminals. */
  readonly nodes: ReadonlyMap<Name, ZoneNode>;
  /** Records (not RRsets) in the zone. */
  readonly recordCount: number;
}
