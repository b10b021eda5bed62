// The answer cache (ADR 0001 decision 5): encoded responses kept by question and
// EDNS shape, so the common query costs a key read, one table probe, a copy and a
// two-field header patch. Entries live in large byte slabs, not one Buffer each, so a
// million entries stay compact and cost the garbage collector almost nothing. The
// index is ours too: an open-addressing table of typed arrays (a hash and a slab
// position per slot), the key bytes kept beside the response they name. A
// Map<string, number> made a string per query and chased three pointers per probe:
// its lookup alone was 6% of the server's CPU under dnsperf (perf, docs/PERFORMANCE.md).
//
// Two kinds of entry share it (ADR 0003):
// - authoritative responses, kept until the zone table changes;
// - forwarded responses (upstream data relayed to an admitted client), kept until
//   their lowest TTL runs out, served only to clients recursion is available to,
//   their TTLs counted down in place at most once a second.
import type { TtlFields } from '../wire/index.js';
import { responseSizeLimit } from './fit-response.js';

/** Default byte budget of the slabs (the Map of keys comes on top). */
export const DEFAULT_ANSWER_CACHE_BYTES = 50 * 1024 * 1024;

/** Slab size: 1 MiB, so a position is slab index << 20 | offset (a small integer). */
const SLAB_BITS = 20;
const SLAB_SIZE = 1 << SLAB_BITS;
const OFFSET_MASK = SLAB_SIZE - 1;
/** Positions must stay small integers (31 bits). */
const MAX_SLABS = 1023;

const HEADER = 12;
const TYPE_OPT = 41;
/** Meta-types from TKEY (249) up, ANY (255) excepted, go the slow way (transfers, errors). */
const FIRST_META_TYPE = 249;
const TYPE_ANY = 255;
const OPTION_COOKIE = 10;
const OPTION_PADDING = 12;

/** Key shape bits. */
const SHAPE_RD = 1;
const SHAPE_EDNS = 2;
const SHAPE_DO = 4;
const SHAPE_TCP = 8;
/** AD and CD of the request: a forwarded answer relays AD only to DO or AD askers, and CD reaches the upstream. */
const SHAPE_AD = 16;
const SHAPE_CD = 32;

/**
 * An entry in its slab: kind (1), key length k (2), the key (k), then the body.
 * An authoritative body: response length (2), the response. A forwarded body:
 * response length (2), TTL count n (2), stored-at second (4), expiry second (4),
 * second last rendered (4), n TTL offsets (2 each), n TTLs as stored (4 each),
 * the response.
 */
const FORWARDED_HEADER = 16;

/** Bytes before an entry's key in its slab: kind (1), key length (2). */
const ENTRY_HEAD = 3;
const KIND_AUTHORITATIVE = 0;
const KIND_FORWARDED = 1;
/** Integers per slot of the index: epoch, hash, position. */
const SLOT_INTS = 3;
/** FNV-1a, 32 bits. */
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/**
 * Encoded responses by question. Call `sync` with the generation of what answers
 * depend on (the zone table's, plus the forwarder's flushes) before use: any change
 * empties the cache. When the slabs or the entry count are full the cache empties
 * and starts over (cheaper than per-entry LRU, and the hot set refills in a moment).
 */
export class AnswerCache {
  /**
   * Three integers per slot, side by side so a probe reads one cache line: the
   * epoch it was filled in (the slot is empty unless that is `#epoch`), the key's
   * hash, and the slab position of the entry.
   */
  readonly #table: Int32Array;
  readonly #mask: number;
  #epoch = 1;
  #count = 0;
  readonly #slabs: Buffer[] = [];
  readonly #maxSlabs: number;
  readonly #maxEntries: number;
  readonly #maxUdpSize: number;
  #slab = 0;
  #offset = 0;
  #generation = -1;
  /** The key `probe` read last: its bytes, length and hash. */
  readonly #key = Buffer.alloc(512);
  #keyLength = 0;
  #keyHash = 0;
  /** Whether the last hit of `get` was a forwarded entry (read right after a hit). */
  lastHitForwarded = false;

