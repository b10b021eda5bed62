// The forwarder's cache of upstream answers, kept as encoded response templates so a
// hit is a copy, a header patch and a TTL rewrite at precomputed offsets, like the
// authoritative answer cache, with no decoding and no promise. Size is bounded in
// bytes with least-recently-used eviction; time always comes in as `now` (ms).
//
// Key: lowercased qname (RFC 4343), qtype, qclass, and the DO and CD bits. DO changes
// what an upstream returns (RRSIGs, RFC 3225); CD because an answer fetched with
// checking disabled may be bogus data that a client without CD must never get
// (RFC 4035 3.2.2), so the two are never shared.
import {
  decodeMessage,
  encodeMessage,
  nameIsAtOrBelow,
  nameLower,
  Rcode,
  RRType,
  ttlFieldsOf,
  type Message,
  type Name,
  type Question,
  type ResourceRecord,
} from '../wire/index.js';

/** Cache limits and TTL policy (seconds, except where named in ms or bytes). */
export interface AnswerCacheOptions {
  /** Upper bound of `stats().bytes`; least recently used entries go first (default 64 MiB). */
  readonly maxBytes: number;
  /** Floor applied to every TTL stored (default 0). */
  readonly minTtl: number;
  /** Ceiling applied to every TTL stored (default 86400). */
  readonly maxTtl: number;
  /** Ceiling of negative-answer TTLs (default 3600). */
  readonly negMaxTtl: number;
  /** Keep expired entries for serve-stale (RFC 8767). */
  readonly serveStale: boolean;
  /** How long past expiry an entry may still be served stale, in seconds (default 86400). */
  readonly staleMaxAge: number;
}

/** Key bits beyond the question. */
export const CacheFlag = { DNSSEC_OK: 1, CHECKING_DISABLED: 2 } as const;

/** What the client's request looks like, for shaping a reply from the cache. */
export interface ReplyShape {
  readonly dnssecOk: boolean;
  readonly checkingDisabled: boolean;
  /** The request had an OPT record, so the reply gets one (RFC 6891 7). */
  readonly edns: boolean;
  /** The UDP payload size our OPT advertises (ignored without EDNS). */
  readonly udpSize: number;
  /** Largest reply allowed: 512 without EDNS, the client's size with it, 65535 over TCP. */
  readonly maxSize: number;
}

/** One cached answer. Fields are read by the forwarder; only the cache mutates them. */
export interface CacheEntry {
  readonly lname: Name;
  readonly type: number;
  readonly class: number;
  readonly flags: number;
  /** The response with ID 0, question lowercased, TTLs as stored (already clamped). */
  readonly wire: Uint8Array;
  readonly ttlOffsets: Uint32Array;
  readonly questionEnd: number;
  readonly additionalStart: number;
  readonly rcode: number;
  /** NXDOMAIN or NODATA (RFC 2308 2). */
  readonly negative: boolean;
  readonly storedAt: number;
  readonly expiresAt: number;
  /** Last moment it may be served stale; equals expiresAt when serve-stale is off. */
  readonly staleUntil: number;
  readonly bytes: number;
  prev: CacheEntry | null;
  next: CacheEntry | null;
}

/** One line of `mcns cache show`. */
export interface CacheEntryView {
  readonly type: number;
  readonly class: number;
  readonly dnssecOk: boolean;
  readonly checkingDisabled: boolean;
  readonly rcode: number;
  readonly negative: boolean;
  /** Seconds until expiry; negative once expired (then `stale` tells whether it may still be served). */
  readonly ttlLeft: number;
  readonly stale: boolean;
  readonly bytes: number;
}

/** Cache counters. */
export interface AnswerCacheStats {
  /** Answers served fresh from the cache (byte path, record path or resolve). */
  readonly hits: number;
  /** Questions that went to the upstreams (or joined one in flight). */
  readonly misses: number;
  readonly inserts: number;
  readonly entries: number;
  readonly bytes: number;
  readonly maxBytes: number;
  readonly evictions: number;
  readonly staleServed: number;
}

