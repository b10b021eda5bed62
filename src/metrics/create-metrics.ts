// The one place metrics are created (DESIGN.md): a prom-client registry of our own
// (never the global one). Families over other layers' counters are read at scrape
// time once their source is tracked; the few events the hot path never sees (REST
// and gRPC requests, authentication failures, zone loads) are counted here directly.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type {
  DnsServerSource, ForwarderSource, QueryEngineSource, TlsCertificateSource, ZoneListSource, ZoneLoadSummary,
} from './metric-sources.js';
import { registerDnsMetrics } from './register-dns-metrics.js';
import { registerForwarderMetrics } from './register-forwarder-metrics.js';
import { registerStorageMetrics } from './register-storage-metrics.js';
import { registerTlsMetrics, type TrackedCertificate } from './register-tls-metrics.js';
import { registerZoneMetrics } from './register-zone-metrics.js';

/** Prefix of every metric name. */
export const METRIC_PREFIX = 'mcns_';

/**
 * prom-client default metrics dropped: gauges whose names end in _total (promtool
 * lint: "non-counter metrics should not have _total suffix"); sum() over the
 * un-suffixed gauge of the same name gives the same number.
 */
const DROPPED_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** Buckets of the API request duration histogram, in seconds. */
const API_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Distinct values a free-form label (route, failure reason) may take; more become "other". */
const MAX_LABEL_VALUES = 64;

/** HTTP methods kept as label values; any other is "other". */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** What createMetrics needs. */
export interface MetricsOptions {
  /** package.json version, for mcns_build_info. */
  readonly version: string;
  /** The git commit, or null when unknown (readGitCommit). */
  readonly commit: string | null;
  /** Include the process and Node.js runtime families (default true; tests may turn them off). */
  readonly processMetrics?: boolean;
  /** Clock for ages, ms since the epoch (default Date.now). */
  readonly now?: () => number;
}

/** The metrics of one server: track sources as they are made, record events, render for a scrape. */
export interface Metrics {
  /** The Content-Type of render()'s text (Prometheus text format 0.0.4). */
  readonly contentType: string;
  /** The exposition text of every family. */
  render(): Promise<string>;
  /** Names of the families registered now. */
  names(): string[];
  /** The DNS transports and the query engine behind them. */
  trackDns(server: DnsServerSource, engine: QueryEngineSource): void;
  /** The zones served (a function read at each scrape). */
  trackZones(zones: ZoneListSource): void;
  /** The SQLite file (and its -wal) and the snapshots directory. */
  trackStorage(databasePath: string, backupsDir: string): void;
  /** A certificate served by `listener` ("api" for REST and gRPC, which share one). */
  trackTlsCertificate(listener: string, certificate: TlsCertificateSource): void;
  /** The forwarder; call only when forwarding is configured. */
  trackForwarder(forwarder: ForwarderSource): void;
  /** Adds one pass of loading zones from the database (start, SIGHUP). */
  recordZoneLoads(summary: ZoneLoadSummary): void;
  /** Adds one management API request: route template, method, status, seconds taken. */
  recordApiRequest(route: string, method: string, status: number, seconds: number): void;
  /** Adds one gRPC request: method path ("/mcns.v1.ZoneService/CreateZone" or "unmatched"), status code name ("OK"), seconds taken. */
  recordGrpcRequest(method: string, code: string, seconds: number): void;
  /** Adds one refused credential, by reason ("expired", "revoked", "unavailable", ...). */
  recordAuthFailure(reason: string): void;
  /** Unregisters every family. Safe to call twice. */
  close(): void;
}

