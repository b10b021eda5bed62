// Forwarding for names we are not authoritative for: a client that allow_recursion
// admits gets its question answered by an upstream resolver, through a cache.
//
// resolve(question)
//   -> fresh cache entry?                         answer (fromCache)
//   -> serve-stale on, all upstreams down, stale? answer (stale, RFC 8767)
//   -> same question already in flight?           share its result
//   -> for each try (attempts, deadline): pick the next upstream (healthy first),
//      UDP from a fresh random port with a random ID; TC -> same upstream over TCP;
//      NOERROR/NXDOMAIN -> cache and answer; anything else -> next try
//   -> all failed: stale entry? answer (stale) : failure (a value, never a throw)
import type { Logger } from '../log/index.js';
import { decodeMessage, EdeCode, nameLower, Rcode, RRType, WireError, type Message, type Name, type Question, type ResourceRecord } from '../wire/index.js';
import {
  AnswerCache,
  cacheFlags,
  type AnswerCacheStats,
  type CacheEntry,
  type CacheEntryView,
  type ReplyShape,
} from './answer-cache.js';
import { buildUpstreamQuery, withQueryId, type UpstreamQuery } from './build-upstream-query.js';
import { compileAddressMatcher, DEFAULT_ALLOW_RECURSION, type AddressMatcher } from './compile-address-matcher.js';
import { exchangeTcp } from './exchange-tcp.js';
import { exchangeUdp, type ExchangeOutcome, type ExchangeRequest } from './exchange-udp.js';
import { ForwarderError } from './forwarder-error.js';
import { parseUpstream } from './parse-upstream.js';
import { randomQueryId } from './random-query-id.js';
import { newCacheQuery, readCacheQuery } from './read-cache-query.js';
import { UpstreamPool, type TryFailure, type UpstreamState, type UpstreamStats } from './upstream-pool.js';

/** Configuration of the forwarder (the `[forward]` table); every field but `upstreams` has a default. */
export interface ForwarderOptions {
  /** Upstream resolvers, "192.0.2.53:53" or "[2001:db8::53]:53"; tried in this order. */
  readonly upstreams: readonly string[];
  /** CIDRs of clients that may recurse (default loopback: 127.0.0.0/8, ::1/128). */
  readonly allowRecursion?: readonly string[];
  /** Wait for one try, in ms (default 1500). */
  readonly timeoutMs?: number;
  /** Most tries per question, over all upstreams (default 3). */
  readonly attempts?: number;
  /** Overall time for one question, in ms (default 4000, under the 5 s most stubs wait). */
  readonly deadlineMs?: number;
  /** Consecutive failures that mark an upstream down (default 3). */
  readonly failThreshold?: number;
  /** First down period in ms (default 2000); doubles on each failed probe. */
  readonly backoffBaseMs?: number;
  /** Longest down period in ms (default 60000). */
  readonly backoffMaxMs?: number;
  /**
   * Most distinct questions waiting on upstreams at once (default 1000); each holds
   * a socket. Beyond it a new question fails at once with 'overloaded', so a flood
   * of uncached names cannot exhaust file descriptors.
   */
  readonly maxInFlight?: number;
  /** Cache size bound in bytes (default 64 MiB). */
  readonly cacheMaxBytes?: number;
  /** TTL floor in seconds (default 0). */
  readonly minTtl?: number;
  /** TTL ceiling in seconds (default 86400). */
  readonly maxTtl?: number;
  /** Negative-answer TTL ceiling in seconds (default 3600). */
  readonly negMaxTtl?: number;
  /** Serve expired answers when no upstream answers (RFC 8767; default false). */
  readonly serveStale?: boolean;
  /** How long past expiry an answer may be served stale, in seconds (default 86400). */
  readonly staleMaxAge?: number;
  /**
   * Our EDNS UDP payload size: advertised in OPT of cache-hit replies and the cap on
   * their size over UDP (default 1232, as the query engine's).
   */
  readonly maxUdpSize?: number;
  /**
   * True when a lowercased name (wire form) is in one of our zones. `respondFromRequest`
   * checks it so a name that became ours after it was cached is never served from
   * here. main.ts passes the zone table's lookup; without it the check is skipped.
   */
  readonly isAuthoritative?: (lowercasedName: string) => boolean;
  /** Wall clock in ms for cache ages and health (default Date.now). Tests inject their own. */
  readonly now?: () => number;
  /** Monotonic clock in ms for round-trip times (default performance.now). */
  readonly monotonic?: () => number;
  /** Receives upstream up/down transitions (warn) and nothing on the success path. */
  readonly logger?: Logger;
}

