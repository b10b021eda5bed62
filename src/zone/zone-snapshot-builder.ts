// Builds the immutable in-memory index of one zone (ADR 0001 decision 4) from
// records handed in one at a time: records grouped into RRsets, empty
// non-terminals made real, node flags computed once so the query path only reads
// bits. Nothing is made per record or per name: names go into a byte slab and an
// open-addressing table, records into flat typed arrays and one byte buffer, and
// finish() lays each node's RRsets out in one data slab (PackedNodeIndex).
import {
  RRType, nameLower, type Name,
} from '../wire/index.js';
import { ZoneError } from './zone-error.js';
import { PackedNodeIndex, SET_HEADER, findName, hashLower, latin1, type PackedNodes } from './packed-node-index.js';
import { NodeFlag, type RecordData, type RRset, type ZoneSnapshot } from './types.js';

/** Above this many records an RRset checks duplicates through a Set instead of a scan. */
const DEDUP_SCAN_LIMIT = 16;
/** Above this many records a node's records are ordered by Array.prototype.sort, not insertion. */
const INSERTION_SORT_LIMIT = 32;
/** The largest slab; a node bigger than this gets a slab of its own. */
const SLAB_LIMIT = 1 << 30;

/** The tables being filled (arrays are replaced as they grow). */
interface Tables {
  hashes: Int32Array;
  slotNode: Int32Array;
  nameStart: Uint32Array;
  nameLength: Uint8Array;
  names: Uint8Array;
  flags: Uint8Array;
}

/**
 * Collects the records of one zone and makes its ZoneSnapshot. Records outside the
 * origin are skipped and exact duplicates dropped (validateZone reports both).
 * RFC 2181 5.2: "the TTLs of all RRs in an RRSet must be the same"; when they
 * differ the set takes the lowest of the records kept (validateZone reports
 * TTL_MISMATCH). Use once: add every record, then finish().
 */
export class ZoneSnapshotBuilder {
  readonly #origin: Name;
  readonly #t: Tables;
  #mask: number;
  #nodeCount = 0;
  #namesUsed = 0;
  #apexId = -1;
  // One entry per record added: its node's number, type, TTL, and RDATA in #bytes.
  #recNode: Int32Array;
  #recType: Uint16Array;
  #recTtl: Uint32Array;
  #recStart: Uint32Array;
  #recLength: Uint16Array;
  #count = 0;
  #bytes: Uint8Array;
  #used = 0;
  #hasCuts = false;
  #finished = false;
  /** The name of the last record added (records of one owner usually come together) and its node (-1: out of zone). */
  #lastName: Name | null = null;
  #lastNode = -1;
  /** The parent whose ancestors were made last: zone files list siblings together. */
  #lastParent: string | null = null;

