// The composition root: the only place that wires config, store, zones, query
// engine and transports together (DESIGN.md "Layers").
import { fileURLToPath } from 'node:url';
import { listenAddressText, type Config } from './config/index.js';
import type { Logger } from './log/index.js';
import { createQueryEngine } from './query/index.js';
import { createDnsServer, type DnsServer } from './server/index.js';
import { importZoneFile, openStore, type Store } from './store/index.js';
import { nameFromText, nameToText } from './wire/index.js';
import { buildZoneSnapshot, ZoneTable } from './zone/index.js';

/** The example zone `serve` imports into an empty database on the embedded default. */
export const EXAMPLE_ZONE_FILE = fileURLToPath(new URL('../../examples/example.com.zone', import.meta.url));
const EXAMPLE_ZONE_ORIGIN = 'example.com.';

/** What startServer needs besides the config. */
export interface ServerDeps {
  readonly logger: Logger;
  /** The clock for store timestamps. */
  readonly now?: () => Date;
  /** Overrides EXAMPLE_ZONE_FILE (tests). */
  readonly exampleZoneFile?: string;
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

/** The running server: its addresses, its zones, reload and close. */
export interface RunningServer {
  /** Every address served on UDP and TCP, as "addr:port" with the real port. */
  readonly listening: readonly string[];
  /** The zones being served. */
  readonly zones: ZoneTable;
  /** What the first load did. */
  readonly initialLoad: ReloadSummary;
  /** Reads the database again and swaps in every zone whose serial changed (SIGHUP). */
  reload(): ReloadSummary;
  /** Stops the transports (letting replies in flight finish), then closes the database. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Opens the store, imports the example zone into an empty database when running
 * on the embedded default, builds every zone's snapshot, and starts the DNS
 * transports. On failure closes what it opened and rethrows (a ServerError names
 * the address that is in use).
 */
export async function startServer(config: Config, deps: ServerDeps): Promise<RunningServer> {
  const log = deps.logger;
  const store = openStore(config.database.path, deps.now === undefined ? {} : { now: deps.now });
  let server: DnsServer | null = null;
  try {
    log.info({ database: store.path, schema: store.schemaVersion }, 'database open');
    if (config.source === null && store.listZones().length === 0) {
      const file = deps.exampleZoneFile ?? EXAMPLE_ZONE_FILE;
      const result = importZoneFile(store, nameFromText(EXAMPLE_ZONE_ORIGIN), file, { source: 'serve: example zone' });
      log.info({ zone: result.zone.name, serial: result.zone.serial, file }, 'empty database: imported the example zone');
    }
    const zones = new ZoneTable();
    const initialLoad = loadZones(store, zones, log);
    if (zones.size === 0) log.warn('no zones to serve; every query will be refused; add one with "mcns zone import NAME FILE"');
    const engine = createQueryEngine({ zones, maxUdpSize: config.dns.udpMaxPayload });
    server = createDnsServer({
      listen: config.dns.listen,
      engine,
      limits: {
        tcpIdleTimeoutMs: config.dns.tcpIdleTimeoutMs,
        tcpMaxConnections: config.dns.tcpMaxConnections,
        tcpMaxQueriesPerConnection: config.dns.tcpMaxQueriesPerConnection,
      },
      log: log.child({ layer: 'server' }),
    });
    await server.start();
    const listening = [...new Set(server.addresses().map((a) => listenAddressText(a)))];
    const running = server;
    let closing: Promise<void> | null = null;
    return {
      listening,
      zones,
      initialLoad,
      reload: () => loadZones(store, zones, log),
      close: () => {
        closing ??= running.close().finally(() => store.close());
        return closing;
      },
    };
  } catch (err) {
    if (server !== null) await server.close().catch(() => undefined);
    store.close();
    throw err;
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
      zones.set(buildZoneSnapshot(zone.origin, store.loadZoneRecords(zone.id), zone.serial));
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
