// The query engine the transports call (src/query/types.ts): the answer cache in
// front, then the forwarder's cache of upstream answers, the query path
// (handle-request.ts) behind them, and a guard that turns any unexpected
// exception into SERVFAIL so no bytes can make handle() throw.
import { Rcode, encodeMessage, peekHeader, ttlFieldsOf, type Edns } from '../wire/index.js';
import type { ZoneTable } from '../zone/index.js';
import { AnswerCache, DEFAULT_ANSWER_CACHE_BYTES } from './answer-cache.js';
import { CLASSIC_UDP_SIZE, DEFAULT_MAX_UDP_SIZE } from './fit-response.js';
import { handleRequest, type QueryEnv } from './handle-request.js';
import type { EngineReply, ForwardPort, QueryEngine, RequestContext } from './types.js';

/** Settings of createQueryEngine. */
export interface QueryEngineOptions {
  /** The zones answered from; their generation invalidates the answer cache. */
  readonly zones: ZoneTable;
  /** Our EDNS UDP payload size and the cap on UDP responses (default 1232, at least 512). */
  readonly maxUdpSize?: number;
  /** Byte budget of the answer cache (default 50 MiB); 0 turns it off. */
  readonly answerCacheBytes?: number;
  /**
   * Answer ANY with one RRset, the one of the lowest type (RFC 8482 4.1; default
   * true). False answers with every RRset, as BIND does by default (`minimal-any no`).
   */
  readonly minimalAny?: boolean;
  /** Forwarding for names in none of our zones (issue 5); absent or disabled: REFUSED with an EDE. */
  readonly forward?: ForwardPort | null;
  /**
   * The clock (ms since the epoch) for forwarded replies: the forwarder's cache and
   * the TTLs of forwarded replies in the answer cache; only used with `forward`.
   */
  readonly now?: () => number;
}

/** Counters of one engine since it was made. */
export interface QueryEngineStats {
  /** Requests handled. */
  queries: number;
  /** Answered from the answer cache (forwarded replies kept there included). */
  cacheHits: number;
  /** Cacheable requests that were not in the cache. */
  cacheMisses: number;
  /** Forwarded questions answered from a cache without decoding: the answer cache's or the forwarder's. */
  forwardCacheHits: number;
  /** Sent on to the upstream resolvers (their cache included). */
  forwarded: number;
  /** Requests that got no reply (shorter than a header, or a response). */
  dropped: number;
  /** Unexpected exceptions turned into SERVFAIL: each one is a bug. */
  internalErrors: number;
}

/** The authoritative engine: QueryEngine plus its counters and a cache reset. */
export interface AuthoritativeEngine extends QueryEngine {
  handle(request: Uint8Array, ctx: RequestContext): EngineReply | Promise<EngineReply>;
  /** The counters (a live object: read, do not keep). */
  readonly stats: Readonly<QueryEngineStats>;
  /** The last unexpected exception, for diagnosis, or null. */
  readonly lastInternalError: unknown;
  /** Responses held in the answer cache now (0 when it is off), for metrics. */
  readonly cacheEntries: number;
  /** Empties the answer cache. */
  clearCache(): void;
}

/** Makes the engine that answers from `options.zones`. */
export function createQueryEngine(options: QueryEngineOptions): AuthoritativeEngine {
  return new Engine(options);
}

class Engine implements AuthoritativeEngine {
  readonly stats: QueryEngineStats = { queries: 0, cacheHits: 0, cacheMisses: 0, forwardCacheHits: 0, forwarded: 0, dropped: 0, internalErrors: 0 };
  lastInternalError: unknown = null;
  readonly #env: QueryEnv;
  readonly #cache: AnswerCache | null;
  /** The forward port when forwarding is on, else null (then RA is never set). */
  readonly #forward: ForwardPort | null;
  readonly #now: () => number;
  /** The clock in whole seconds, for the TTLs of forwarded replies in the answer cache. */
  readonly #seconds: () => number;

  constructor(options: QueryEngineOptions) {
    const maxUdpSize = Math.max(CLASSIC_UDP_SIZE, Math.min(65535, options.maxUdpSize ?? DEFAULT_MAX_UDP_SIZE));
    const responseEdns: Edns = Object.freeze({ udpSize: maxUdpSize, version: 0, do: false, z: 0, options: Object.freeze([]) });
    const responseEdnsDo: Edns = Object.freeze({ ...responseEdns, do: true });
    const forward = options.forward ?? null;
    this.#forward = forward !== null && forward.enabled ? forward : null;
    this.#now = options.now ?? Date.now;
    const now = this.#now;
    this.#seconds = () => Math.floor(now() / 1000);
    this.#env = { zones: options.zones, maxUdpSize, fullAny: options.minimalAny === false, responseEdns, responseEdnsDo, forward };
    const bytes = options.answerCacheBytes ?? DEFAULT_ANSWER_CACHE_BYTES;
    this.#cache = bytes > 0 ? new AnswerCache(bytes, maxUdpSize) : null;
  }

