// Builds the immutable in-memory index of one zone (ADR 0001 decision 4): records
// grouped into RRsets, empty non-terminals made real, node flags computed once so
// the query path only reads bits.
import {
  RRType, nameIsWildcard, nameLower, nameParent, type Name,
} from '../wire/index.js';
import { ZoneError } from './zone-error.js';
import { NodeIndex } from './node-index.js';
import { SnapshotNode } from './zone-node.js';
import { NodeFlag, type RecordData, type RRset, type ZoneSnapshot } from './types.js';

/** Above this many records an RRset checks duplicates through a Set instead of a scan. */
const DEDUP_SCAN_LIMIT = 16;

/** An RRset while it is being filled. */
interface PendingRRset {
  readonly name: Name;
  readonly type: number;
  ttl: number;
  readonly rdatas: Uint8Array[];
}

/**
 * Builds a ZoneSnapshot of `origin` from `records` (class IN). Records outside the
 * origin are skipped and exact duplicates dropped (validateZone reports both).
 * RFC 2181 5.2: "the TTLs of all RRs in an RRSet must be the same"; when they
 * differ the set takes the lowest (validateZone reports TTL_MISMATCH). `serial`
 * defaults to the SOA's. Throws ZoneError NO_SOA when the apex has no SOA.
 */
export function buildZoneSnapshot(origin: Name, records: Iterable<RecordData>, serial?: number): ZoneSnapshot {
  const originLower = nameLower(origin);
  const nodes = new NodeIndex<SnapshotNode>();
  const bigSets = new Map<PendingRRset, Set<string>>();
  let recordCount = 0;
  let hasCuts = false;
  /** The parent whose ancestors were made last: zone files list siblings together. */
  let lastParent: Name | null = null;

  // One pass: group records into RRsets, make every name between an owner and the
  // apex exist (RFC 4592 2.2.2: empty non-terminals are real nodes, so "does this
  // name exist" is one lookup) and set the flags a node's own data implies.
  for (const record of records) {
    const lower = nameLower(record.name);
    let node = nodes.get(lower);
    if (node === undefined || (node.flags & NodeFlag.EMPTY) !== 0) {
      if (node === undefined && !isInZone(lower, originLower)) continue;
      // A new owner, or an empty non-terminal made earlier that now gets data.
      node = new SnapshotNode(record.name, node === undefined ? 0 : node.flags & ~NodeFlag.EMPTY);
      nodes.set(lower, node);
      if (lower !== originLower) {
        const parent = nameParent(lower)!;
        if (parent !== lastParent) {
          makeAncestors(nodes, record.name, lower, originLower);
          lastParent = parent;
        }
        if (nameIsWildcard(lower)) {
          node.flags |= NodeFlag.WILDCARD;
          nodes.get(parent)!.flags |= NodeFlag.HAS_WILDCARD_CHILD;
        }
      }
    }
    const found = node.get(record.type) as PendingRRset | undefined;
    if (found === undefined) {
      node.insert({ name: node.name, type: record.type, ttl: record.ttl, rdatas: [record.rdata] });
      recordCount++;
      switch (record.type) {
        case RRType.CNAME:
          node.flags |= NodeFlag.CNAME;
          break;
        case RRType.DNAME:
          node.flags |= NodeFlag.DNAME;
          hasCuts = true;
          break;
        case RRType.NS:
          if (lower !== originLower) {
            node.flags |= NodeFlag.DELEGATION;
            hasCuts = true;
          }
          break;
      }
      continue;
    }
    if (isDuplicate(found, record.rdata, bigSets)) continue;
    if (record.ttl < found.ttl) found.ttl = record.ttl;
    found.rdatas.push(record.rdata);
    recordCount++;
  }

  const apex = nodes.get(originLower);
  const soa = apex?.get(RRType.SOA);
  if (apex === undefined || soa === undefined) {
    throw new ZoneError('NO_SOA', `zone "${originLower}" has no SOA record at its apex`);
  }

  // Names strictly below a zone cut (RFC 1034 4.2.1: glue, not authoritative) or
  // below a DNAME (RFC 6672 2.4: no data may exist there) are occluded.
  if (hasCuts) {
    const cutOrDname = NodeFlag.DELEGATION | NodeFlag.DNAME;
    const apexDname = (apex.flags & NodeFlag.DNAME) !== 0;
    for (const [lower, node] of nodes) {
      if (lower === originLower) continue;
      let ancestor = nameParent(lower)!;
      while (ancestor !== originLower) {
        if ((nodes.get(ancestor)!.flags & cutOrDname) !== 0) {
          node.flags |= NodeFlag.OCCLUDED;
          break;
        }
        ancestor = nameParent(ancestor)!;
      }
      if (ancestor === originLower && apexDname) node.flags |= NodeFlag.OCCLUDED;
    }
  }

  return Object.freeze({
    origin: originLower,
    serial: serial ?? soaSerial(soa),
    soa,
    nodes,
    recordCount,
  });
}

