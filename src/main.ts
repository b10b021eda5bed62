// The composition root: the only place that wires config, store, zones, query
// engine and transports together (DESIGN.md "Layers").
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
// The management plane (api/, auth/, service/: fastify, Connect, x509, ~0.9 s of module loading) is imported
// when it starts, after the DNS listeners: module loading yields, so DNS answers meanwhile.
import type { ApiTls, GrpcServer, RestServer, TlsReloadResult } from './api/index.js';
import type { Authenticator } from './auth/index.js';
import { listenAddressText, type Config, type LogConfig } from './config/index.js';
import { createForwarder, type Forwarder } from './forwarder/index.js';
import type { Logger } from './log/index.js';
import { createMetrics, createMetricsServer, readGitCommit, type Metrics, type MetricsServer } from './metrics/index.js';
import { createQueryEngine } from './query/index.js';
import { createDnsServer, type DnsServer } from './server/index.js';
import { backupLayout, checkDatabaseAtStart, startOps, walHasFrames, type OpsRuntime } from './ops/index.js';
import type { ManagementService, SnapshotTaker } from './service/index.js';
import { importZoneFile, openStore, TokenStore, type Store } from './store/index.js';
import { nameFromText, nameToText, type Name } from './wire/index.js';
import { ZoneSnapshotBuilder, ZoneTable } from './zone/index.js';

/** The example zone `serve` imports into an empty database on the embedded default. */
export const EXAMPLE_ZONE_FILE = fileURLToPath(new URL('../../examples/example.com.zone', import.meta.url));
const EXAMPLE_ZONE_ORIGIN = 'example.com.';
/** package.json, for the version the OpenAPI document shows. */
const PACKAGE_JSON = fileURLToPath(new URL('../../package.json', import.meta.url));

/** What startServer needs besides the config. */
export interface ServerDeps {
  readonly logger: Logger;
  /** The clock for store timestamps. */
  readonly now?: () => Date;
  /** Overrides EXAMPLE_ZONE_FILE (tests). */
  readonly exampleZoneFile?: string;
  /** How often the API certificate files are polled for changes (tests poll faster); default 2 s. */
  readonly tlsWatchIntervalMs?: number;
}

/** Where the management API listens and what clients must trust. */
export interface ApiEndpoints {
  /** Base URL of the REST API for a local client ("https://127.0.0.1:8443"). */
  readonly restUrl: string;
  /** The gRPC listener's "addr:port" with the real port. */
  readonly grpcAddress: string;
  /** The CA to pass as --ca-cert when mcns made its own certificate; null when [api] names one. */
  readonly caPath: string | null;
}

/** What loading zones from the database did. */
export interface ReloadSummary {
  /** Zones whose snapshot was (re)built. */
  readonly loaded: number;
  /** Zones already current. */
  readonly unchanged: number;
  /** Zones dropped because they are no longer in the database. */
  readonly removed: number;
  /** Zones that could not be built (logged; the previous snapshot, if any, stays). */
  readonly failed: number;
}

/** What stopping the server had to cut when shutdown_timeout ran out (all 0 after a full drain). */
export interface ShutdownReport {
  /** Milliseconds from close() to the database closed. */
  readonly ms: number;
  /** Connections cut with a REST request in flight. */
  readonly rest: number;
  /** gRPC connections cut with a call in flight. */
  readonly grpc: number;
  /** DNS TCP connections cut with a query being read or a reply not yet written. */
  readonly dnsTcp: number;
  /** Forwarded UDP queries whose reply never came. */
  readonly dnsUdp: number;
}

/** The running server: its addresses, its zones, reload and close. */
export interface RunningServer {
  /** Every address served on UDP and TCP, as "addr:port" with the real port. */
  readonly listening: readonly string[];
  /** The zones being served. */
  readonly zones: ZoneTable;
  /** What the first load did. */
  readonly initialLoad: ReloadSummary;
  /** The management API (REST and gRPC). */
  readonly api: ApiEndpoints;
  /** Where Prometheus scrapes ("http://127.0.0.1:9153/metrics"), or null when [metrics] listen_addr is off. */
  readonly metricsUrl: string | null;
  /** Reads the database again and swaps in every zone whose serial changed (SIGHUP). */
  reload(): ReloadSummary;
  /** Reads the API certificate and key again; a bad pair is refused and logged, the old one stays (SIGHUP). */
  reloadTls(): TlsReloadResult;
  /** When the API certificate in use expires (for metrics and status). */
  tlsNotAfter(): Date;
  /** Flushes and reopens the query log with these settings (SIGHUP: after a rotation, or a new path or sample). */
  reopenQueryLog(log: LogConfig): Promise<void>;
  /**
   * Stops accepting on every listener at once (management API, DNS, metrics), lets
   * calls and DNS replies in flight finish for up to graceMs (default [server]
   * shutdown_timeout), cuts what is left, settles queued changes, then checkpoints
   * and closes the database. Resolves with what was cut. Safe to call twice.
   */
  close(graceMs?: number): Promise<ShutdownReport>;
}

