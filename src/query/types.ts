// The contract between the transports (server/) and the query engine.

/** Where a request came from; the transports fill it, the engine only reads it. */
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
 * path allocates no promise. The transports handle both.
 */
export interface QueryEngine {
  handle(request: Uint8Array, ctx: RequestContext): EngineReply | Promise<EngineReply>;
}