/** Records of a cached answer with TTLs as they should be sent now. */
export interface CachedRecords {
  readonly rcode: number;
  readonly authenticData: boolean;
  readonly answers: readonly ResourceRecord[];
  readonly authorities: readonly ResourceRecord[];
  readonly additionals: readonly ResourceRecord[];
}

/** Estimated bytes an entry costs beyond its wire bytes (objects, map slot, key). */
const ENTRY_OVERHEAD = 240;

/**
 * RFC 8767 4: "When returning a response containing stale records, a recursive
 * resolver MUST set the TTL of each expired record in the message to a value greater
 * than 0, with a RECOMMENDED value of 30 seconds."
 */
export const STALE_TTL = 30;

const OPT_SIZE = 11;

/** Flags of a cache key from the request's DO and CD bits. */
export function cacheFlags(dnssecOk: boolean, checkingDisabled: boolean): number {
  return (dnssecOk ? CacheFlag.DNSSEC_OK : 0) | (checkingDisabled ? CacheFlag.CHECKING_DISABLED : 0);
}

/** SOA MINIMUM: the last 32 bits of SOA RDATA (RFC 1035 3.3.13), read from uncompressed wire form. */
function soaMinimum(rdata: Uint8Array): number {
  const n = rdata.length;
  if (n < 22) return 0;
  return ((rdata[n - 4]! << 24) | (rdata[n - 3]! << 16) | (rdata[n - 2]! << 8) | rdata[n - 1]!) >>> 0;
}

/** The LRU answer cache of encoded responses. */
export class AnswerCache {
  readonly #options: AnswerCacheOptions;
  readonly #byName = new Map<string, CacheEntry[]>();
  /** Most recently used. */
  #head: CacheEntry | null = null;
  /** Least recently used: evicted first. */
  #tail: CacheEntry | null = null;
  #bytes = 0;
  #entries = 0;
  #hits = 0;
  #misses = 0;
  #inserts = 0;
  #evictions = 0;
  #staleServed = 0;

  constructor(options: AnswerCacheOptions) {
    this.#options = options;
  }

  /** The entry for a question and key flags, fresh or not, or undefined. Does not touch counters. */
  peek(question: Question, flags: number): CacheEntry | undefined {
    return this.#find(nameLower(question.name), question.type, question.class, flags);
  }

