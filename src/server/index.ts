// Public face of the server layer: the DNS transports (UDP and TCP) in front of the query engine.
export {
  createDnsServer,
  DEFAULT_CLOSE_GRACE_MS,
  DEFAULT_DNS_SERVER_LIMITS,
  type BoundAddress,
  type DnsDrainReport,
  type DnsServer,
  type DnsServerLimits,
  type DnsServerOptions,
  type ListenAddress,
  type UdpIo,
  type UdpPath,
} from './dns-server.js';
export { QueryLog, QUERY_LOG_MAX_PENDING_BYTES, type QueryLogOptions, type QueryLogSettings } from './query-log.js';
export { formatQueryLogLine } from './format-query-log-line.js';
export { ServerError, type ServerErrorCode } from './server-error.js';
export type { ServerLog } from './server-log.js';
export type { ServerStats } from './server-stats.js';
export {
  LATENCY_SAMPLE_EVERY, RESPONSE_LATENCY_BOUNDS, RESPONSE_QTYPES, RESPONSE_RCODES, RESPONSE_SIZE_BOUNDS, RESPONSE_TRANSPORTS,
  ResponseStats, TransportSlot, type BucketCounts,
} from './response-stats.js';
