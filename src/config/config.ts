// The checked configuration every other layer receives (camelCase, units explicit).
import type { ListenAddress } from './config-field.js';
import type { AUTH_MODES, LOG_LEVELS, UDP_IO_MODES } from './config-schema.js';

/** [dns]: listeners and client limits. */
export interface DnsConfig {
  readonly listen: readonly ListenAddress[];
  readonly tcpIdleTimeoutMs: number;
  readonly tcpMaxConnections: number;
  readonly tcpMaxQueriesPerConnection: number;
  readonly udpMaxPayload: number;
  /** [dns] udp_io: the batched native socket, Node's dgram, or the first that is there. */
  readonly udpIo: (typeof UDP_IO_MODES)[number];
}

/** [database]. */
export interface DatabaseConfig {
  /** Absolute path of the SQLite file. */
  readonly path: string;
}

/** [log]. */
export interface LogConfig {
  readonly level: (typeof LOG_LEVELS)[number];
  /** Absolute path of the query log, or null for none. */
  readonly queryLog: string | null;
  /** Fraction of queries logged, 0 to 1. */
  readonly queryLogSample: number;
}

/** [server]: the process as a whole. */
export interface ServerConfig {
  /** Longest drain on SIGTERM or SIGINT before connections are cut. */
  readonly shutdownTimeoutMs: number;
}

/** [api]: the management listeners and their certificate. */
export interface ApiConfig {
  readonly restAddr: ListenAddress;
  readonly grpcAddr: ListenAddress;
  /** Absolute path of the PEM certificate chain, or null (with tlsKey null) for the self-signed pair in <database dir>/tls/. */
  readonly tlsCert: string | null;
  /** Absolute path of tlsCert's PEM key; the api layer refuses one without the other. */
  readonly tlsKey: string | null;
}

/** [auth] introspection settings, checked and complete (the client secret read from its file). */
export interface IntrospectionConfig {
  readonly url: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly timeoutMs: number;
  /** 0: no cache. */
  readonly cacheTtlMs: number;
  readonly roleClaim: string;
  readonly zonesClaim: string;
}

/** [auth]: the same shape as the auth layer's AuthConfig, so main passes it as it is. */
export interface AuthConfig {
  readonly mode: (typeof AUTH_MODES)[number];
  /** Null in tokens mode. */
  readonly introspection: IntrospectionConfig | null;
}

/** [metrics]: the Prometheus listener. */
export interface MetricsConfig {
  /** Where GET /metrics is served, or null when turned off ("" or "off"). */
  readonly listen: ListenAddress | null;
}

/** [forward]: upstream resolvers for names in none of our zones (src/forwarder). Field names match ForwarderOptions. */
export interface ForwardConfig {
  /** Empty: forwarding off. */
  readonly upstreams: readonly string[];
  readonly allowRecursion: readonly string[];
  readonly timeoutMs: number;
  readonly attempts: number;
  readonly deadlineMs: number;
  readonly cacheMaxBytes: number;
  readonly minTtl: number;
  readonly maxTtl: number;
  readonly negMaxTtl: number;
  readonly serveStale: boolean;
  readonly staleMaxAge: number;
}

/** [backup]: snapshots and the change log (src/ops). Paths absolute, defaults next to the database. */
export interface BackupConfig {
  /** Directory of snapshots. */
  readonly dir: string;
  /** Newest snapshots kept (0: all). */
  readonly keep: number;
  /** Snapshot schedule of the server; null: none. */
  readonly intervalMs: number | null;
  /** Directory of the change-log files. */
  readonly journalDir: string;
  /** Size at which a change-log file is closed and the next begun. */
  readonly journalFileBytes: number;
  /** Change-log files kept (0: all). */
  readonly journalKeep: number;
}

/** The whole configuration, checked, defaults filled in, paths absolute. */
export interface Config {
  /** The file it was read from (absolute), or null for the embedded default. */
  readonly source: string | null;
  readonly dns: DnsConfig;
  readonly database: DatabaseConfig;
  readonly backup: BackupConfig;
  readonly log: LogConfig;
  readonly api: ApiConfig;
  readonly auth: AuthConfig;
  readonly metrics: MetricsConfig;
  readonly forward: ForwardConfig;
  readonly server: ServerConfig;
}
