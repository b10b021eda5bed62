// Public face of the forwarder: upstream resolvers with a cache, for names we are
// not authoritative for, and the REFUSED explanations for clients that may not recurse.
export {
  createForwarder,
  FORWARDER_DEFAULTS,
  type Forwarder,
  type ForwarderOptions,
  type ForwarderStats,
  type ForwardAnswer,
  type ForwardFailure,
  type ForwardFailureReason,
  type ForwardResult,
  type ResolveOptions,
  type EdeInfo,
} from './create-forwarder.js';
export { STALE_TTL, type ReplyShape, type CacheEntryView, type AnswerCacheStats } from './answer-cache.js';
export { compileAddressMatcher, DEFAULT_ALLOW_RECURSION, type AddressMatcher } from './compile-address-matcher.js';
export { ForwarderError, type ForwarderErrorCode } from './forwarder-error.js';
export type { UpstreamStats } from './upstream-pool.js';
export type { LatencySnapshot } from './latency-histogram.js';