/**
 * Opens the store, imports the example zone into an empty database when running
 * on the embedded default, builds every zone's snapshot, starts the DNS
 * transports, then imports and starts the management API (REST and gRPC over
 * TLS, with a self-signed certificate made on first start unless [api] names
 * one), then the metrics listener unless [metrics] turns it off. DNS answers
 * while the management plane's modules load (callers that need everything wait
 * for this promise; `mcns serve` prints its banner then). On failure closes what it opened and
 * rethrows (a ServerError, RestServerError, GrpcServerError or MetricsError names
 * the address that is in use).
 */
export async function startServer(config: Config, deps: ServerDeps): Promise<RunningServer> {
  const log = deps.logger;
  const now = deps.now ?? (() => new Date());
  // A crash leaves frames in the WAL; the check's connection removes the WAL when it closes, so ask first:
  // the change log cuts lines of a batch whose COMMIT never happened only after a crash.
  const crashed = walHasFrames(config.database.path);
  // ops: refuse a damaged database with one line naming it and the runbook section (quick_check only: fast on any size).
  checkDatabaseAtStart(config.database.path);
  const store = openStore(config.database.path, deps.now === undefined ? {} : { now: deps.now });
  let server: DnsServer | null = null;
  let management: Management | null = null;
  let forwarder: Forwarder | null = null;
  let ops: OpsRuntime | null = null;
  // metrics (src/metrics/README.md): one registry; each family tracks its source once that is made.
  const metrics = createMetrics({ version: packageVersion(), commit: readGitCommit(dirname(PACKAGE_JSON)) });
  let metricsServer: MetricsServer | null = null;
  try {
    log.info({ database: store.path, schema: store.schemaVersion }, 'database open');
    if (config.source === null && store.listZones().length === 0) {
      const file = deps.exampleZoneFile ?? EXAMPLE_ZONE_FILE;
      const result = importZoneFile(store, nameFromText(EXAMPLE_ZONE_ORIGIN), file, { source: 'serve: example zone' });
      log.info({ zone: result.zone.name, serial: result.zone.serial, file }, 'empty database: imported the example zone');
    }
    const zones = new ZoneTable();
    let zonesLoaded = false;
    const initialLoad = loadZones(store, zones, log);
    metrics.recordZoneLoads(initialLoad);
    zonesLoaded = true;
    if (zones.size === 0) log.warn('no zones to serve; every query will be refused; add one with "mcns zone import NAME FILE"');
    // Names in none of our zones go to [forward] upstreams for admitted clients (issue 5).
    forwarder = config.forward.upstreams.length === 0 ? null : createForwarder({
      ...config.forward,
      maxUdpSize: config.dns.udpMaxPayload,
      // Never serve a cached upstream answer for a name that has become ours.
      isAuthoritative: (name) => zones.find(name as Name) !== null,
      logger: log.child({ layer: 'forwarder' }),
    });
    if (forwarder !== null) log.info({ upstreams: config.forward.upstreams, allowRecursion: config.forward.allowRecursion }, 'forwarding: on');
    const engine = createQueryEngine({ zones, maxUdpSize: config.dns.udpMaxPayload, forward: forwarder });
    server = createDnsServer({
      listen: config.dns.listen,
      engine,
      limits: {
        tcpIdleTimeoutMs: config.dns.tcpIdleTimeoutMs,
        tcpMaxConnections: config.dns.tcpMaxConnections,
        tcpMaxQueriesPerConnection: config.dns.tcpMaxQueriesPerConnection,
      },
      log: log.child({ layer: 'server' }),
      queryLog: { path: config.log.queryLog, sample: config.log.queryLogSample },
      udpIo: config.dns.udpIo,
    });
    await server.start();
    metrics.trackDns(server, engine);
    metrics.trackZones(() => zones.list().map((z) => ({ zone: nameToText(z.origin), serial: z.serial, records: z.recordCount })));
    metrics.trackStorage(store.path, config.backup.dir);
    if (forwarder !== null) metrics.trackForwarder(forwarder);
    const listening = [...new Set(server.addresses().map((a) => listenAddressText(a)))];
    const upstreamCache = forwarder;
    // ops (src/ops/README.md): the change log, the snapshot schedule, restore and replay requests from the CLI.
    const opsRuntime = startOps({ store, zones, layout: backupLayout(config.database.path, config.backup), log: log.child({ layer: 'ops' }), now, crashed });
    ops = opsRuntime;
    // The change log is written (one fsync per batch) before the write path answers anyone; then a zone that
    // changes (or appears) may shadow names the forwarder has cached.
    const onZoneChanged = (origin: Name): void => {
      opsRuntime.onZoneChanged();
      upstreamCache?.flush(origin, true);
    };
    management = await startManagement(config, deps, store, zones, now, () =>
      zonesLoaded ? { ready: true, reason: '' } : { ready: false, reason: 'zones are loading' }, metrics, onZoneChanged, upstreamCache, opsRuntime);
    if (config.metrics.listen !== null) {
      metricsServer = createMetricsServer({ address: config.metrics.listen, metrics, log: log.child({ layer: 'metrics' }) });
      await metricsServer.start();
      log.info({ url: metricsServer.url() }, 'metrics: listening');
    }
    const scrape = metricsServer;
    const running = server;
    const api = management;
    let closing: Promise<ShutdownReport> | null = null;
    const shutdown = async (graceMs: number): Promise<ShutdownReport> => {
      const start = performance.now();
      // Every listener stops accepting now and drains against the same deadline.
      const [cut, dns] = await Promise.all([
        api.close(graceMs),
        running.close(graceMs),
        scrape?.close(),
      ]);
      await opsRuntime.close().catch((err: unknown) => log.error({ err }, 'ops: close failed'));
      upstreamCache?.close();
      if (!store.checkpoint()) log.warn('database: a reader kept the checkpoint from finishing; the -wal file stays (harmless)');
      store.close();
      metrics.close();
      return { ms: Math.round(performance.now() - start), rest: cut.rest, grpc: cut.grpc, dnsTcp: dns.tcpConnections, dnsUdp: dns.udpReplies };
    };
    return {
      listening,
      zones,
      initialLoad,
      api: api.endpoints,
      metricsUrl: scrape?.url() ?? null,
      reload: () => {
        const summary = loadZones(store, zones, log);
        if (upstreamCache !== null && summary.loaded > 0) for (const z of zones.list()) upstreamCache.flush(z.origin, true);
        metrics.recordZoneLoads(summary);
        return summary;
      },
      reloadTls: () => api.tls.material.reload('SIGHUP'),
      tlsNotAfter: () => api.tls.material.notAfter(),
      reopenQueryLog: (settings) => running.configureQueryLog({ path: settings.queryLog, sample: settings.queryLogSample }),
      close: (graceMs = config.server.shutdownTimeoutMs) => {
        closing ??= shutdown(graceMs);
        return closing;
      },
    };
  } catch (err) {
    if (metricsServer !== null) await metricsServer.close();
    if (management !== null) await management.close().catch(() => undefined);
    await ops?.close().catch(() => undefined);
    if (server !== null) await server.close().catch(() => undefined);
    forwarder?.close();
    store.close();
    metrics.close();
    throw err;
  }
}