  /** `expectedRecords` sizes the tables up front (a hint; they grow as needed). */
  constructor(origin: Name, expectedRecords = 0) {
    this.#origin = nameLower(origin);
    const capacity = Math.max(16, expectedRecords);
    // Presized for about two records per name (the tables grow when there are more names).
    const nodes = Math.max(16, capacity >> 1);
    let slots = 16;
    while (slots < nodes * 2) slots *= 2;
    this.#t = {
      hashes: new Int32Array(slots),
      slotNode: new Int32Array(slots),
      nameStart: new Uint32Array(nodes),
      nameLength: new Uint8Array(nodes),
      names: new Uint8Array(nodes * 24),
      flags: new Uint8Array(nodes),
    };
    this.#mask = slots - 1;
    this.#recNode = new Int32Array(capacity);
    this.#recType = new Uint16Array(capacity);
    this.#recTtl = new Uint32Array(capacity);
    this.#recStart = new Uint32Array(capacity);
    this.#recLength = new Uint16Array(capacity);
    this.#bytes = new Uint8Array(capacity * 16);
  }

  /** Adds one record (class IN) whose RDATA is `length` bytes of `bytes` from `start` (copied). */
  add(name: Name, type: number, ttl: number, bytes: Uint8Array, start: number, length: number): void {
    if (this.#finished) throw new Error('ZoneSnapshotBuilder: add after finish');
    let node = this.#lastNode;
    if (name !== this.#lastName) {
      node = this.#nodeFor(name);
      this.#lastName = name;
      this.#lastNode = node;
    }
    if (node < 0) return;
    const flags = this.#t.flags;
    switch (type) {
      case RRType.CNAME:
        flags[node]! |= NodeFlag.CNAME;
        break;
      case RRType.DNAME:
        flags[node]! |= NodeFlag.DNAME;
        this.#hasCuts = true;
        break;
      case RRType.NS:
        if (node !== this.#apexId) {
          flags[node]! |= NodeFlag.DELEGATION;
          this.#hasCuts = true;
        }
        break;
    }
    const i = this.#count;
    if (i === this.#recNode.length) this.#growRecords();
    if (this.#used + length > this.#bytes.length) this.#bytes = grown(this.#bytes, this.#used + length);
    const out = this.#bytes;
    const at = this.#used;
    if (length > 64) out.set(bytes.subarray(start, start + length), at);
    else for (let k = 0; k < length; k++) out[at + k] = bytes[start + k]!;
    this.#used = at + length;
    this.#recNode[i] = node;
    this.#recType[i] = type;
    this.#recTtl[i] = ttl;
    this.#recStart[i] = at;
    this.#recLength[i] = length;
    this.#count = i + 1;
  }

  /** Adds one record. */
  addRecord(record: RecordData): void {
    this.add(record.name, record.type, record.ttl, record.rdata, 0, record.rdata.length);
  }

  /**
   * The snapshot of everything added. `serial` defaults to the SOA's. Throws
   * ZoneError NO_SOA when the apex has no SOA (call validateZone first).
   */
  finish(serial?: number): ZoneSnapshot {
    if (this.#finished) throw new Error('ZoneSnapshotBuilder: finish called twice');
    this.#finished = true;
    const originLower = this.#origin;
    if (this.#apexId < 0 || !this.#owns(this.#apexId, RRType.SOA)) {
      throw new ZoneError('NO_SOA', `zone "${originLower}" has no SOA record at its apex`);
    }
    if (this.#hasCuts) this.#markOccluded();
    const { packed, recordCount } = this.#layOut();
    const nodes = new PackedNodeIndex(packed, originLower);
    const soa = nodes.get(originLower)!.rrsets.get(RRType.SOA)!;
    return Object.freeze({
      origin: originLower,
      serial: serial ?? soaSerial(soa),
      soa,
      nodes,
      recordCount,
    });
  }

  /** The node number of `name` from `offset`, or -1. */
  #find(name: string, offset: number): number {
    return findName(this.#t, this.#mask, name, offset);
  }

  /** The node of `name`, made (with its missing ancestors) when new; -1 when outside the zone. */
  #nodeFor(name: Name): number {
    const t = this.#t;
    const found = this.#find(name, 0);
    if (found >= 0) {
      if ((t.flags[found]! & NodeFlag.EMPTY) !== 0) {
        // An empty non-terminal made earlier now gets data: it takes this record's case.
        t.flags[found]! &= ~NodeFlag.EMPTY;
        const start = t.nameStart[found]!;
        for (let i = 0; i < name.length; i++) t.names[start + i] = name.charCodeAt(i);
      }
      return found;
    }
    if (!isInZone(name, this.#origin)) return -1;
    const made = this.#make(name, 0, 0);
    if (made !== this.#apexId) {
      const parentOffset = name.charCodeAt(0) + 1;
      const parent = name.slice(parentOffset);
      if (parent !== this.#lastParent) {
        this.#makeAncestors(name, parentOffset);
        this.#lastParent = parent;
      }
      if (isWildcardAt(name, 0)) {
        t.flags[made]! |= NodeFlag.WILDCARD;
        this.#t.flags[this.#find(name, parentOffset)]! |= NodeFlag.HAS_WILDCARD_CHILD;
      }
    }
    return made;
  }

  /** Makes node number n for the name `name` from `offset` (not held yet). */
  #make(name: string, offset: number, flags: number): number {
    if ((this.#nodeCount + 1) * 2 > this.#t.hashes.length) this.#growSlots();
    const t = this.#t;
    const id = this.#nodeCount++;
    if (id === t.flags.length) {
      t.nameStart = grown(t.nameStart, id + 1);
      t.nameLength = grown(t.nameLength, id + 1);
      t.flags = grown(t.flags, id + 1);
    }
    const length = name.length - offset;
    if (this.#namesUsed + length > t.names.length) t.names = grown(t.names, this.#namesUsed + length);
    const at = this.#namesUsed;
    for (let i = 0; i < length; i++) t.names[at + i] = name.charCodeAt(offset + i);
    this.#namesUsed = at + length;
    t.nameStart[id] = at;
    t.nameLength[id] = length;
    t.flags[id] = flags;
    this.#put(hashLower(name, offset), id);
    if (length === this.#origin.length) this.#apexId = id;
    return id;
  }

  #put(h: number, id: number): void {
    const { hashes, slotNode } = this.#t;
    const mask = this.#mask;
    let i = h & mask;
    while (hashes[i] !== 0) i = (i + 1) & mask;
    hashes[i] = h;
    slotNode[i] = id;
  }

  #growSlots(): void {
    const t = this.#t;
    const oldHashes = t.hashes;
    const oldNodes = t.slotNode;
    const size = oldHashes.length * 2;
    t.hashes = new Int32Array(size);
    t.slotNode = new Int32Array(size);
    this.#mask = size - 1;
    for (let i = 0; i < oldHashes.length; i++) if (oldHashes[i] !== 0) this.#put(oldHashes[i]!, oldNodes[i]!);
  }

  /** Makes the empty non-terminals between `name` (exclusive) and the apex that do not exist yet (RFC 4592 2.2.2). */
  #makeAncestors(name: Name, parentOffset: number): void {
    const originLength = this.#origin.length;
    let offset = parentOffset;
    let wildcards: number[] | null = null;
    while (this.#find(name, offset) < 0) {
      // The derived node keeps the case of the name that made it.
      let flags: number = NodeFlag.EMPTY;
      if (isWildcardAt(name, offset)) {
        // RFC 4592 2.1.1: a name whose first label is "*" is a wildcard, even one that
        // exists only as the parent of another name ("*.x" made by "a.*.x").
        flags |= NodeFlag.WILDCARD;
        (wildcards ??= []).push(offset);
      }
      this.#make(name, offset, flags);
      if (name.length - offset === originLength) break;
      offset += name.charCodeAt(offset) + 1;
    }
    if (wildcards !== null) {
      for (const at of wildcards) this.#t.flags[this.#find(name, at + name.charCodeAt(at) + 1)]! |= NodeFlag.HAS_WILDCARD_CHILD;
    }
  }

  /**
   * Names strictly below a zone cut (RFC 1034 4.2.1: glue, not authoritative) or
   * below a DNAME (RFC 6672 2.4: no data may exist there) are occluded.
   */
  #markOccluded(): void {
    const t = this.#t;
    const cutOrDname = NodeFlag.DELEGATION | NodeFlag.DNAME;
    const apexDname = (t.flags[this.#apexId]! & NodeFlag.DNAME) !== 0;
    const originLength = this.#origin.length;
    for (let id = 0; id < this.#nodeCount; id++) {
      if (id === this.#apexId) continue;
      const name = latin1(t.names, t.nameStart[id]!, t.nameLength[id]!);
      let offset = name.charCodeAt(0) + 1;
      let occluded = false;
      while (name.length - offset !== originLength) {
        if ((t.flags[this.#find(name, offset)]! & cutOrDname) !== 0) {
          occluded = true;
          break;
        }
        offset += name.charCodeAt(offset) + 1;
      }
      if (occluded || apexDname) t.flags[id]! |= NodeFlag.OCCLUDED;
    }
  }

  /** True when a record of `type` was added at node `id` (before finish). */
  #owns(id: number, type: number): boolean {
    for (let i = 0; i < this.#count; i++) if (this.#recNode[i] === id && this.#recType[i] === type) return true;
    return false;
  }

  /**
   * Orders the records by node (in the order nodes were made), then by type (in
   * the order added), drops duplicates, and writes every node's RRsets into the
   * data slab. Returns the finished tables and the number of records kept.
   */
  #layOut(): { packed: PackedNodes; recordCount: number } {
    const count = this.#count;
    const nodeCount = this.#nodeCount;
    const recNode = this.#recNode;
    const recType = this.#recType;
    const recTtl = this.#recTtl;
    const recStart = this.#recStart;
    const recLength = this.#recLength;
    const bytes = this.#bytes;

    // Counting sort by node: stable, so each node's records stay in the order added.
    const starts = new Int32Array(nodeCount + 1);
    for (let i = 0; i < count; i++) starts[recNode[i]! + 1]!++;
    for (let n = 0; n < nodeCount; n++) starts[n + 1]! += starts[n]!;
    const order = new Int32Array(count);
    const fill = starts.slice(0, nodeCount);
    for (let i = 0; i < count; i++) order[fill[recNode[i]!]!++] = i;

    // Per node: records by type, duplicates marked, the bytes each node needs.
    const kept = new Uint8Array(count);
    const dataLength = new Uint32Array(nodeCount);
    let total = 0;
    let recordCount = 0;
    for (let n = 0; n < nodeCount; n++) {
      const from = starts[n]!;
      const to = starts[n + 1]!;
      if (from === to) continue;
      sortByType(order, from, to, recType);
      let size = 0;
      for (let a = from; a < to;) {
        const type = recType[order[a]!]!;
        let b = a + 1;
        while (b < to && recType[order[b]!]! === type) b++;
        size += SET_HEADER;
        let seen: Set<string> | null = null;
        for (let k = a; k < b; k++) {
          const r = order[k]!;
          if (b - a > DEDUP_SCAN_LIMIT) {
            seen ??= new Set();
            const key = latin1Long(bytes, recStart[r]!, recLength[r]!);
            if (seen.has(key)) continue;
            seen.add(key);
          } else if (isDuplicate(order, a, k, kept, bytes, recStart, recLength)) {
            continue;
          }
          kept[r] = 1;
          size += 2 + recLength[r]!;
          recordCount++;
        }
        a = b;
      }
      dataLength[n] = size;
      total += size;
    }
    if (total > 0xffffffff) throw new ZoneError('TOO_LARGE', `zone "${this.#origin}" has more than 4 GiB of RDATA`);

    // Write each node's RRsets: header (type, lowest TTL, count), then each kept record.
    const out = new Uint8Array(total);
    const dataStart = new Uint32Array(nodeCount);
    let pos = 0;
    for (let n = 0; n < nodeCount; n++) {
      if (dataLength[n] === 0) continue;
      dataStart[n] = pos;
      const to = starts[n + 1]!;
      for (let a = starts[n]!; a < to;) {
        const type = recType[order[a]!]!;
        let b = a + 1;
        while (b < to && recType[order[b]!]! === type) b++;
        let ttl = -1;
        let records = 0;
        for (let k = a; k < b; k++) {
          const r = order[k]!;
          if (kept[r] === 0) continue;
          if (ttl < 0 || recTtl[r]! < ttl) ttl = recTtl[r]!;
          records++;
        }
        out[pos] = type >>> 8;
        out[pos + 1] = type & 0xff;
        writeU32(out, pos + 2, ttl);
        writeU32(out, pos + 6, records);
        pos += SET_HEADER;
        for (let k = a; k < b; k++) {
          const r = order[k]!;
          if (kept[r] === 0) continue;
          const length = recLength[r]!;
          const start = recStart[r]!;
          out[pos] = length >>> 8;
          out[pos + 1] = length & 0xff;
          pos += 2;
          if (length > 64) out.set(bytes.subarray(start, start + length), pos);
          else for (let j = 0; j < length; j++) out[pos + j] = bytes[start + j]!;
          pos += length;
        }
        a = b;
      }
    }

    const t = this.#t;
    const packed: PackedNodes = {
      count: nodeCount,
      hashes: t.hashes,
      slotNode: t.slotNode,
      nameStart: t.nameStart.slice(0, nodeCount),
      nameLength: t.nameLength.slice(0, nodeCount),
      names: t.names.slice(0, this.#namesUsed),
      flags: t.flags.slice(0, nodeCount),
      dataStart,
      dataLength,
      data: out,
    };
    // The build tables are not needed any more.
    this.#recNode = new Int32Array(0);
    this.#recType = new Uint16Array(0);
    this.#recTtl = new Uint32Array(0);
    this.#recStart = new Uint32Array(0);
    this.#recLength = new Uint16Array(0);
    this.#bytes = new Uint8Array(0);
    return { packed, recordCount };
  }

  #growRecords(): void {
    const size = this.#recNode.length * 2;
    this.#recNode = grown(this.#recNode, size);
    this.#recType = grown(this.#recType, size);
    this.#recTtl = grown(this.#recTtl, size);
    this.#recStart = grown(this.#recStart, size);
    this.#recLength = grown(this.#recLength, size);
  }
}

/** A copy of `from` with room for at least `need` elements (doubling). */
function grown<T extends Int32Array | Uint16Array | Uint32Array | Uint8Array>(from: T, need: number): T {
  let size = Math.max(16, from.length * 2);
  while (size < need) size *= 2;
  const to = new (from.constructor as new (n: number) => T)(size);
  to.set(from as never);
  return to;
}

/** True when the label at `offset` of `name` is "*". */
function isWildcardAt(name: string, offset: number): boolean {
  return name.charCodeAt(offset) === 1 && name.charCodeAt(offset + 1) === 0x2a;
}

/** RDATA as a string key for the duplicate check of large RRsets. */
function latin1Long(bytes: Uint8Array, start: number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 4096) out += latin1(bytes, start + i, Math.min(4096, length - i));
  return out;
}

function writeU32(out: Uint8Array, p: number, value: number): void {
  out[p] = value >>> 24;
  out[p + 1] = (value >>> 16) & 0xff;
  out[p + 2] = (value >>> 8) & 0xff;
  out[p + 3] = value & 0xff;
}

/** Sorts order[from, to) by type, keeping the order added among equal types. */
function sortByType(order: Int32Array, from: number, to: number, types: Uint16Array): void {
  if (to - from <= 1) return;
  if (to - from <= INSERTION_SORT_LIMIT) {
    for (let i = from + 1; i < to; i++) {
      const r = order[i]!;
      const t = types[r]!;
      let j = i;
      while (j > from && types[order[j - 1]!]! > t) {
        order[j] = order[j - 1]!;
        j--;
      }
      order[j] = r;
    }
    return;
  }
  const part = Array.from(order.subarray(from, to));
  part.sort((a, b) => types[a]! - types[b]! || a - b);
  order.set(part, from);
}

/** True when record order[k] equals an earlier kept record of order[a, k) (byte equality; names in RDATA compare as given). */
function isDuplicate(
  order: Int32Array, a: number, k: number, kept: Uint8Array, bytes: Uint8Array, recStart: Uint32Array, recLength: Uint16Array,
): boolean {
  const r = order[k]!;
  const length = recLength[r]!;
  const start = recStart[r]!;
  outer: for (let i = a; i < k; i++) {
    const other = order[i]!;
    if (kept[other] === 0 || recLength[other] !== length) continue;
    const otherStart = recStart[other]!;
    for (let j = 0; j < length; j++) if (bytes[start + j] !== bytes[otherStart + j]) continue outer;
    return true;
  }
  return false;
}

/**
 * True when `name` is `originLower` or below it at a label boundary (so
 * "xexample.com." is not in "example.com."), ASCII case ignored (RFC 4343).
 */
function isInZone(name: Name, originLower: Name): boolean {
  const start = name.length - originLower.length;
  if (start < 0) return false;
  for (let i = 0; i < originLower.length; i++) {
    let c = name.charCodeAt(start + i);
    if (c >= 0x41 && c <= 0x5a) c += 32;
    if (c !== originLower.charCodeAt(i)) return false;
  }
  let i = 0;
  while (i < start) i += name.charCodeAt(i) + 1;
  return i === start;
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