/** Makes the registry with the families that need no source: build info, process, API, auth, zone loads. */
export function createMetrics(options: MetricsOptions): Metrics {
  const registry = new Registry();
  const now = options.now ?? Date.now;
  if (options.processMetrics !== false) {
    collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
    for (const name of DROPPED_DEFAULT_METRICS) registry.removeSingleMetric(METRIC_PREFIX + name);
  }
  new Gauge({
    name: 'mcns_build_info', help: 'Always 1; the labels say which mcns and Node.js run, and the git commit when known.',
    labelNames: ['version', 'node_version', 'commit'], registers: [registry],
  }).set({ version: options.version, node_version: process.versions.node, commit: options.commit ?? 'unknown' }, 1);
  const zoneLoads = new Counter({
    name: 'mcns_zone_loads_total', help: 'Zones (re)built from the database at start and on SIGHUP, by result (loaded, removed, failed).',
    labelNames: ['result'], registers: [registry],
  });
  for (const result of ['loaded', 'removed', 'failed']) zoneLoads.inc({ result }, 0);
  const apiRequests = new Counter({
    name: 'mcns_api_requests_total', help: 'Management API requests answered, by route template, method and HTTP status.',
    labelNames: ['route', 'method', 'status'], registers: [registry],
  });
  const apiDuration = new Histogram({
    name: 'mcns_api_request_duration_seconds', help: 'Time to answer a management API request, by route template and method.',
    labelNames: ['route', 'method'], buckets: API_DURATION_BUCKETS, registers: [registry],
  });
  const grpcRequests = new Counter({
    name: 'mcns_grpc_requests_total', help: 'Management gRPC requests answered (gRPC, gRPC-Web and Connect), by method path and gRPC status code name.',
    labelNames: ['method', 'code'], registers: [registry],
  });
  const grpcDuration = new Histogram({
    name: 'mcns_grpc_request_duration_seconds', help: 'Time to answer a management gRPC request, by method path.',
    labelNames: ['method'], buckets: API_DURATION_BUCKETS, registers: [registry],
  });
  const authFailures = new Counter({
    name: 'mcns_auth_failures_total', help: 'Management API credentials refused, by reason (missing, malformed, unknown, revoked, expired, inactive, permission-denied, unavailable, ...).',
    labelNames: ['reason'], registers: [registry],
  });
  const routes = new Set<string>();
  const grpcMethods = new Set<string>();
  const grpcCodes = new Set<string>();
  const reasons = new Set<string>();
  const certificates: TrackedCertificate[] = [];

  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    names: () => registry.getMetricsAsArray().map((m) => m.name),
    trackDns: (server, engine) => registerDnsMetrics(registry, server, engine),
    trackZones: (zones) => registerZoneMetrics(registry, zones),
    trackStorage: (databasePath, backupsDir) => registerStorageMetrics(registry, { databasePath, backupsDir, now }),
    trackTlsCertificate(listener, certificate) {
      if (certificates.length === 0) registerTlsMetrics(registry, certificates);
      certificates.push({ listener, source: certificate });
    },
    trackForwarder: (forwarder) => registerForwarderMetrics(registry, forwarder),
    recordZoneLoads(summary) {
      zoneLoads.inc({ result: 'loaded' }, summary.loaded);
      zoneLoads.inc({ result: 'removed' }, summary.removed);
      zoneLoads.inc({ result: 'failed' }, summary.failed);
    },
    recordApiRequest(route, method, status, seconds) {
      const labels = {
        route: bounded(routes, route === '' ? 'unmatched' : route),
        method: METHODS.has(method) ? method : 'other',
      };
      apiRequests.inc({ ...labels, status: String(status) });
      apiDuration.observe(labels, seconds);
    },
    recordGrpcRequest(method, code, seconds) {
      const labels = { method: bounded(grpcMethods, method === '' ? 'unmatched' : method) };
      grpcRequests.inc({ ...labels, code: bounded(grpcCodes, code) });
      grpcDuration.observe(labels, seconds);
    },
    recordAuthFailure(reason) {
      authFailures.inc({ reason: bounded(reasons, reason) });
    },
    close() {
      registry.clear();
    },
  };
}

/** `value` while `seen` has room for it (or holds it already), else "other": a label never grows without bound. */
function bounded(seen: Set<string>, value: string): string {
  if (seen.has(value)) return value;
  if (seen.size >= MAX_LABEL_VALUES) return 'other';
  seen.add(value);
  return value;
}