  /** `maxBytes` bounds the response slabs; `maxUdpSize` is the engine's UDP cap. */
  constructor(maxBytes: number, maxUdpSize: number) {
    this.#maxSlabs = Math.max(1, Math.min(MAX_SLABS, Math.floor(maxBytes / SLAB_SIZE)));
    // About one entry per 128 bytes of budget: responses are rarely smaller.
    this.#maxEntries = Math.max(1024, Math.floor(maxBytes / 128));
    this.#maxUdpSize = maxUdpSize;
    // At most half the slots in use, so probes stay short.
    const slots = 2 ** Math.ceil(Math.log2(this.#maxEntries * 2));
    this.#table = new Int32Array(slots * SLOT_INTS);
    this.#mask = slots - 1;
  }

  /** How many responses are held. */
  get size(): number {
    return this.#count;
  }

  /** The generation last synced to; a forwarded reply is kept only if it has not moved since its request. */
  get generation(): number {
    return this.#generation;
  }

  /** Empties the cache when the generation changed since the last call. */
  sync(generation: number): void {
    if (generation !== this.#generation) {
      this.clear();
      this.#generation = generation;
    }
  }

  /** Drops every entry (the slabs are kept for reuse): a new epoch, so no slot is valid. */
  clear(): void {
    this.#epoch++;
    if (this.#epoch > 0x7fffffff) {
      this.#table.fill(0);
      this.#epoch = 1;
    }
    this.#count = 0;
    this.#slab = 0;
    this.#offset = 0;
  }

  /**
   * Reads the cache key of `request` for the `get`, `set` and `setForwarded` that
   * follow; false when it is not a plain query this cache may answer: anything unusual (compression in the question, other classes,
   * meta-types, EDNS versions or options that matter, extra records, odd flags,
   * trailing bytes) goes the slow way, which decides properly. The key is the
   * QNAME bytes as sent, then QTYPE, the request's shape (RD, AD, CD, EDNS, DO,
   * transport) and the response size limit.
   *
   * The QNAME is not lowercased: the encoder compresses names case-sensitively
   * (so RDATA keeps the zone's case), which makes the bytes of an answer depend
   * on the spelling of the question, and a DNAME answer repeats the spelling in
   * its CNAME target. Keyed by the exact spelling, a hit is byte for byte what
   * the slow path would send; clients that randomize case (0x20) get misses.
   */
  probe(request: Uint8Array, transport: 'udp' | 'tcp'): boolean {
    const size = request.length;
    if (size < HEADER + 5) return false;
    // QR, opcode, AA, TC clear (RD free); RA, Z and RCODE clear (AD and CD free).
    if ((request[2]! & 0xfe) !== 0 || (request[3]! & 0xcf) !== 0) return false;
    // QDCOUNT 1, ANCOUNT 0, NSCOUNT 0, ARCOUNT 0 or 1.
    if (request[4] !== 0 || request[5] !== 1 || request[6] !== 0 || request[7] !== 0 || request[8] !== 0
      || request[9] !== 0 || request[10] !== 0 || request[11]! > 1) return false;

    const key = this.#key;
    let pos = HEADER;
    let n = 0;
    for (;;) {
      const len = request[pos];
      if (len === undefined || len > 63) return false; // past the end, or a pointer or extended label
      if (len === 0) break;
      if (pos + 1 + len >= size) return false;
      key[n++] = len;
      for (let i = pos + 1, end = pos + 1 + len; i < end; i++) key[n++] = request[i]!;
      pos += 1 + len;
    }
    key[n++] = 0;
    if (n > 255) return false;
    const typeAt = pos + 1;
    const questionEnd = typeAt + 4;
    if (questionEnd > size) return false;
    const qtypeHi = request[typeAt]!;
    const qtypeLo = request[typeAt + 1]!;
    const qtype = (qtypeHi << 8) | qtypeLo;
    if (qtype === TYPE_OPT || (qtype >= FIRST_META_TYPE && qtype !== TYPE_ANY)) return false;
    if (request[typeAt + 2] !== 0 || request[typeAt + 3] !== 1) return false; // class IN only

    let shape = ((request[2]! & 1) !== 0 ? SHAPE_RD : 0) | ((request[3]! & 0x20) !== 0 ? SHAPE_AD : 0)
      | ((request[3]! & 0x10) !== 0 ? SHAPE_CD : 0);
    let udpSize: number | null = null;
    if (request[11] === 0) {
      if (questionEnd !== size) return false;
    } else {
      // The one additional record must be a well-formed OPT, version 0 (RFC 6891 6.1.2).
      const at = questionEnd;
      if (at + 11 > size || request[at] !== 0 || request[at + 1] !== 0 || request[at + 2] !== TYPE_OPT) return false;
      if (request[at + 6] !== 0) return false; // EDNS version > 0: BADVERS, slow path
      const rdlength = (request[at + 9]! << 8) | request[at + 10]!;
      if (at + 11 + rdlength !== size) return false;
      // Options: the engine ignores COOKIE (no server cookies yet) and PADDING, so
      // they do not change the answer. Any other option goes the slow way; an
      // option that comes to change answers must be handled before this line.
      let o = at + 11;
      while (o < size) {
        if (o + 4 > size) return false;
        const code = (request[o]! << 8) | request[o + 1]!;
        const len = (request[o + 2]! << 8) | request[o + 3]!;
        if ((code !== OPTION_COOKIE && code !== OPTION_PADDING) || o + 4 + len > size) return false;
        o += 4 + len;
      }
      udpSize = (request[at + 3]! << 8) | request[at + 4]!;
      shape |= SHAPE_EDNS;
      if ((request[at + 7]! & 0x80) !== 0) shape |= SHAPE_DO;
    }
    if (transport === 'tcp') shape |= SHAPE_TCP;
    const limit = responseSizeLimit(transport, udpSize, this.#maxUdpSize);
    key[n++] = qtypeHi;
    key[n++] = qtypeLo;
    key[n++] = shape;
    key[n++] = limit >>> 8;
    key[n++] = limit & 0xff;
    let hash = FNV_OFFSET;
    for (let i = 0; i < n; i++) hash = Math.imul(hash ^ key[i]!, FNV_PRIME);
    this.#keyLength = n;
    this.#keyHash = hash;
    return true;
  }

  /** The key of `request` as text, or null when it is not cacheable (for tests). */
  keyOf(request: Uint8Array, transport: 'udp' | 'tcp'): string | null {
    return this.probe(request, transport) ? this.currentKey() : null;
  }

  /** The key the last successful `probe` read, as text: to keep it across an await (see setForwarded). */
  currentKey(): string {
    return this.#key.toString('latin1', 0, this.#keyLength);
  }

  /** Makes `key` (from currentKey) the current key again. */
  #restore(key: string): void {
    const n = this.#key.write(key, 0, 'latin1');
    let hash = FNV_OFFSET;
    for (let i = 0; i < n; i++) hash = Math.imul(hash ^ this.#key[i]!, FNV_PRIME);
    this.#keyLength = n;
    this.#keyHash = hash;
  }

  /** The slot holding the current key, or -(the empty slot where it would go) - 1. */
  #find(): number {
    const hash = this.#keyHash;
    const n = this.#keyLength;
    const key = this.#key;
    const epoch = this.#epoch;
    const table = this.#table;
    for (let slot = hash & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const base = slot * SLOT_INTS;
      if (table[base] !== epoch) return -slot - 1;
      if (table[base + 1] !== hash) continue;
      const position = table[base + 2]!;
      const slab = this.#slabs[position >>> SLAB_BITS]!;
      const at = position & OFFSET_MASK;
      if (((slab[at + 1]! << 8) | slab[at + 2]!) !== n) continue;
      let same = true;
      for (let i = 0, k = at + ENTRY_HEAD; i < n; i++, k++) {
        if (slab[k] !== key[i]) {
          same = false;
          break;
        }
      }
      if (same) return slot;
    }
  }

  /**
   * The cached response for the current key made ready for `request`: a fresh copy with the
   * request's ID (the question bytes, RD, AD and CD are the request's already: the key says so).
   * Null on a miss. A forwarded entry counts as a miss when `recursionAllowed` is
   * false or its lowest TTL has run out by `clock()` (seconds, read only for
   * forwarded entries); otherwise its TTLs are counted down to that second first.
   * After a hit, `lastHitForwarded` says which kind answered.
   */
  get(request: Uint8Array, recursionAllowed: boolean, clock: () => number): Uint8Array | null {
    const slot = this.#find();
    if (slot < 0) return null;
    const position = this.#table[slot * SLOT_INTS + 2]!;
    const slab = this.#slabs[position >>> SLAB_BITS]!;
    let at = (position & OFFSET_MASK) + ENTRY_HEAD + this.#keyLength;
    const forwarded = slab[position & OFFSET_MASK] === KIND_FORWARDED;
    const length = (slab[at]! << 8) | slab[at + 1]!;
    if (forwarded) {
      if (!recursionAllowed) return null;
      const now = clock();
      if (now >= readU32(slab, at + 8)) return null;
      at = renderTtls(slab, at, now);
    } else {
      at += 2;
    }
    this.lastHitForwarded = forwarded;
    const out = Buffer.allocUnsafe(length);
    slab.copy(out, 0, at, at + length);
    out[0] = request[0]!;
    out[1] = request[1]!;
    return out;
  }

  /** Keeps the authoritative `response` for the current key until the generation changes; empties the cache first when it is full. */
  set(response: Uint8Array): void {
    const at = this.#reserve(response.length + 2);
    const slab = this.#slabs[this.#slab]!;
    const body = this.#writeHead(slab, at, KIND_AUTHORITATIVE);
    slab[body] = response.length >>> 8;
    slab[body + 1] = response.length & 0xff;
    slab.set(response, body + 2);
    this.#index(at);
  }

  /**
   * Keeps a forwarded `response` for `key` (from currentKey; null: the current key) from
   * second `now` until its lowest TTL runs out, if the generation is still
   * `generation` (the one its request was answered under: a zone that appeared
   * meanwhile may own the name now). Nothing is kept for a response without TTLs
   * or with a TTL of 0.
   */
  setForwarded(key: string | null, response: Uint8Array, ttls: TtlFields, now: number, generation: number): void {
    if (generation !== this.#generation || ttls.minTtl === 0 || response.length > 0xffff) return;
    if (key !== null) this.#restore(key);
    const n = ttls.offsets.length;
    const at = this.#reserve(FORWARDED_HEADER + n * 6 + response.length);
    const slab = this.#slabs[this.#slab]!;
    const body = this.#writeHead(slab, at, KIND_FORWARDED);
    slab[body] = response.length >>> 8;
    slab[body + 1] = response.length & 0xff;
    slab.writeUInt16BE(n, body + 2);
    writeU32(slab, body + 4, now);
    writeU32(slab, body + 8, now + ttls.minTtl);
    writeU32(slab, body + 12, now);
    for (let i = 0; i < n; i++) {
      const offset = ttls.offsets[i]!;
      slab.writeUInt16BE(offset, body + FORWARDED_HEADER + i * 2);
      writeU32(slab, body + FORWARDED_HEADER + n * 2 + i * 4, readU32(response, offset));
    }
    slab.set(response, body + FORWARDED_HEADER + n * 6);
    this.#index(at);
  }

  /** Writes an entry's kind and the current key at `at`; returns where its body starts. */
  #writeHead(slab: Buffer, at: number, kind: number): number {
    const n = this.#keyLength;
    slab[at] = kind;
    slab[at + 1] = n >>> 8;
    slab[at + 2] = n & 0xff;
    this.#key.copy(slab, at + ENTRY_HEAD, 0, n);
    return at + ENTRY_HEAD + n;
  }

  /** Points the current key's slot at the entry written at `at` in the current slab (a new slot, or the old entry's). */
  #index(at: number): void {
    const found = this.#find();
    const base = (found >= 0 ? found : -found - 1) * SLOT_INTS;
    if (found < 0) {
      this.#table[base] = this.#epoch;
      this.#table[base + 1] = this.#keyHash;
      this.#count++;
    }
    this.#table[base + 2] = (this.#slab << SLAB_BITS) | at;
  }

  /** Room for `need` bytes in the current slab (a new one when it is full; all cleared when out of slabs or entries). */
  #reserve(bodySize: number): number {
    const need = ENTRY_HEAD + this.#keyLength + bodySize;
    if (need > SLAB_SIZE) throw new RangeError(`an answer cache entry of ${need} bytes exceeds the slab size`);
    if (this.#count >= this.#maxEntries) this.clear();
    if (this.#offset + need > SLAB_SIZE) {
      this.#slab++;
      this.#offset = 0;
      if (this.#slab >= this.#maxSlabs) this.clear();
    }
    if (this.#slabs[this.#slab] === undefined) this.#slabs.push(Buffer.allocUnsafeSlow(SLAB_SIZE));
    const at = this.#offset;
    this.#offset = at + need;
    return at;
  }
}

/**
 * Counts the TTLs of the forwarded entry at `at` down to second `now` (once per
 * second: later hits in the same second copy the bytes as they are). Returns where
 * the response starts. Every TTL stays positive: the entry expires with its lowest.
 */
function renderTtls(slab: Buffer, at: number, now: number): number {
  const n = (slab[at + 2]! << 8) | slab[at + 3]!;
  const body = at + FORWARDED_HEADER + n * 6;
  if (readU32(slab, at + 12) !== now) {
    const age = Math.max(0, now - readU32(slab, at + 4)); // a clock set back counts as no time passed
    const ttls = at + FORWARDED_HEADER + n * 2;
    for (let i = 0; i < n; i++) {
      const o = at + FORWARDED_HEADER + i * 2;
      writeU32(slab, body + ((slab[o]! << 8) | slab[o + 1]!), readU32(slab, ttls + i * 4) - age);
    }
    writeU32(slab, at + 12, now);
  }
  return body;
}

/** A big-endian 32-bit unsigned integer at `at` (plain indexing: no bounds-checking method call). */
function readU32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

function writeU32(b: Uint8Array, at: number, value: number): void {
  b[at] = value >>> 24;
  b[at + 1] = (value >>> 16) & 0xff;
  b[at + 2] = (value >>> 8) & 0xff;
  b[at + 3] = value & 0xff;
}
