// The query engine the transports call (src/query/types.ts): the answer cache in
// front, the query path (handle-request.ts) behind it, and a guard that turns any
// unexpected exception into SERVFAIL so no bytes can make handle() throw.
import { Rcode, encodeMessage, peekHeader, type Edns } from '../wire/index.js';
import type { ZoneTable } from '../zone/index.js';
import { AnswerCache, DEFAULT_ANSWER_CACHE_BYTES } from './answer-cache.js';
import { CLASSIC_UDP_SIZE, DEFAULT_MAX_UDP_SIZE } from './fit-response.js';
import { handleRequest, type QueryEnv } from './handle-request.js';
import type { EngineReply, QueryEngine, RequestContext } from './types.js';

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
}

/** Counters of one engine since it was made. */
export interface QueryEngineStats {
  /** Requests handled. */
  queries: number;
  /** Answered from the answer cache. */
  cacheHits: number;
  /** Cacheable requests that were not in the cache. */
  cacheMisses: number;
  /** Requests that got no reply (shorter than a header, or a response). */
  dropped: number;
  /** Unexpected exceptions turned into SERVFAIL: each one is a bug. */
  internalErrors: number;
}

/** The authoritative engine: QueryEngine plus its counters and a cache reset. */
export interface AuthoritativeEngine extends QueryEngine {
  handle(request: Uint8Array, ctx: RequestContext): EngineReply;
  /** The counters (a live object: read, do not keep). */
  readonly stats: Readonly<QueryEngineStats>;
  /** The last unexpected exception, for diagnosis, or null. */
  readonly lastInternalError: unknown;
  /** Empties the answer cache. */
  clearCache(): void;
}

/** Makes the engine that answers from `options.zones`. */
export function createQueryEngine(options: QueryEngineOptions): AuthoritativeEngine {
  return new Engine(options);
}

class Engine implements AuthoritativeEngine {
  readonly stats: QueryEngineStats = { queries: 0, cacheHits: 0, cacheMisses: 0, dropped: 0, internalErrors: 0 };
  lastInternalError: unknown = null;
  readonly #env: QueryEnv;
  readonly #cache: AnswerCache | null;

  constructor(options: QueryEngineOptions) {
    const maxUdpSize = Math.max(CLASSIC_UDP_SIZE, Math.min(65535, options.maxUdpSize ?? DEFAULT_MAX_UDP_SIZE));
    const responseEdns: Edns = Object.freeze({ udpSize: maxUdpSize, version: 0, do: false, z: 0, options: Object.freeze([]) });
    const responseEdnsDo: Edns = Object.freeze({ ...responseEdns, do: true });
    this.#env = { zones: options.zones, maxUdpSize, fullAny: options.minimalAny === false, responseEdns, responseEdnsDo };
    const bytes = options.answerCacheBytes ?? DEFAULT_ANSWER_CACHE_BYTES;
    this.#cache = bytes > 0 ? new AnswerCache(bytes, maxUdpSize) : null;
  }

  handle(request: Uint8Array, ctx: RequestContext): EngineReply {
    const stats = this.stats;
    stats.queries++;
    try {
      const cache = this.#cache;
      const key = cache === null ? null : cache.keyOf(request, ctx.transport);
      if (key !== null) {
        cache!.sync(this.#env.zones.generation);
        const hit = cache!.get(key, request);
        if (hit !== null) {
          stats.cacheHits++;
          return hit;
        }
        stats.cacheMisses++;
      }
      const handled = handleRequest(request, ctx.transport, this.#env);
      if (handled.reply === null) {
        stats.dropped++;
        return null;
      }
      if (key !== null && handled.cacheable) cache!.set(key, handled.reply);
      return handled.reply;
    } catch (err) {
      stats.internalErrors++;
      this.lastInternalError = err;
      return serverFailure(request);
    }
  }

  clearCache(): void {
    this.#cache?.clear();
  }
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
