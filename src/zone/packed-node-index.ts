// The node index of a built snapshot, with no JavaScript object per name: names,
// flags and RRsets live in typed arrays and two byte slabs, so a million names
// cost about 80 bytes each and nothing for the garbage collector to trace (one
// object per name cost ~170 bytes and most of the load time in scavenges,
// measured on 1M names). A lookup hashes the key, probes dense 32-bit hashes and
// compares the name bytes; the node it finds is made as a SnapshotNode (RRsets
// with RDATA as views into the slab) and kept in a bounded memo (a FIFO ring of
// MEMO_NODES), so asking twice gives the same objects: the query path compares
// RRsets by identity (additional-section dedup, the apex NS in answers).
// Patches (patchZoneSnapshot) fold their changes into `overrides`, a small
// NodeIndex consulted first; the packed arrays are shared and never change.
import type { Name } from '../wire/index.js';
import { NodeIndex } from './node-index.js';
import { SnapshotNode } from './zone-node.js';
import type { RRset, ZoneNode } from './types.js';

/** How many nodes keep their objects at once (a bounded memo). */
export const MEMO_NODES = 16384;
/** Bytes before an RRset's records in the data slab: type (2), TTL (4), record count (4). */
export const SET_HEADER = 10;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const UPPER_A = 0x41;
const UPPER_Z = 0x5a;

/** The arrays a PackedNodeIndex is made of (ZoneSnapshotBuilder fills them). */
export interface PackedNodes {
  /** Node count. */
  readonly count: number;
  /** Per slot: the hash of the lowercased name with bit 0 set (0: empty slot), and the node's number. */
  readonly hashes: Int32Array;
  readonly slotNode: Int32Array;
  /** Per node: its name's bytes (wire form, case as entered) in `names`. */
  readonly nameStart: Uint32Array;
  readonly nameLength: Uint8Array;
  readonly names: Uint8Array;
  /** Per node: NodeFlag bits. */
  readonly flags: Uint8Array;
  /** Per node: its RRsets in `data` (length 0: none), each a SET_HEADER then (length (2), RDATA) per record, in type order. */
  readonly dataStart: Uint32Array;
  readonly dataLength: Uint32Array;
  readonly data: Uint8Array;
}

/** The name -> node index of a built snapshot (read-only; see the file comment). */
export class PackedNodeIndex implements ReadonlyMap<Name, ZoneNode> {
  readonly #p: PackedNodes;
  readonly #mask: number;
  /** Nodes changed by patches since the build: a node, or null for a removed name. */
  readonly #overrides: NodeIndex<ZoneNode | null> | null;
  readonly #size: number;
  /** Made nodes by number, and the ring of numbers in the order they were made. */
  readonly #memo: (SnapshotNode | undefined)[];
  readonly #ring: Int32Array;
  #next = 0;
  /** The apex, made once and never forgotten (its SOA is the snapshot's). */
  readonly #apexId: number;
  readonly #apex: SnapshotNode | undefined;

  /** `apex` is the apex node's name (lowercased). */
  constructor(packed: PackedNodes, apex: Name, overrides: NodeIndex<ZoneNode | null> | null = null, size = packed.count) {
    this.#p = packed;
    this.#mask = packed.hashes.length - 1;
    this.#overrides = overrides !== null && overrides.size > 0 ? overrides : null;
    this.#size = size;
    this.#memo = new Array<SnapshotNode | undefined>(packed.count);
    this.#ring = new Int32Array(Math.max(1, Math.min(MEMO_NODES, packed.count))).fill(-1);
    this.#apexId = this.#find(apex);
    this.#apex = this.#apexId < 0 ? undefined : this.#make(this.#apexId);
  }

  /** How many names are held. */
  get size(): number {
    return this.#size;
  }

  /** The shared arrays (patches make a new index over the same ones). */
  get packed(): PackedNodes {
    return this.#p;
  }

  /** The patched nodes over the packed ones, or null. */
  get overrides(): NodeIndex<ZoneNode | null> | null {
    return this.#overrides;
  }

  /** The node of `key` (a lowercased name), or undefined. */
  get(key: Name): ZoneNode | undefined {
    const overrides = this.#overrides;
    if (overrides !== null) {
      const changed = overrides.get(key);
      if (changed !== undefined) return changed === null ? undefined : changed;
    }
    const id = this.#find(key);
    return id < 0 ? undefined : this.#node(id);
  }

  /** True when `key` is held. */
  has(key: Name): boolean {
    const overrides = this.#overrides;
    if (overrides !== null) {
      const changed = overrides.get(key);
      if (changed !== undefined) return changed !== null;
    }
    return this.#find(key) >= 0;
  }

  /** Calls `fn` for every entry: the packed ones in build order, then the ones patches added. */
  forEach(fn: (value: ZoneNode, key: Name, map: ReadonlyMap<Name, ZoneNode>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) fn.call(thisArg, value, key, this);
  }

