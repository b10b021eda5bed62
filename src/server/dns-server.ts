// The DNS transports as one object: UDP and TCP on every listen address, started
// together, failing together, and closed together with a grace period for
// replies in flight.
import { isIP } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { QueryEngine } from '../query/index.js';
import { QueryLog, type QueryLogOptions, type QueryLogSettings } from './query-log.js';
import { ResponseStats } from './response-stats.js';
import { bindError, formatAddress, ServerError } from './server-error.js';
import { silentLog, type ServerLog } from './server-log.js';
import { createServerStats, type ServerStats } from './server-stats.js';
import type { TcpConnection, TcpLimits } from './tcp-connection.js';
import { TcpListener } from './tcp-listener.js';
import { BatchedUdpListener } from './batched-udp-listener.js';
import { loadNativeUdp, type NativeUdp } from './native-udp.js';
import { UdpListener, type UdpTransport } from './udp-listener.js';

/** The UDP socket that serves DNS: the native recvmmsg/sendmmsg module, or Node's dgram. */
export type UdpPath = 'batched' | 'dgram';

/** [dns] udp_io (docs/adr/0004-batched-udp.md): a path, or `auto` for the first when it is built, else the second. */
export type UdpIo = UdpPath | 'auto';

/** One address to serve DNS on, UDP and TCP both; port 0 picks a free port (the same for both). */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** A socket the server has bound, with the real port. */
export interface BoundAddress {
  readonly transport: 'udp' | 'tcp';
  readonly host: string;
  readonly port: number;
}

/** Resource limits of the TCP transport (config keys tcp_idle_timeout, tcp_max_connections, tcp_max_queries_per_connection). */
export interface DnsServerLimits {
  /** RFC 7766 6.2.3 idle timeout, in milliseconds. */
  readonly tcpIdleTimeoutMs: number;
  /** TCP connections open at once, over all addresses. */
  readonly tcpMaxConnections: number;
  /** Queries on one TCP connection before the server closes it; 0 for no limit. */
  readonly tcpMaxQueriesPerConnection: number;
  /** Unsent response bytes per connection before it stops reading (default 128 KiB). */
  readonly tcpMaxPendingBytes?: number;
}

/** Limits used when the configuration gives none. */
export const DEFAULT_DNS_SERVER_LIMITS: Required<DnsServerLimits> = {
  tcpIdleTimeoutMs: 10_000,
  tcpMaxConnections: 1_000,
  tcpMaxQueriesPerConnection: 0,
  tcpMaxPendingBytes: 128 * 1024,
};

/** How long close() waits for replies in flight when no grace is given. */
export const DEFAULT_CLOSE_GRACE_MS = 5_000;

/** What createDnsServer needs. */
export interface DnsServerOptions {
  readonly listen: readonly ListenAddress[];
  readonly engine: QueryEngine;
  readonly limits: DnsServerLimits;
  readonly log?: ServerLog;
  /** [log] query_log and query_log_sample; none by default. */
  readonly queryLog?: QueryLogSettings;
  /** The query log's clock, randomness and batching (tests). */
  readonly queryLogOptions?: QueryLogOptions;
  /** [dns] udp_io; `auto` when not given. */
  readonly udpIo?: UdpIo;
  /** Where the batched module is (tests); the build's place when not given. */
  readonly nativeUdpPath?: string;
}

/** What close() had to cut when the grace period ended. */
export interface DnsDrainReport {
  /** TCP connections destroyed with a query being read or replies not yet written. */
  readonly tcpConnections: number;
  /** Forwarded queries over UDP whose reply never came. */
  readonly udpReplies: number;
}

/** The running DNS transports. */
export interface DnsServer {
  /** Binds every address (UDP, then TCP on the same port); on any failure closes what it opened and rejects with a ServerError. */
  start(): Promise<void>;
  /**
   * Stops accepting (UDP sockets close as soon as they owe no forwarded reply),
   * lets replies in flight finish for up to graceMs, then cuts what is left and
   * closes the query log; resolves with what was cut once all is closed.
   */
  close(graceMs?: number): Promise<DnsDrainReport>;
  /** Flushes and closes the query log file, then opens it again with these settings (SIGHUP: rotation, new path or sample). */
  configureQueryLog(settings: QueryLogSettings): Promise<void>;
  /** The sockets bound, with real ports (empty before start and after close). */
  addresses(): BoundAddress[];
  /** The UDP path in use once started: the native batched socket or Node's dgram. */
  readonly udpPath: UdpPath;
  /** Live counters; read only. */
  readonly stats: Readonly<ServerStats>;
  /** Responses by transport, question type and RCODE, their sizes and sampled latency, for metrics; read only. */
  readonly responses: ResponseStats;
}