  #find(lname: string, type: number, qclass: number, flags: number): CacheEntry | undefined {
    const list = this.#byName.get(lname);
    if (list === undefined) return undefined;
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      if (e.type === type && e.class === qclass && e.flags === flags) return e;
    }
    return undefined;
  }

  /** A fresh entry by lowercased name, or null; counts a hit, drops an entry past any use. */
  #fresh(e: CacheEntry | undefined, now: number): CacheEntry | null {
    if (e === undefined) return null;
    if (now >= e.expiresAt) {
      if (now >= e.staleUntil) this.#remove(e);
      return null;
    }
    this.#hits++;
    this.#touch(e);
    return e;
  }

  /**
   * Looks up a fresh entry, counting a hit; drops an entry expired beyond any use
   * (one still servable stale stays). Misses are counted by `countMiss`, once per
   * question that goes upstream, however many lookups it took to find out.
   */
  lookup(question: Question, flags: number, now: number): CacheEntry | null {
    return this.#fresh(this.peek(question, flags), now);
  }

  /**
   * `respond` for a request whose question was read from its bytes (by
   * `readCacheQuery`): `lname` already lowercased, no decoding needed.
   */
  respondRaw(request: Uint8Array, lname: string, type: number, qclass: number, shape: ReplyShape, now: number): Uint8Array | null {
    const e = this.#fresh(this.#find(lname, type, qclass, cacheFlags(shape.dnssecOk, shape.checkingDisabled)), now);
    return e === null ? null : this.#write(e, request, shape, now);
  }

  /** An expired entry that may still be served stale now (RFC 8767), or null. */
  staleEntry(question: Question, flags: number, now: number): CacheEntry | null {
    if (!this.#options.serveStale) return null;
    const e = this.peek(question, flags);
    if (e === undefined || now < e.expiresAt || now >= e.staleUntil) return null;
    return e;
  }

  /** Counts one hit served from a copy of this cache's data kept elsewhere (the engine's answer cache). */
  countHit(): void {
    this.#hits++;
  }

  /** Counts one question that had to go upstream. */
  countMiss(): void {
    this.#misses++;
  }

  /** Counts one stale answer served. */
  countStale(): void {
    this.#staleServed++;
  }

  /**
   * Writes a complete reply to `request` from the cache, or returns null on a miss.
   * The copy gets the request's ID, RD and CD bits and question bytes (so the client
   * sees its own case), RA set, AA clear, and every TTL decremented by the entry's
   * age. An OPT record is appended when the request had one, DO copied (RFC 3225 3).
   * When it does not fit `maxSize`, the additional section is dropped first; if still
   * too large, the header and question go back with TC set (RFC 1035 4.2.1).
   */
  respond(request: Uint8Array, question: Question, shape: ReplyShape, now: number): Uint8Array | null {
    const e = this.lookup(question, cacheFlags(shape.dnssecOk, shape.checkingDisabled), now);
    return e === null ? null : this.#write(e, request, shape, now);
  }

  #write(e: CacheEntry, request: Uint8Array, shape: ReplyShape, now: number): Uint8Array {
    const wire = e.wire;
    const optSize = shape.edns ? OPT_SIZE : 0;
    let bodyEnd = wire.length;
    let tc = false;
    if (bodyEnd + optSize > shape.maxSize) {
      if (e.additionalStart + optSize <= shape.maxSize) bodyEnd = e.additionalStart;
      else {
        bodyEnd = e.questionEnd;
        tc = true;
      }
    }
    const out = Buffer.allocUnsafe(bodyEnd + optSize);
    out.set(bodyEnd === wire.length ? wire : wire.subarray(0, bodyEnd), 0);
    // The question as the client wrote it: same name length, so offsets hold.
    const qEnd = e.questionEnd;
    if (request.length >= qEnd) for (let i = 12; i < qEnd; i++) out[i] = request[i]!;
    out[0] = request[0]!;
    out[1] = request[1]!;
    // QR, opcode QUERY, AA clear, TC as decided, RD from the request.
    out[2] = 0x80 | (tc ? 0x02 : 0) | (request[2]! & 0x01);
    // RA, AD as the upstream said it (only for DO or AD askers, RFC 6840 5.8), CD from the request.
    const ad = (wire[3]! & 0x20) !== 0 && (shape.dnssecOk || (request[3]! & 0x20) !== 0);
    out[3] = 0x80 | (ad ? 0x20 : 0) | (request[3]! & 0x10) | (wire[3]! & 0x0f);
    if (tc) {
      out[6] = 0; out[7] = 0; out[8] = 0; out[9] = 0; out[10] = 0; out[11] = 0;
    } else {
      const age = Math.floor((now - e.storedAt) / 1000);
      if (age > 0) {
        const offsets = e.ttlOffsets;
        for (let i = 0; i < offsets.length; i++) {
          const at = offsets[i]!;
          if (at >= bodyEnd) break;
          const ttl = ((wire[at]! << 24) | (wire[at + 1]! << 16) | (wire[at + 2]! << 8) | wire[at + 3]!) >>> 0;
          const left = ttl > age ? ttl - age : 0;
          out[at] = left >>> 24;
          out[at + 1] = left >>> 16;
          out[at + 2] = left >>> 8;
          out[at + 3] = left;
        }
      }
      if (bodyEnd !== wire.length) {
        out[10] = 0;
        out[11] = 0;
      }
    }
    if (optSize > 0) {
      // RFC 6891 6.1.2: root owner, TYPE 41, CLASS = our UDP payload size, TTL =
      // extended RCODE, VERSION 0, DO in the top flag bit; no options.
      let p = bodyEnd;
      out[p++] = 0;
      out[p++] = 0; out[p++] = RRType.OPT;
      out[p++] = shape.udpSize >>> 8; out[p++] = shape.udpSize & 0xff;
      out[p++] = 0; out[p++] = 0;
      out[p++] = shape.dnssecOk ? 0x80 : 0; out[p++] = 0;
      out[p++] = 0; out[p++] = 0;
      const ar = ((out[10]! << 8) | out[11]!) + 1;
      out[10] = ar >>> 8;
      out[11] = ar & 0xff;
    }
    return out;
  }

  /**
   * Stores an upstream response if it may be cached and returns the entry, or null:
   * only NOERROR and NXDOMAIN are cached (SERVFAIL is not: RFC 2308 7.1 allows it for
   * at most five minutes, and we prefer asking the next upstream); negative answers
   * only with an SOA (RFC 2308 5); nothing whose TTL ends up 0.
   */
  store(question: Question, flags: number, message: Message, now: number): CacheEntry | null {
    const { rcode } = message;
    if (rcode !== Rcode.NOERROR && rcode !== Rcode.NXDOMAIN) return null;
    if (message.header.tc) return null;
    const { minTtl, maxTtl, negMaxTtl } = this.#options;
    const clamp = (ttl: number): number => Math.min(maxTtl, Math.max(minTtl, ttl));
    let positive = false;
    if (rcode === Rcode.NOERROR) {
      for (const rr of message.answers) {
        if (rr.type === question.type || question.type === RRType.ANY) positive = true;
      }
    }
    let lifetime = Number.POSITIVE_INFINITY;
    let negTtl = -1;
    if (!positive) {
      const soa = message.authorities.find((rr) => rr.type === RRType.SOA);
      // RFC 2308 5: "Negative responses without SOA records SHOULD NOT be cached as
      // there is no way to prevent the negative responses looping forever between a
      // pair of servers even with a short TTL."
      if (soa === undefined) return null;
      // RFC 2308 3: the negative TTL "is taken from the minimum of the SOA.MINIMUM
      // field and SOA's TTL", capped here by neg_max_ttl.
      negTtl = Math.min(negMaxTtl, Math.max(minTtl, Math.min(soa.ttl, soaMinimum(soa.rdata))));
    }
    // RFC 8767 4 reads TTLs with the top bit set as large positive values (updating
    // RFC 2181 8); the max_ttl ceiling then applies like to any other TTL.
    const adjust = (rr: ResourceRecord): ResourceRecord => {
      const ttl = negTtl >= 0 && rr.type === RRType.SOA ? negTtl : clamp(rr.ttl);
      if (ttl < lifetime) lifetime = ttl;
      return ttl === rr.ttl ? rr : { ...rr, ttl };
    };
    const answers = message.answers.map(adjust);
    const authorities = message.authorities.map(adjust);
    const additionals = message.additionals.filter((rr) => rr.type !== RRType.TSIG && rr.type !== RRType.OPT).map(adjust);
    if (lifetime === Number.POSITIVE_INFINITY || lifetime <= 0) return null;
    const lname = nameLower(question.name);
    const template: Message = {
      header: {
        id: 0, qr: true, opcode: 0, aa: false, tc: false, rd: true, ra: true, z: false,
        ad: message.header.ad, cd: false,
      },
      rcode,
      questions: [{ name: lname, type: question.type, class: question.class }],
      answers,
      authorities,
      additionals,
      edns: null,
    };
    const wire = encodeMessage(template, 65535);
    if ((wire[2]! & 0x02) !== 0) return null;
    // No OPT in `wire` (edns null), so these are the TTLs of every record.
    const fields = ttlFieldsOf(wire);
    if (fields === null) return null;
    const ttlOffsets = Uint32Array.from(fields.offsets);
    const bytes = wire.length + ttlOffsets.byteLength + ENTRY_OVERHEAD + lname.length;
    if (bytes > this.#options.maxBytes) return null;
    const expiresAt = now + lifetime * 1000;
    const entry: CacheEntry = {
      lname,
      type: question.type,
      class: question.class,
      flags,
      wire,
      ttlOffsets,
      questionEnd: fields.questionEnd,
      additionalStart: fields.additionalStart,
      rcode,
      negative: !positive,
      storedAt: now,
      expiresAt,
      staleUntil: this.#options.serveStale ? expiresAt + this.#options.staleMaxAge * 1000 : expiresAt,
      bytes,
      prev: null,
      next: null,
    };
    const old = this.peek(question, flags);
    if (old !== undefined) this.#remove(old);
    let list = this.#byName.get(lname);
    if (list === undefined) {
      list = [];
      this.#byName.set(lname, list);
    }
    list.push(entry);
    this.#linkHead(entry);
    this.#bytes += bytes;
    this.#entries++;
    this.#inserts++;
    while (this.#bytes > this.#options.maxBytes && this.#tail !== null && this.#tail !== entry) {
      this.#remove(this.#tail);
      this.#evictions++;
    }
    return entry;
  }

  /**
   * The records of an entry as they should go out at `now`: TTLs decremented by age,
   * or every TTL set to STALE_TTL when `stale` (RFC 8767 4). Decodes the template,
   * so it is for the promise path and tools, not for the per-query fast path.
   */
  records(entry: CacheEntry, now: number, stale: boolean): CachedRecords {
    const message = decodeMessage(entry.wire);
    const age = Math.max(0, Math.floor((now - entry.storedAt) / 1000));
    const fix = (rr: ResourceRecord): ResourceRecord => ({ ...rr, ttl: stale ? STALE_TTL : Math.max(0, rr.ttl - age) });
    return {
      rcode: entry.rcode,
      authenticData: message.header.ad,
      answers: message.answers.map(fix),
      authorities: message.authorities.map(fix),
      additionals: message.additionals.map(fix),
    };
  }

  /** Removes every entry (no name), the entries of one name, or a whole subtree. Returns how many went. */
  flush(name?: Name, subtree = false): number {
    if (name === undefined) {
      const n = this.#entries;
      this.#byName.clear();
      this.#head = null;
      this.#tail = null;
      this.#bytes = 0;
      this.#entries = 0;
      return n;
    }
    const lname = nameLower(name);
    const doomed: CacheEntry[] = [];
    if (subtree) {
      for (const [key, list] of this.#byName) if (nameIsAtOrBelow(key as Name, lname)) doomed.push(...list);
    } else {
      doomed.push(...(this.#byName.get(lname) ?? []));
    }
    for (const e of doomed) this.#remove(e);
    return doomed.length;
  }

  /** The entries cached for one name, for `mcns cache show`. */
  show(name: Name, now: number): CacheEntryView[] {
    const list = this.#byName.get(nameLower(name)) ?? [];
    return list.map((e) => ({
      type: e.type,
      class: e.class,
      dnssecOk: (e.flags & CacheFlag.DNSSEC_OK) !== 0,
      checkingDisabled: (e.flags & CacheFlag.CHECKING_DISABLED) !== 0,
      rcode: e.rcode,
      negative: e.negative,
      // As a reply would say it: the lifetime less whole seconds of age.
      ttlLeft: Math.round((e.expiresAt - e.storedAt) / 1000) - Math.floor((now - e.storedAt) / 1000),
      stale: now >= e.expiresAt && now < e.staleUntil,
      bytes: e.bytes,
    }));
  }

  /** Counters. */
  stats(): AnswerCacheStats {
    return {
      hits: this.#hits,
      misses: this.#misses,
      inserts: this.#inserts,
      entries: this.#entries,
      bytes: this.#bytes,
      maxBytes: this.#options.maxBytes,
      evictions: this.#evictions,
      staleServed: this.#staleServed,
    };
  }

  #linkHead(e: CacheEntry): void {
    e.prev = null;
    e.next = this.#head;
    if (this.#head !== null) this.#head.prev = e;
    this.#head = e;
    if (this.#tail === null) this.#tail = e;
  }

  #unlink(e: CacheEntry): void {
    if (e.prev !== null) e.prev.next = e.next;
    else this.#head = e.next;
    if (e.next !== null) e.next.prev = e.prev;
    else this.#tail = e.prev;
    e.prev = null;
    e.next = null;
  }

  #touch(e: CacheEntry): void {
    if (this.#head === e) return;
    this.#unlink(e);
    this.#linkHead(e);
  }

  #remove(e: CacheEntry): void {
    const list = this.#byName.get(e.lname);
    if (list !== undefined) {
      const i = list.indexOf(e);
      if (i < 0) return;
      list.splice(i, 1);
      if (list.length === 0) this.#byName.delete(e.lname);
    } else {
      return;
    }
    this.#unlink(e);
    this.#bytes -= e.bytes;
    this.#entries--;
  }
}