/** The management plane: TLS material, authenticator, service, REST and gRPC listeners. */
interface Management {
  readonly endpoints: ApiEndpoints;
  readonly tls: ApiTls;
  /** Listeners first (stop accepting, drain for up to graceMs), then queued changes, then the rest; resolves with the connections cut. */
  close(graceMs?: number): Promise<{ rest: number; grpc: number }>;
}

/** Starts REST then gRPC on [api]; on failure closes whatever of it started and rethrows. */
async function startManagement(
  config: Config, deps: ServerDeps, store: Store, zones: ZoneTable, now: () => Date,
  readiness: () => { ready: boolean; reason: string }, metrics: Metrics,
  onZoneChanged: ((origin: Name) => void) | undefined,
  cache: Forwarder | null,
  snapshots: SnapshotTaker,
): Promise<Management> {
  const log = deps.logger;
  const [{ createGrpcServer, createRestServer, openApiTls }, { AuthError, createAuthenticator }, { createManagementService }] =
    await Promise.all([import('./api/index.js'), import('./auth/index.js'), import('./service/index.js')]);
  const tls = await openApiTls(config.api, {
    databasePath: config.database.path,
    configSource: config.source,
    log: log.child({ layer: 'api' }),
    now,
    ...(deps.tlsWatchIntervalMs === undefined ? {} : { watchIntervalMs: deps.tlsWatchIntervalMs }),
  });
  const tokens = new TokenStore(store);
  let authenticator: Authenticator | null = null;
  let service: ManagementService | null = null;
  let rest: RestServer | null = null;
  let grpc: GrpcServer | null = null;
  const close = async (graceMs?: number): Promise<{ rest: number; grpc: number }> => {
    const [restCut, grpcCut] = await Promise.allSettled([rest?.close(graceMs), grpc?.close(graceMs)]);
    await service?.close();
    authenticator?.close();
    tls.close();
    const count = (r: PromiseSettledResult<number | undefined>): number => (r.status === 'fulfilled' ? r.value ?? 0 : 0);
    return { rest: count(restCut), grpc: count(grpcCut) };
  };
  try {
    const auth = createAuthenticator(config.auth, { tokens, now });
    authenticator = auth;
    // metrics: refused credentials by reason (AuthError.failure, else its code: "unavailable", "permission-denied").
    const authenticate = (authorization: string | null, signal?: AbortSignal): ReturnType<Authenticator['authenticate']> =>
      auth.authenticate(authorization, signal).catch((err: unknown) => {
        if (err instanceof AuthError) metrics.recordAuthFailure(err.failure ?? err.code.toLowerCase().replace('_', '-'));
        throw err;
      });
    metrics.trackTlsCertificate('api', tls.material);
    // `mcns cache flush|show` reach the forwarder's cache through the service (none when forwarding is off).
    service = createManagementService({
      store, zones, now, readiness, tokens, ...(onZoneChanged === undefined ? {} : { onZoneChanged }), ...(cache === null ? {} : { cache }), snapshots,
    });
    rest = await createRestServer({
      service, authenticate, tls: tls.material, address: config.api.restAddr, log, version: packageVersion(),
      onRequestDone: (route, method, status, seconds) => metrics.recordApiRequest(route, method, status, seconds),
    });
    await rest.start();
    grpc = createGrpcServer({
      service, authenticate, tls: tls.material, address: config.api.grpcAddr, log: log.child({ layer: 'grpc' }),
      onRequestDone: (method, code, seconds) => metrics.recordGrpcRequest(method, code, seconds),
    });
    const grpcBound = await grpc.start();
    return {
      endpoints: { restUrl: rest.url(), grpcAddress: listenAddressText(grpcBound), caPath: tls.caPath },
      tls,
      close,
    };
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
}

function packageVersion(): string {
  try {
    return String((JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version?: unknown }).version ?? '0');
  } catch {
    return '0';
  }
}

