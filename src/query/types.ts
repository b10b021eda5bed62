// The contract between the transports (server/) and the query engine, and the
// port through which the engine forwards names it is not authoritative for.
import type { Question, ResourceRecord } from '../wire/index.js';

/**
 * Where a request came from; the transports fill it, the engine only reads it, and
 * only during `handle`: a transport may move the same object on to its next request
 * (the batched UDP listener does), and it may compute a field when first read.
 */
export interface RequestContext {
  readonly transport: 'udp' | 'tcp';
  readonly remoteAddress: string;
  readonly remotePort: number;
}

/**
 * What the engine gives back for one request: one response message; several (zone
 * transfers over TCP); or null to send nothing (a packet too broken to answer,
 * or a response that arrived as a query).
 */
export type EngineReply = Uint8Array | readonly Uint8Array[] | null;

/**
 * The query engine as the transports see it. Never throws (nor rejects) for any
 * input bytes. Authoritative answers come back synchronously; only work that must
 * wait on the network (forwarding to upstreams) returns a promise, so the common
 * path allocates no promise. The transports handle both. The request's bytes are
 * valid only during the call (the batched UDP listener reuses its buffer): what a
 * later reply needs is copied first.
 */
export interface QueryEngine {
  handle(request: Uint8Array, ctx: RequestContext): EngineReply | Promise<EngineReply>;
}

/** An Extended DNS Error to attach to a reply (RFC 8914 2: INFO-CODE and EXTRA-TEXT). */
export interface EdeText {
  readonly code: number;
  readonly text: string;
}

/**
 * What forwarding to upstream resolvers gave for one question: records to relay,
 * or a failure (SERVFAIL with its EDE; 'aborted' and 'closed' send nothing).
 */
export type ForwardOutcome =
  | {
    readonly kind: 'answer';
    readonly rcode: number;
    readonly answers: readonly ResourceRecord[];
    readonly authorities: readonly ResourceRecord[];
    readonly additionals: readonly ResourceRecord[];
    /** The upstream set AD. */
    readonly authenticData: boolean;
    readonly ede: EdeText | null;
  }
  | { readonly kind: 'failure'; readonly reason: string; readonly ede: EdeText };

/**
 * Forwarding as the engine sees it, for names in none of our zones (issue 5).
 * `src/forwarder` implements it; `main.ts` hands it in, so the query layer never
 * imports the forwarder and stays free of I/O.
 */
export interface ForwardPort {
  /** False when no upstream is configured: every query outside our zones is refused. */
  readonly enabled: boolean;
  /** Whether `allow_recursion` admits this client (also decides RA in every reply to it). */
  isRecursionAllowed(remoteAddress: string): boolean;
  /**
   * Goes up each time cached upstream answers are flushed; the engine's answer
   * cache, which also keeps forwarded replies, empties when it moves.
   */
  readonly generation: number;
  /** Counts one forwarded question the engine answered from its own answer cache (a cache hit for metrics). */
  noteCacheHit(): void;
  /**
   * A fresh cached answer for a plain RD query from an admitted client for a name
   * not ours, straight from the request bytes; null to take the full path.
   */
  respondFromRequest(request: Uint8Array, client: { readonly transport: 'udp' | 'tcp'; readonly remoteAddress: string }, now: number): Uint8Array | null;
  /** Asks the upstreams (or the cache); never rejects. */
  resolve(question: Question, opts: { readonly dnssecOk: boolean; readonly checkingDisabled: boolean }): Promise<ForwardOutcome>;
}