/** Attempts at finding a port free on both UDP and TCP when the configured port is 0. */
const PORT_ZERO_ATTEMPTS = 20;

/** Poll interval while waiting for connections to drain on close. */
const DRAIN_POLL_MS = 10;

interface BoundPair {
  readonly host: string;
  readonly port: number;
  readonly udp: UdpTransport;
  readonly tcp: TcpListener;
}

/** Makes the DNS transports for the given addresses; nothing is bound until start(). */
export function createDnsServer(opts: DnsServerOptions): DnsServer {
  return new DnsServerImpl(opts);
}

class DnsServerImpl implements DnsServer {
  readonly #listen: readonly ListenAddress[];
  readonly #engine: QueryEngine;
  readonly #limits: TcpLimits;
  readonly #log: ServerLog;
  readonly #stats: ServerStats = createServerStats();
  readonly responses = new ResponseStats();
  readonly #connections = new Set<TcpConnection>();
  /** Every listener made, bound or not, so a failed start or close reaches all of them. */
  readonly #udp: UdpTransport[] = [];
  readonly #tcp: TcpListener[] = [];
  #bound: BoundPair[] = [];
  readonly #queryLog: QueryLog;
  readonly #queryLogSettings: QueryLogSettings;
  #started = false;
  #closing: Promise<DnsDrainReport> | null = null;
  readonly #udpIo: UdpIo;
  readonly #nativeUdpPath: string | undefined;
  /** The batched module when start() chose it; null: Node's dgram. */
  #native: NativeUdp | null = null;

