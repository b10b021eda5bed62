// The answer cache (ADR 0001 decision 5): encoded responses kept by question and
// EDNS shape, so the common query costs a key read, one Map lookup, a copy and a
// two-field header patch. Entries live in large byte slabs, not one Buffer each, so a
// million entries stay compact and cost the garbage collector almost nothing.
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
 * A forwarded entry's header in its slab, before the response: length (2), TTL
 * count n (2), stored-at second (4), expiry second (4), second last rendered (4),
 * then n TTL offsets (2 each) and n TTLs as stored (4 each).
 */
const FORWARDED_HEADER = 16;
/** Forwarded entries are stored in the index as -(position + 1); authoritative ones as the position. */
const forwardedIndex = (position: number): number => -(position + 1);

/** Scratch for building one key; keys are at most 255 + KEY_SUFFIX bytes. */
const scratch = Buffer.alloc(512);

/**
 * Encoded responses by question. Call `sync` with the generation of what answers
 * depend on (the zone table's, plus the forwarder's flushes) before use: any change
 * empties the cache. When the slabs or the entry count are full the cache empties
 * and starts over (cheaper than per-entry LRU, and the hot set refills in a moment).
 */
export class AnswerCache {
  readonly #index = new Map<string, number>();
  readonly #slabs: Buffer[] = [];
  readonly #maxSlabs: number;
  readonly #maxEntries: number;
  readonly #maxUdpSize: number;
  #slab = 0;
  #offset = 0;
  #generation = -1;
  /** Whether the last hit of `get` was a forwarded entry (read right after a hit). */
  lastHitForwarded = false;

  /** `maxBytes` bounds the response slabs; `maxUdpSize` is the engine's UDP cap. */
  constructor(maxBytes: number, maxUdpSize: number) {
    this.#maxSlabs = Math.max(1, Math.min(MAX_SLABS, Math.floor(maxBytes / SLAB_SIZE)));
    // About one entry per 128 bytes of budget: responses are rarely smaller.
    this.#maxEntries = Math.max(1024, Math.floor(maxBytes / 128));
    this.#maxUdpSize = maxUdpSize;
  }

