// Public face of the metrics layer: the only place metrics are created. Imports
// nothing from other folders: sources are structural types, wired in by main.ts.
export { createMetrics, METRIC_PREFIX, type Metrics, type MetricsOptions } from './create-metrics.js';
export {
  createMetricsServer, type MetricsAddress, type MetricsLog, type MetricsServer, type MetricsServerOptions,
} from './metrics-server.js';
export { MetricsError, type MetricsErrorCode } from './metrics-error.js';
export { readGitCommit } from './read-git-commit.js';
export type {
  BucketCounts, DnsResponseCounts, DnsServerSource, DnsTransportCounters, ForwarderSource, QueryEngineSource,
  TlsCertificateSource, UpstreamCounters, ZoneInfo, ZoneListSource, ZoneLoadSummary,
} from './metric-sources.js';