  /** The names (lowercased); makes no nodes. */
  *keys(): MapIterator<Name> {
    const overrides = this.#overrides;
    for (let id = 0; id < this.#p.count; id++) {
      const key = this.#lowerName(id);
      if (overrides === null || overrides.get(key) !== null) yield key;
    }
    if (overrides !== null) {
      for (const [key, value] of overrides) if (value !== null && this.#find(key) < 0) yield key;
    }
    return undefined;
  }

  /** True when `key` is one of the names built in (patches aside). */
  hasPacked(key: Name): boolean {
    return this.#find(key) >= 0;
  }

  /** The nodes. */
  *values(): MapIterator<ZoneNode> {
    for (const [, value] of this.entries()) yield value;
    return undefined;
  }

  /** [lowercased name, node] pairs. */
  *entries(): MapIterator<[Name, ZoneNode]> {
    const overrides = this.#overrides;
    for (let id = 0; id < this.#p.count; id++) {
      const key = this.#lowerName(id);
      if (overrides !== null) {
        const changed = overrides.get(key);
        if (changed === null) continue;
        if (changed !== undefined) {
          yield [key, changed];
          continue;
        }
      }
      yield [key, this.#node(id)];
    }
    if (overrides !== null) {
      for (const [key, value] of overrides) if (value !== null && this.#find(key) < 0) yield [key, value];
    }
    return undefined;
  }

  /** Same as entries(). */
  [Symbol.iterator](): MapIterator<[Name, ZoneNode]> {
    return this.entries();
  }

  /** The node number of `key` (compared without case), or -1. */
  #find(key: string): number {
    return findName(this.#p, this.#mask, key, 0);
  }

  #node(id: number): SnapshotNode {
    if (id === this.#apexId) return this.#apex!;
    const memo = this.#memo;
    const known = memo[id];
    if (known !== undefined) return known;
    const node = this.#make(id);
    memo[id] = node;
    // FIFO: the node made MEMO_NODES makes ago is forgotten (made again if asked).
    const ring = this.#ring;
    const slot = this.#next;
    const old = ring[slot]!;
    if (old >= 0) memo[old] = undefined;
    ring[slot] = id;
    this.#next = slot + 1 === ring.length ? 0 : slot + 1;
    return node;
  }

  /** A node object for node `id`: RRsets with RDATA as views into the data slab (no copy). */
  #make(id: number): SnapshotNode {
    const p = this.#p;
    const name = latin1(p.names, p.nameStart[id]!, p.nameLength[id]!) as Name;
    const node = new SnapshotNode(name, p.flags[id]!);
    const length = p.dataLength[id]!;
    if (length === 0) return node;
    const bytes = p.data;
    const buffer = bytes.buffer;
    const base = bytes.byteOffset;
    let at = p.dataStart[id]!;
    const end = at + length;
    while (at < end) {
      const type = (bytes[at]! << 8) | bytes[at + 1]!;
      const ttl = readU32(bytes, at + 2);
      const count = readU32(bytes, at + 6);
      at += SET_HEADER;
      const rdatas = new Array<Uint8Array>(count);
      for (let i = 0; i < count; i++) {
        const rdataLength = (bytes[at]! << 8) | bytes[at + 1]!;
        rdatas[i] = new Uint8Array(buffer, base + at + 2, rdataLength);
        at += 2 + rdataLength;
      }
      const set: RRset = { name, type, ttl, rdatas };
      // Stored in type order, so each insert appends.
      node.insert(set);
    }
    return node;
  }

  #lowerName(id: number): Name {
    const p = this.#p;
    const start = p.nameStart[id]!;
    const length = p.nameLength[id]!;
    const names = p.names;
    for (let i = start; i < start + length; i++) {
      const c = names[i]!;
      if (c >= UPPER_A && c <= UPPER_Z) {
        const copy = names.slice(start, start + length);
        for (let j = 0; j < length; j++) if (copy[j]! >= UPPER_A && copy[j]! <= UPPER_Z) copy[j]! += 32;
        return latin1(copy, 0, length) as Name;
      }
    }
    return latin1(names, start, length) as Name;
  }
}

/** The node number of the name `key` from `offset` (compared without case) in packed tables, or -1. */
export function findName(p: Pick<PackedNodes, 'hashes' | 'slotNode' | 'names' | 'nameStart' | 'nameLength'>, mask: number, key: string, offset: number): number {
  const hashes = p.hashes;
  const h = hashLower(key, offset);
  let i = h & mask;
  for (;;) {
    const stored = hashes[i]!;
    if (stored === 0) return -1;
    if (stored === h) {
      const id = p.slotNode[i]!;
      if (nameEquals(p.names, p.nameStart[id]!, p.nameLength[id]!, key, offset)) return id;
    }
    i = (i + 1) & mask;
  }
}

/** FNV-1a of the bytes of `name` from `offset`, ASCII letters lowercased (RFC 4343), bit 0 forced on. */
export function hashLower(name: string, offset: number): number {
  let h = FNV_OFFSET | 0;
  for (let i = offset; i < name.length; i++) {
    let c = name.charCodeAt(i);
    if (c >= UPPER_A && c <= UPPER_Z) c += 32;
    h = Math.imul(h ^ c, FNV_PRIME);
  }
  return h | 1;
}

/** True when bytes[start, start + length) equal `name` from `offset`, ASCII case ignored. */
export function nameEquals(bytes: Uint8Array, start: number, length: number, name: string, offset: number): boolean {
  if (name.length - offset !== length) return false;
  for (let i = 0; i < length; i++) {
    let a = bytes[start + i]!;
    let b = name.charCodeAt(offset + i);
    if (a === b) continue;
    if (a >= UPPER_A && a <= UPPER_Z) a += 32;
    if (b >= UPPER_A && b <= UPPER_Z) b += 32;
    if (a !== b) return false;
  }
  return true;
}

/** The bytes as a latin1 string (one char per byte; names are at most 255 bytes). */
export function latin1(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode.apply(null, bytes.subarray(start, start + length) as unknown as number[]);
}

function readU32(bytes: Uint8Array, p: number): number {
  return bytes[p]! * 0x1000000 + ((bytes[p + 1]! << 16) | (bytes[p + 2]! << 8) | bytes[p + 3]!);
}