/** The defaults of ForwarderOptions, for documentation and the config layer. */
export const FORWARDER_DEFAULTS = {
  allowRecursion: DEFAULT_ALLOW_RECURSION,
  timeoutMs: 1500,
  attempts: 3,
  deadlineMs: 4000,
  failThreshold: 3,
  backoffBaseMs: 2000,
  backoffMaxMs: 60000,
  maxInFlight: 1000,
  maxUdpSize: 1232,
  cacheMaxBytes: 64 * 1024 * 1024,
  minTtl: 0,
  maxTtl: 86400,
  negMaxTtl: 3600,
  serveStale: false,
  staleMaxAge: 86400,
} as const;

/** What a client's question asks beyond the question itself. */
export interface ResolveOptions {
  readonly dnssecOk: boolean;
  readonly checkingDisabled: boolean;
  /** Abandons the wait (the shared upstream work goes on and still fills the cache). */
  readonly signal?: AbortSignal;
}

/** An Extended DNS Error to attach to the reply (RFC 8914 2: INFO-CODE and EXTRA-TEXT). */
export interface EdeInfo {
  readonly code: number;
  readonly text: string;
}

/** An answer to relay to the client: records without OPT, TTLs as they should go out. */
export interface ForwardAnswer {
  readonly kind: 'answer';
  readonly rcode: number;
  readonly answers: readonly ResourceRecord[];
  readonly authorities: readonly ResourceRecord[];
  readonly additionals: readonly ResourceRecord[];
  /** The upstream set AD; relay it only to clients that set DO or AD (RFC 6840 5.8). */
  readonly authenticData: boolean;
  readonly fromCache: boolean;
  /** Expired data served because no upstream answered (RFC 8767); TTLs are 30. */
  readonly stale: boolean;
  /** EDE to attach: Stale Answer (3) or Stale NXDomain Answer (19) when stale, else null. */
  readonly ede: EdeInfo | null;
}

/** Why no answer could be had. */
export type ForwardFailureReason = 'all-upstreams-failed' | 'timeout' | 'overloaded' | 'no-upstreams' | 'aborted' | 'closed';

/**
 * No answer: the engine replies SERVFAIL with `ede` (22 No Reachable Authority; 0
 * Other for 'overloaded'), or sends nothing for 'aborted' and 'closed'.
 */
export interface ForwardFailure {
  readonly kind: 'failure';
  readonly reason: ForwardFailureReason;
  /** For logs: what each try got ("upstream 127.0.0.1:5301: timeout after 1500 ms; ..."). */
  readonly detail: string;
  readonly ede: EdeInfo;
}

/** The outcome of `resolve`: a value, never an exception. */
export type ForwardResult = ForwardAnswer | ForwardFailure;

/** Counters for metrics. */
export interface ForwarderStats {
  readonly upstreams: readonly UpstreamStats[];
  readonly cache: AnswerCacheStats;
  /** Datagrams dropped because source, ID or question did not match (RFC 5452 9.1). */
  readonly spoofedDropped: number;
  /** Matching responses that did not decode (counted as a failure of that upstream). */
  readonly malformedDropped: number;
  /** Questions that joined an identical one already in flight. */
  readonly coalesced: number;
  readonly inFlight: number;
  /** Questions refused at once because max_in_flight were already waiting. */
  readonly overloaded: number;
  /** resolve() calls that ended in a failure value. */
  readonly failures: number;
}