  /** How many responses are held. */
  get size(): number {
    return this.#index.size;
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

  /** Drops every entry (the slabs are kept for reuse). */
  clear(): void {
    this.#index.clear();
    this.#slab = 0;
    this.#offset = 0;
  }

  /**
   * The cache key of `request`, or null when it is not a plain query this cache
   * may answer: anything unusual (compression in the question, other classes,
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
  keyOf(request: Uint8Array, transport: 'udp' | 'tcp'): string | null {
    const size = request.length;
    if (size < HEADER + 5) return null;
    // QR, opcode, AA, TC clear (RD free); RA, Z and RCODE clear (AD and CD free).
    if ((request[2]! & 0xfe) !== 0 || (request[3]! & 0xcf) !== 0) return null;
    // QDCOUNT 1, ANCOUNT 0, NSCOUNT 0, ARCOUNT 0 or 1.
    if (request[4] !== 0 || request[5] !== 1 || request[6] !== 0 || request[7] !== 0 || request[8] !== 0
      || request[9] !== 0 || request[10] !== 0 || request[11]! > 1) return null;

    let pos = HEADER;
    let n = 0;
    for (;;) {
      const len = request[pos];
      if (len === undefined || len > 63) return null; // past the end, or a pointer or extended label
      if (len === 0) break;
      if (pos + 1 + len >= size) return null;
      scratch[n++] = len;
      for (let i = pos + 1, end = pos + 1 + len; i < end; i++) scratch[n++] = request[i]!;
      pos += 1 + len;
    }
    scratch[n++] = 0;
    if (n > 255) return null;
    const typeAt = pos + 1;
    const questionEnd = typeAt + 4;
    if (questionEnd > size) return null;
    const qtypeHi = request[typeAt]!;
    const qtypeLo = request[typeAt + 1]!;
    const qtype = (qtypeHi << 8) | qtypeLo;
    if (qtype === TYPE_OPT || (qtype >= FIRST_META_TYPE && qtype !== TYPE_ANY)) return null;
    if (request[typeAt + 2] !== 0 || request[typeAt + 3] !== 1) return null; // class IN only

    let shape = ((request[2]! & 1) !== 0 ? SHAPE_RD : 0) | ((request[3]! & 0x20) !== 0 ? SHAPE_AD : 0)
      | ((request[3]! & 0x10) !== 0 ? SHAPE_CD : 0);
    let udpSize: number | null = null;
    if (request[11] === 0) {
      if (questionEnd !== size) return null;
    } else {
      // The one additional record must be a well-formed OPT, version 0 (RFC 6891 6.1.2).
      const at = questionEnd;
      if (at + 11 > size || request[at] !== 0 || request[at + 1] !== 0 || request[at + 2] !== TYPE_OPT) return null;
      if (request[at + 6] !== 0) return null; // EDNS version > 0: BADVERS, slow path
      const rdlength = (request[at + 9]! << 8) | request[at + 10]!;
      if (at + 11 + rdlength !== size) return null;
      // Options: the engine ignores COOKIE (no server cookies yet) and PADDING, so
      // they do not change the answer. Any other option goes the slow way; an
      // option that comes to change answers must be handled before this line.
      let o = at + 11;
      while (o < size) {
        if (o + 4 > size) return null;
        const code = (request[o]! << 8) | request[o + 1]!;
        const len = (request[o + 2]! << 8) | request[o + 3]!;
        if ((code !== OPTION_COOKIE && code !== OPTION_PADDING) || o + 4 + len > size) return null;
        o += 4 + len;
      }
      udpSize = (request[at + 3]! << 8) | request[at + 4]!;
      shape |= SHAPE_EDNS;
      if ((request[at + 7]! & 0x80) !== 0) shape |= SHAPE_DO;
    }
    if (transport === 'tcp') shape |= SHAPE_TCP;
    const limit = responseSizeLimit(transport, udpSize, this.#maxUdpSize);
    scratch[n++] = qtypeHi;
    scratch[n++] = qtypeLo;
    scratch[n++] = shape;
    scratch[n++] = limit >>> 8;
    scratch[n++] = limit & 0xff;
    return scratch.toString('latin1', 0, n);
  }

  /**
   * The cached response for `key` made ready for `request`: a fresh copy with the
   * request's ID and CD bit (the question is the same bytes, the key says so).
   * Null on a miss. A forwarded entry counts as a miss when `recursionAllowed` is
   * false or its lowest TTL has run out by `clock()` (seconds, read only for
   * forwarded entries); otherwise its TTLs are counted down to that second first.
   * After a hit, `lastHitForwarded` says which kind answered.
   */
  get(key: string, request: Uint8Array, recursionAllowed: boolean, clock: () => number): Uint8Array | null {
    const index = this.#index.get(key);
    if (index === undefined) return null;
    let position = index;
    let forwarded = false;
    if (index < 0) {
      if (!recursionAllowed) return null;
      position = -index - 1;
      forwarded = true;
    }
    const slab = this.#slabs[position >>> SLAB_BITS]!;
    let at = position & OFFSET_MASK;
    const length = (slab[at]! << 8) | slab[at + 1]!;
    if (forwarded) {
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
    out[3] = (out[3]! & 0xef) | (request[3]! & 0x10);
    return out;
  }

  /** Keeps the authoritative `response` for `key` until the generation changes; empties the cache first when it is full. */
  set(key: string, response: Uint8Array): void {
    const at = this.#reserve(response.length + 2);
    const slab = this.#slabs[this.#slab]!;
    slab[at] = response.length >>> 8;
    slab[at + 1] = response.length & 0xff;
    slab.set(response, at + 2);
    this.#index.set(key, (this.#slab << SLAB_BITS) | at);
  }

  /**
   * Keeps a forwarded `response` for `key` from second `now` until its lowest TTL
   * runs out, if the generation is still `generation` (the one its request was
   * answered under: a zone that appeared meanwhile may own the name now). Nothing
   * is kept for a response without TTLs or with a TTL of 0.
   */
  setForwarded(key: string, response: Uint8Array, ttls: TtlFields, now: number, generation: number): void {
    if (generation !== this.#generation || ttls.minTtl === 0 || response.length > 0xffff) return;
    const n = ttls.offsets.length;
    const at = this.#reserve(FORWARDED_HEADER + n * 6 + response.length);
    const slab = this.#slabs[this.#slab]!;
    slab[at] = response.length >>> 8;
    slab[at + 1] = response.length & 0xff;
    slab.writeUInt16BE(n, at + 2);
    slab.writeUInt32BE(now >>> 0, at + 4);
    slab.writeUInt32BE((now + ttls.minTtl) >>> 0, at + 8);
    slab.writeUInt32BE(now >>> 0, at + 12);
    const body = at + FORWARDED_HEADER + n * 6;
    for (let i = 0; i < n; i++) {
      const offset = ttls.offsets[i]!;
      slab.writeUInt16BE(offset, at + FORWARDED_HEADER + i * 2);
      slab.writeUInt32BE(((response[offset]! << 24) | (response[offset + 1]! << 16) | (response[offset + 2]! << 8) | response[offset + 3]!) >>> 0,
        at + FORWARDED_HEADER + n * 2 + i * 4);
    }
    slab.set(response, body);
    this.#index.set(key, forwardedIndex((this.#slab << SLAB_BITS) | at));
  }

  /** Room for `need` bytes in the current slab (a new one when it is full; all cleared when out of slabs or entries). */
  #reserve(need: number): number {
    if (need > SLAB_SIZE) throw new RangeError(`an answer cache entry of ${need} bytes exceeds the slab size`);
    if (this.#index.size >= this.#maxEntries) this.clear();
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