/** Builds a snapshot of every zone whose serial differs from the one served, and drops deleted zones. */
function loadZones(store: Store, zones: ZoneTable, log: Logger): ReloadSummary {
  let loaded = 0;
  let unchanged = 0;
  let removed = 0;
  let failed = 0;
  const inDatabase = new Set<string>();
  for (const zone of store.listZones()) {
    inDatabase.add(zone.origin);
    if (zones.get(zone.origin)?.serial === zone.serial) {
      unchanged++;
      continue;
    }
    const start = performance.now();
    try {
      // Rows go straight into the builder: no object per record (src/zone/README.md).
      const builder = new ZoneSnapshotBuilder(zone.origin, zone.recordCount);
      store.loadZoneInto(zone.id, builder);
      zones.set(builder.finish(zone.serial));
      loaded++;
      log.info({ zone: zone.name, serial: zone.serial, records: zone.recordCount, ms: Math.round(performance.now() - start) }, 'zone loaded');
    } catch (err) {
      failed++;
      log.error({ zone: zone.name, serial: zone.serial, err }, 'zone not loaded; serving its previous version if any');
    }
  }
  for (const snapshot of zones.list()) {
    if (inDatabase.has(snapshot.origin)) continue;
    zones.delete(snapshot.origin);
    removed++;
    log.info({ zone: nameToText(snapshot.origin) }, 'zone no longer in the database: removed');
  }
  return { loaded, unchanged, removed, failed };
}