/** Makes the empty non-terminals between `lower` (exclusive) and the apex that do not exist yet. */
function makeAncestors(nodes: NodeIndex<SnapshotNode>, name: Name, lower: Name, originLower: Name): void {
  let offset = lower.charCodeAt(0) + 1;
  let ancestor = lower.slice(offset) as Name;
  let wildcards: Name[] | null = null;
  while (!nodes.has(ancestor)) {
    // The derived node keeps the case of the name that made it.
    let flags: number = NodeFlag.EMPTY;
    if (nameIsWildcard(ancestor)) {
      // RFC 4592 2.1.1: a name whose first label is "*" is a wildcard, even one that
      // exists only as the parent of another name ("*.x" made by "a.*.x").
      flags |= NodeFlag.WILDCARD;
      (wildcards ??= []).push(ancestor);
    }
    nodes.set(ancestor, new SnapshotNode(name.slice(offset) as Name, flags));
    if (ancestor === originLower) break;
    offset += ancestor.charCodeAt(0) + 1;
    ancestor = lower.slice(offset) as Name;
  }
  if (wildcards !== null) {
    for (const wildcard of wildcards) nodes.get(nameParent(wildcard)!)!.flags |= NodeFlag.HAS_WILDCARD_CHILD;
  }
}

/**
 * True when `lower` is `originLower` or below it at a label boundary (so
 * "xexample.com." is not in "example.com."). Both are lowercased already.
 */
function isInZone(lower: Name, originLower: Name): boolean {
  const start = lower.length - originLower.length;
  if (start < 0 || !lower.endsWith(originLower)) return false;
  let i = 0;
  while (i < start) i += lower.charCodeAt(i) + 1;
  return i === start;
}

/** True when `rdata` is already in `set` (byte equality; names in RDATA compare as given). */
function isDuplicate(set: PendingRRset, rdata: Uint8Array, bigSets: Map<PendingRRset, Set<string>>): boolean {
  const rdatas = set.rdatas;
  if (rdatas.length < DEDUP_SCAN_LIMIT) {
    for (let i = 0; i < rdatas.length; i++) {
      if (bytesEqual(rdatas[i]!, rdata)) return true;
    }
    return false;
  }
  let seen = bigSets.get(set);
  if (seen === undefined) {
    seen = new Set();
    for (const existing of rdatas) seen.add(Buffer.from(existing.buffer, existing.byteOffset, existing.byteLength).toString('latin1'));
    bigSets.set(set, seen);
  }
  const key = Buffer.from(rdata.buffer, rdata.byteOffset, rdata.byteLength).toString('latin1');
  if (seen.has(key)) return true;
  seen.add(key);
  return false;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The SERIAL field of the first SOA: after MNAME and RNAME (RFC 1035 3.3.13). */
function soaSerial(soa: RRset): number {
  const rdata = soa.rdatas[0]!;
  let offset = 0;
  for (let names = 0; names < 2; names++) {
    while (offset < rdata.length && rdata[offset] !== 0) offset += rdata[offset]! + 1;
    offset++;
  }
  if (offset + 4 > rdata.length) return 0;
  return ((rdata[offset]! << 24) >>> 0) + (rdata[offset + 1]! << 16) + (rdata[offset + 2]! << 8) + rdata[offset + 3]!;
}