/** The forwarder as the query engine, main and the CLI see it. */
export interface Forwarder {
  /** True when at least one upstream is configured; otherwise the query path refuses (query/refusal-for.ts). */
  readonly enabled: boolean;
  /** Whether `allow_recursion` admits this client address (as the transport reports it). */
  isRecursionAllowed(remoteAddress: string): boolean;
  /**
   * How many times the cache was flushed. The query engine keeps copies of fresh
   * replies in its own answer cache and empties it when this moves, so a flush
   * reaches every copy.
   */
  readonly generation: number;
  /** Counts a hit the engine served from its copy (mcns_forward_cache_hits_total counts every hit). */
  noteCacheHit(): void;
  /**
   * The fastest path, before any decoding: when `request` is a plain query with RD
   * set, for a name not ours, from a client allow_recursion admits, and the answer is
   * cached and fresh, the complete reply; otherwise null (then take the slow path,
   * which decides properly). `now` is the same clock as options.now.
   */
  respondFromRequest(request: Uint8Array, client: { readonly transport: 'udp' | 'tcp'; readonly remoteAddress: string }, now: number): Uint8Array | null;
  /**
   * The fast path after decoding: a complete reply to `request` from the cache, or
   * null on a miss. Synchronous, no promise. The caller has checked RD and the ACL.
   */
  respondFromCache(request: Uint8Array, question: Question, shape: ReplyShape, now: number): Uint8Array | null;
  /** A fresh cached answer as records (TTLs decremented), or null; synchronous. */
  lookupCache(question: Question, opts: Pick<ResolveOptions, 'dnssecOk' | 'checkingDisabled'>, now: number): ForwardAnswer | null;
  /** Answers from the cache or the upstreams. Never rejects. */
  resolve(question: Question, opts: ResolveOptions): Promise<ForwardResult>;
  /** Empties the cache (no name), one name's entries, or a subtree's; returns how many went. */
  flush(name?: Name, subtree?: boolean): number;
  /** The cached entries for one name (type, TTL left, rcode, stale), for `mcns cache show`. */
  show(name: Name): CacheEntryView[];
  stats(): ForwarderStats;
  /** Aborts every upstream exchange (sockets closed now); later resolve() calls fail with 'closed'. */
  close(): void;
}

const NO_REACHABLE: EdeInfo = Object.freeze({ code: EdeCode.NO_REACHABLE_AUTHORITY, text: 'no upstream resolver answered' });
const OVERLOADED: EdeInfo = Object.freeze({ code: EdeCode.OTHER, text: 'too many questions waiting on upstreams' });
const STALE_EDE: EdeInfo = Object.freeze({ code: EdeCode.STALE_ANSWER, text: 'upstreams unreachable; answer is stale' });
const STALE_NX_EDE: EdeInfo = Object.freeze({ code: EdeCode.STALE_NXDOMAIN_ANSWER, text: 'upstreams unreachable; nxdomain is stale' });

type TryResult =
  | { readonly kind: 'answer'; readonly message: Message }
  | { readonly kind: 'fail'; readonly why: TryFailure; readonly detail: string }
  | { readonly kind: 'aborted' };

function checkCount(name: string, value: number, min: number): number {
  if (!Number.isFinite(value) || value < min || Math.floor(value) !== value) {
    throw new ForwarderError('BAD_OPTION', `forward option ${name} is ${value}; it must be a whole number of at least ${min}`);
  }
  return value;
}

/** Relays the records of an upstream message, without OPT or TSIG. */
function recordsOf(message: Message): Pick<ForwardAnswer, 'answers' | 'authorities' | 'additionals'> {
  return {
    answers: message.answers,
    authorities: message.authorities,
    additionals: message.additionals.filter((rr) => rr.type !== RRType.TSIG),
  };
}