  handle(request: Uint8Array, ctx: RequestContext): EngineReply | Promise<EngineReply> {
    const stats = this.stats;
    stats.queries++;
    try {
      const forward = this.#forward;
      // RA says whether recursion is available to this client (RFC 1035 4.1.1):
      // set per client on the way out, so cached responses stay client-neutral.
      const ra = forward !== null && forward.isRecursionAllowed(ctx.remoteAddress);
      const cache = this.#cache;
      // The cache reads the request's key once; get, set and setForwarded below use it.
      const cacheable = cache !== null && cache.probe(request, ctx.transport);
      if (cacheable) {
        cache.sync(this.#env.zones.generation + (forward === null ? 0 : forward.generation));
        const hit = cache.get(request, ra, this.#seconds);
        if (hit !== null) {
          stats.cacheHits++;
          if (cache.lastHitForwarded) {
            stats.forwardCacheHits++;
            forward!.noteCacheHit();
          }
          return ra ? withRa(hit) : hit;
        }
        stats.cacheMisses++;
      }
      if (ra) {
        const cached = forward!.respondFromRequest(request, ctx, this.#now());
        if (cached !== null) {
          stats.forwardCacheHits++;
          // Fresh by construction (the forwarder's byte path serves nothing stale): kept
          // here too, so the next asker of this question takes one probe.
          if (cacheable) this.#keepForwarded(null, cached, cache.generation);
          return cached;
        }
      }
      const handled = handleRequest(request, ctx, this.#env);
      const reply = handled.reply;
      if (reply === null) {
        stats.dropped++;
        return null;
      }
      if (reply instanceof Promise) {
        stats.forwarded++;
        // Both generations only go up, so their sum moves whenever either does. The key
        // is kept as text: other queries take the cache's current key meanwhile.
        const generation = cache === null ? 0 : cache.generation;
        const key = cacheable ? cache.currentKey() : null;
        // The request's bytes are the transport's only until this call returns (types.ts).
        const header = request.slice(0, 12);
        return reply.then((forwarded) => {
          const bytes = forwarded.bytes;
          if (bytes === null) return null;
          // A fresh upstream answer is kept (a copy) while its TTLs last.
          if (key !== null && forwarded.fresh) this.#keepForwarded(key, bytes, generation);
          return ra ? withRa(bytes) : bytes;
        }, (err: unknown) => {
          stats.internalErrors++;
          this.lastInternalError = err;
          return serverFailure(header);
        });
      }
      // The cache copies the bytes, so setting RA afterwards touches only this reply.
      if (cacheable && handled.cacheable) cache.set(reply);
      return ra ? withRa(reply) : reply;
    } catch (err) {
      stats.internalErrors++;
      this.lastInternalError = err;
      return serverFailure(request);
    }
  }

  /** Keeps a fresh forwarded reply in the answer cache (ADR 0003) unless it was cut short (TC); `key` null: the current key. */
  #keepForwarded(key: string | null, reply: Uint8Array, generation: number): void {
    if ((reply[2]! & 0x02) !== 0) return;
    const ttls = ttlFieldsOf(reply);
    if (ttls !== null) this.#cache!.setForwarded(key, reply, ttls, this.#seconds(), generation);
  }

  get cacheEntries(): number {
    return this.#cache?.size ?? 0;
  }

  clearCache(): void {
    this.#cache?.clear();
  }
}

/** Sets RA (RFC 1035 4.1.1, the top bit of the fourth byte) in a reply this engine owns. */
function withRa(reply: Uint8Array): Uint8Array {
  reply[3] = reply[3]! | 0x80;
  return reply;
}

/** SERVFAIL with the request's ID, opcode, RD and CD, or null when not even a header was read. */
function serverFailure(request: Uint8Array): EngineReply {
  try {
    const peek = peekHeader(request);
    if (peek === null || peek.qr) return null;
    return encodeMessage({
      header: {
        id: peek.id, qr: true, opcode: peek.opcode, aa: false, tc: false, rd: (peek.flagsWord & 0x0100) !== 0,
        ra: false, z: false, ad: false, cd: (peek.flagsWord & 0x0010) !== 0,
      },
      rcode: Rcode.SERVFAIL, questions: [], answers: [], authorities: [], additionals: [], edns: null,
    });
  } catch {
    return null;
  }
}