  constructor(opts: DnsServerOptions) {
    this.#listen = opts.listen;
    this.#engine = opts.engine;
    this.#log = opts.log ?? silentLog;
    this.#queryLog = new QueryLog({ log: this.#log, ...opts.queryLogOptions });
    this.#queryLogSettings = opts.queryLog ?? { path: null, sample: 0 };
    this.#udpIo = opts.udpIo ?? 'auto';
    this.#nativeUdpPath = opts.nativeUdpPath;
    const l = opts.limits;
    this.#limits = {
      idleTimeoutMs: l.tcpIdleTimeoutMs,
      maxConnections: l.tcpMaxConnections,
      maxQueriesPerConnection: l.tcpMaxQueriesPerConnection,
      maxPendingBytes: l.tcpMaxPendingBytes ?? DEFAULT_DNS_SERVER_LIMITS.tcpMaxPendingBytes,
    };
  }

  get stats(): Readonly<ServerStats> {
    return this.#stats;
  }

  get udpPath(): UdpPath {
    return this.#native === null ? 'dgram' : 'batched';
  }

  /** Picks the UDP path for [dns] udp_io; throws when `batched` was asked for and the module is not there. */
  #chooseUdpPath(): void {
    if (this.#udpIo === 'dgram') return;
    const load = loadNativeUdp(this.#nativeUdpPath);
    if (load.module !== null) {
      this.#native = load.module;
    } else if (this.#udpIo === 'batched') {
      throw new ServerError('BATCHED_UDP_UNAVAILABLE',
        `[dns] udp_io = "batched" cannot be used: ${load.reason}; or set [dns] udp_io = "auto" to fall back to Node's dgram`);
    } else {
      this.#log.info(`udp: using Node's dgram socket, not the batched one: ${load.reason}`);
    }
  }

  async start(): Promise<void> {
    if (this.#started || this.#closing !== null) throw new Error('dns server already started or closed');
    this.#started = true;
    if (this.#listen.length === 0) throw new ServerError('INVALID_ADDRESS', 'no listen address given: set [dns] listen_addr');
    for (const { host, port } of this.#listen) {
      if (isIP(host) === 0) {
        throw new ServerError('INVALID_ADDRESS', `listen address "${host}" is not an IPv4 or IPv6 address`);
      }
      if (!Number.isInteger(port) || port < 0 || port > 65_535) {
        throw new ServerError('INVALID_ADDRESS', `listen port ${port} of "${host}" is not between 0 and 65535`);
      }
    }
    this.#chooseUdpPath();
    try {
      await this.configureQueryLog(this.#queryLogSettings);
      for (const { host, port } of this.#listen) this.#bound.push(await this.#bindPair(host, port));
    } catch (err) {
      await this.#closeAll();
      this.#bound = [];
      throw err;
    }
    const where = this.#bound.map((b) => formatAddress(b.host, b.port)).join(', ');
    this.#log.info(`dns listening on udp (${this.udpPath}) and tcp ${where}`);
    if (this.#native === null) {
      for (const b of this.#bound.filter((x) => x.host === '0.0.0.0' || x.host === '::')) {
        // Node's dgram cannot read a datagram's destination (IP_PKTINFO) nor choose a reply's source.
        this.#log.warn(`udp on ${formatAddress(b.host, b.port)} uses Node's dgram socket, which answers from the address the route picks: ` +
          'on a host with several addresses, clients that asked another one drop the reply; list each address in [dns] listen_addr, ' +
          'or use the batched socket ([dns] udp_io)');
      }
    }
  }

  /** UDP first, then TCP on the port UDP got, so both transports share the port even for port 0. */
  async #bindPair(host: string, port: number): Promise<BoundPair> {
    for (let attempt = 1; ; attempt++) {
      const udp: UdpTransport = this.#native === null
        ? new UdpListener(host, this.#engine, this.#stats, this.responses, this.#log, this.#queryLog)
        : new BatchedUdpListener(this.#native, this.#engine, this.#stats, this.responses, this.#log, this.#queryLog);
      this.#udp.push(udp);
      let udpPort: number;
      try {
        udpPort = await udp.bind(host, port);
      } catch (err) {
        throw bindError(err, 'udp', host, port);
      }
      const tcp = new TcpListener(this.#engine, this.#limits, this.#stats, this.responses, this.#log, this.#connections, this.#queryLog);
      this.#tcp.push(tcp);
      try {
        const tcpPort = await tcp.listen(host, udpPort);
        return { host, port: tcpPort, udp, tcp };
      } catch (err) {
        // With port 0 the kernel's free UDP port may be taken on TCP: try another.
        const inUse = (err as { code?: unknown }).code === 'EADDRINUSE';
        if (port === 0 && inUse && attempt < PORT_ZERO_ATTEMPTS) {
          await udp.close();
          continue;
        }
        throw bindError(err, 'tcp', host, udpPort);
      }
    }
  }

  close(graceMs: number = DEFAULT_CLOSE_GRACE_MS): Promise<DnsDrainReport> {
    if (this.#closing === null) this.#closing = this.#shutdown(graceMs);
    return this.#closing;
  }

  async configureQueryLog(settings: QueryLogSettings): Promise<void> {
    try {
      await this.#queryLog.configure(settings);
    } catch (err) {
      throw new ServerError('QUERY_LOG_FAILED', `cannot open the query log "${settings.path ?? ''}": ${(err as Error).message}; fix [log] query_log`, { cause: err });
    }
    if (settings.path !== null && this.#queryLog.rate !== 0) this.#log.info(`query log: appending to ${settings.path}, sample ${settings.sample}`);
  }

  addresses(): BoundAddress[] {
    if (this.#closing !== null) return [];
    const out: BoundAddress[] = [];
    for (const b of this.#bound) {
      out.push({ transport: 'udp', host: b.host, port: b.port }, { transport: 'tcp', host: b.host, port: b.port });
    }
    return out;
  }

  async #shutdown(graceMs: number): Promise<DnsDrainReport> {
    for (const udp of this.#udp) udp.stopReceiving();
    const listenersClosed = this.#tcp.map((tcp) => tcp.close());
    for (const connection of this.#connections) connection.shutdown();
    const deadline = Date.now() + Math.max(0, graceMs);
    // A UDP socket that owes no forwarded reply closes at once: clients then get
    // a port unreachable and try another server instead of waiting for a timeout.
    const closing: Promise<void>[] = [];
    let owing = this.#udp;
    for (;;) {
      const stillOwing: UdpTransport[] = [];
      for (const udp of owing) {
        if (udp.pending > 0) stillOwing.push(udp);
        else closing.push(udp.close());
      }
      owing = stillOwing;
      if ((owing.length === 0 && this.#tcpDrained()) || Date.now() >= deadline) break;
      await sleep(DRAIN_POLL_MS);
    }
    let tcpConnections = 0;
    for (const connection of this.#connections) {
      // An ended connection the client keeps open owes nothing: closing it cuts nothing.
      if (!connection.drained) tcpConnections++;
      connection.destroy();
    }
    const udpReplies = owing.reduce((n, udp) => n + udp.pending, 0);
    await Promise.all([...listenersClosed, ...closing, ...owing.map((udp) => udp.close())]);
    await this.#queryLog.close();
    if (this.#bound.length > 0) this.#log.info('dns transports closed');
    return { tcpConnections, udpReplies };
  }

  #tcpDrained(): boolean {
    for (const connection of this.#connections) if (!connection.drained) return false;
    return true;
  }

  async #closeAll(): Promise<void> {
    await Promise.all([...this.#tcp.map((tcp) => tcp.close()), ...this.#udp.map((udp) => udp.close())]);
    await this.#queryLog.close();
  }
}