/** Builds the forwarder; throws ForwarderError for a bad upstream, CIDR or number. */
export function createForwarder(options: ForwarderOptions): Forwarder {
  const d = FORWARDER_DEFAULTS;
  const timeoutMs = checkCount('timeout_ms', options.timeoutMs ?? d.timeoutMs, 1);
  const attempts = checkCount('attempts', options.attempts ?? d.attempts, 1);
  const deadlineMs = checkCount('deadline_ms', options.deadlineMs ?? d.deadlineMs, 1);
  const minTtl = checkCount('min_ttl', options.minTtl ?? d.minTtl, 0);
  const maxTtl = checkCount('max_ttl', options.maxTtl ?? d.maxTtl, 0);
  if (maxTtl < minTtl) throw new ForwarderError('BAD_OPTION', `forward option max_ttl (${maxTtl}) is below min_ttl (${minTtl})`);
  const now = options.now ?? Date.now;
  const monotonic = options.monotonic ?? (() => performance.now());
  const logger = options.logger;
  const upstreams = options.upstreams.map(parseUpstream);
  const acl: AddressMatcher = compileAddressMatcher(options.allowRecursion ?? d.allowRecursion);
  const pool = new UpstreamPool(
    upstreams,
    {
      failThreshold: checkCount('fail_threshold', options.failThreshold ?? d.failThreshold, 1),
      backoffBaseMs: checkCount('backoff_base_ms', options.backoffBaseMs ?? d.backoffBaseMs, 1),
      backoffMaxMs: checkCount('backoff_max_ms', options.backoffMaxMs ?? d.backoffMaxMs, 1),
    },
    (upstream, state, detail) => {
      if (state === 'down') logger?.warn({ upstream, detail }, 'upstream marked down');
      else logger?.info({ upstream, detail }, 'upstream back up');
    },
  );
  const cache = new AnswerCache({
    maxBytes: checkCount('cache_max_bytes', options.cacheMaxBytes ?? d.cacheMaxBytes, 0),
    minTtl,
    maxTtl,
    negMaxTtl: checkCount('neg_max_ttl', options.negMaxTtl ?? d.negMaxTtl, 0),
    serveStale: options.serveStale ?? d.serveStale,
    staleMaxAge: checkCount('stale_max_age', options.staleMaxAge ?? d.staleMaxAge, 0),
  });
  const maxUdpSize = Math.min(65535, Math.max(512, checkCount('max_udp_size', options.maxUdpSize ?? d.maxUdpSize, 512)));
  const isAuthoritative = options.isAuthoritative;
  // Scratch for the byte path, filled per request (single-threaded, synchronous use only).
  const rawQuery = newCacheQuery();
  const rawShape = { dnssecOk: false, checkingDisabled: false, edns: false, udpSize: maxUdpSize, maxSize: 512 };
  const maxInFlight = checkCount('max_in_flight', options.maxInFlight ?? d.maxInFlight, 1);
  const closer = new AbortController();
  const inflight = new Map<string, Promise<ForwardResult>>();
  let flushes = 0;
  let spoofedDropped = 0;
  let malformedDropped = 0;
  let coalesced = 0;
  let failures = 0;
  let overloaded = 0;
  const onMismatch = (): void => {
    spoofedDropped++;
  };

  const failure = (reason: ForwardFailureReason, detail: string): ForwardFailure => {
    failures++;
    return { kind: 'failure', reason, detail, ede: reason === 'overloaded' ? OVERLOADED : NO_REACHABLE };
  };

  const fromEntry = (entry: CacheEntry, at: number, stale: boolean, fromCache = true): ForwardAnswer => {
    const r = cache.records(entry, at, stale);
    let ede: EdeInfo | null = null;
    if (stale) {
      cache.countStale();
      ede = entry.rcode === Rcode.NXDOMAIN ? STALE_NX_EDE : STALE_EDE;
    }
    return {
      kind: 'answer',
      rcode: r.rcode,
      answers: r.answers,
      authorities: r.authorities,
      additionals: r.additionals,
      authenticData: r.authenticData,
      fromCache,
      stale,
      ede,
    };
  };

  const decode = (outcome: ExchangeOutcome & { kind: 'response' }): Message | null => {
    try {
      return decodeMessage(outcome.bytes);
    } catch (err) {
      if (err instanceof WireError) {
        malformedDropped++;
        return null;
      }
      throw err;
    }
  };

  /** One try at one upstream: UDP, then TCP on TC. */
  const tryUpstream = async (state: UpstreamState, query: UpstreamQuery, budgetMs: number): Promise<TryResult> => {
    const u = state.upstream;
    state.queries++;
    const startedAt = monotonic();
    const req: ExchangeRequest = {
      upstream: u,
      query: withQueryId(query, randomQueryId()),
      questionEnd: query.questionEnd,
      timeoutMs: budgetMs,
      signal: closer.signal,
      onMismatch,
      clock: monotonic,
    };
    let outcome = await exchangeUdp(req);
    if (outcome.kind === 'response') {
      const message = decode(outcome);
      if (message === null) return { kind: 'fail', why: 'malformed', detail: `upstream ${u.label}: response does not decode` };
      if (message.header.tc) {
        // RFC 7766 5: a truncated UDP answer is retried over TCP, here to the same upstream.
        state.tcpRetries++;
        state.queries++;
        const left = Math.max(1, budgetMs - (monotonic() - startedAt));
        outcome = await exchangeTcp({ ...req, query: withQueryId(query, randomQueryId()), timeoutMs: left });
        if (outcome.kind === 'response') {
          const full = decode(outcome);
          if (full === null) return { kind: 'fail', why: 'malformed', detail: `upstream ${u.label}: tcp response does not decode` };
          return classify(state, full, monotonic() - startedAt);
        }
      } else {
        return classify(state, message, monotonic() - startedAt);
      }
    }
    switch (outcome.kind) {
      case 'timeout':
        return { kind: 'fail', why: 'timeout', detail: `upstream ${u.label}: no answer within ${budgetMs} ms` };
      case 'network':
        return { kind: 'fail', why: 'network', detail: `upstream ${u.label}: ${outcome.detail}` };
      case 'aborted':
        return { kind: 'aborted' };
    }
  };

  const classify = (state: UpstreamState, message: Message, latencyMs: number): TryResult => {
    const rc = message.rcode;
    // NOERROR and NXDOMAIN are answers; YXDOMAIN is a real outcome of DNAME
    // substitution (RFC 6672 2.2). SERVFAIL, REFUSED, FORMERR, NOTIMP and the rest
    // say this upstream could not help: the next one is asked.
    if (rc === Rcode.NOERROR || rc === Rcode.NXDOMAIN || rc === Rcode.YXDOMAIN) {
      pool.recordSuccess(state, latencyMs);
      return { kind: 'answer', message };
    }
    return { kind: 'fail', why: 'rcode', detail: `upstream ${state.upstream.label}: rcode ${rc}` };
  };

  const fetchFromUpstreams = async (question: Question, flags: number, opts: ResolveOptions): Promise<ForwardResult> => {
    const query = buildUpstreamQuery(question, opts.dnssecOk, opts.checkingDisabled);
    const deadline = monotonic() + deadlineMs;
    const order = pool.order(now());
    const problems: string[] = [];
    let onlyTimeouts = true;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const state = order[attempt % order.length]!;
      const remaining = Math.floor(deadline - monotonic());
      if (remaining <= 0) {
        problems.push(`deadline of ${deadlineMs} ms reached`);
        if (attempt === 0) pool.release(state);
        break;
      }
      const result = await tryUpstream(state, query, Math.min(timeoutMs, remaining));
      if (result.kind === 'aborted') {
        pool.release(state);
        return failure('closed', 'forwarder closed');
      }
      if (result.kind === 'answer') {
        const at = now();
        const entry = cache.store(question, flags, result.message, at);
        if (entry !== null) return fromEntry(entry, at, false, false);
        return {
          kind: 'answer',
          rcode: result.message.rcode,
          ...recordsOf(result.message),
          authenticData: result.message.header.ad,
          fromCache: false,
          stale: false,
          ede: null,
        };
      }
      pool.recordFailure(state, result.why, now());
      if (result.why !== 'timeout') onlyTimeouts = false;
      problems.push(result.detail);
    }
    const stale = cache.staleEntry(question, flags, now());
    if (stale !== null) return fromEntry(stale, now(), true);
    return failure(onlyTimeouts ? 'timeout' : 'all-upstreams-failed', problems.join('; '));
  };

  const waitOrAbort = (shared: Promise<ForwardResult>, signal: AbortSignal): Promise<ForwardResult> =>
    new Promise<ForwardResult>((resolve) => {
      const onAbort = (): void => resolve(failure('aborted', 'caller gave up'));
      signal.addEventListener('abort', onAbort, { once: true });
      const done = (r: ForwardResult): void => {
        signal.removeEventListener('abort', onAbort);
        resolve(r);
      };
      // `shared` never rejects (fetch returns values for every outcome).
      void shared.then(done);
    });

  return {
    enabled: upstreams.length > 0,

    isRecursionAllowed(remoteAddress: string): boolean {
      return acl.matches(remoteAddress);
    },

    get generation(): number {
      return flushes;
    },

    noteCacheHit(): void {
      cache.countHit();
    },

    respondFromRequest(request, client, at): Uint8Array | null {
      if (upstreams.length === 0 || !readCacheQuery(request, rawQuery) || !rawQuery.rd) return null;
      if (isAuthoritative !== undefined && isAuthoritative(rawQuery.lname)) return null;
      if (!acl.matches(client.remoteAddress)) return null;
      rawShape.dnssecOk = rawQuery.dnssecOk;
      rawShape.checkingDisabled = rawQuery.checkingDisabled;
      rawShape.edns = rawQuery.edns;
      // RFC 6891 6.2.5: sizes below 512 count as 512; ours caps the rest; TCP has no UDP cap.
      rawShape.maxSize = client.transport === 'tcp' ? 65535
        : !rawQuery.edns ? 512 : Math.max(512, Math.min(rawQuery.udpSize, maxUdpSize));
      return cache.respondRaw(request, rawQuery.lname, rawQuery.type, rawQuery.qclass, rawShape, at);
    },

    respondFromCache(request: Uint8Array, question: Question, shape: ReplyShape, at: number): Uint8Array | null {
      return cache.respond(request, question, shape, at);
    },

    lookupCache(question, opts, at): ForwardAnswer | null {
      const entry = cache.lookup(question, cacheFlags(opts.dnssecOk, opts.checkingDisabled), at);
      return entry === null ? null : fromEntry(entry, at, false);
    },

    resolve(question: Question, opts: ResolveOptions): Promise<ForwardResult> {
      if (closer.signal.aborted) return Promise.resolve(failure('closed', 'forwarder closed'));
      if (upstreams.length === 0) return Promise.resolve(failure('no-upstreams', 'no upstreams configured'));
      if (opts.signal?.aborted === true) return Promise.resolve(failure('aborted', 'caller gave up'));
      const flags = cacheFlags(opts.dnssecOk, opts.checkingDisabled);
      const at = now();
      const fresh = cache.lookup(question, flags, at);
      if (fresh !== null) return Promise.resolve(fromEntry(fresh, at, false));
      // RFC 8767 5 suggests a failure recheck timer: after failing to refresh, answer
      // stale at once for a while instead of waiting on dead upstreams again. The
      // health backoff is that timer: while every upstream is down and none is due for
      // a probe, a stale answer goes out without an upstream query.
      if (pool.allDown(at)) {
        const stale = cache.staleEntry(question, flags, at);
        if (stale !== null) return Promise.resolve(fromEntry(stale, at, true));
      }
      cache.countMiss();
      const key = `${flags}/${question.type}/${question.class}/${nameLower(question.name)}`;
      let shared = inflight.get(key);
      if (shared === undefined) {
        if (inflight.size >= maxInFlight) {
          overloaded++;
          return Promise.resolve(failure('overloaded', `${inflight.size} questions already waiting on upstreams (max_in_flight)`));
        }
        const p: Promise<ForwardResult> = fetchFromUpstreams(question, flags, opts).finally(() => {
          if (inflight.get(key) === p) inflight.delete(key);
        });
        shared = p;
        inflight.set(key, p);
      } else {
        coalesced++;
      }
      return opts.signal === undefined ? shared : waitOrAbort(shared, opts.signal);
    },

    flush(name?: Name, subtree = false): number {
      flushes++;
      return cache.flush(name, subtree);
    },

    show(name: Name) {
      return cache.show(name, now());
    },

    stats(): ForwarderStats {
      return {
        upstreams: pool.states.map((s) => s.snapshot()),
        cache: cache.stats(),
        spoofedDropped,
        malformedDropped,
        coalesced,
        inFlight: inflight.size,
        overloaded,
        failures,
      };
    },

    close(): void {
      closer.abort();
    },
  };
}
