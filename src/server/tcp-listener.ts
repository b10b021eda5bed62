// Accepts DNS-over-TCP connections on one address and enforces the limit on
// connections open at once (RFC 7766 10: servers must bound the resources one
// client can hold).
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { isIPv6 } from 'node:net';
import type { QueryEngine } from '../query/index.js';
import type { QueryLog } from './query-log.js';
import type { ResponseStats } from './response-stats.js';
import type { ServerLog } from './server-log.js';
import type { ServerStats } from './server-stats.js';
import { TcpConnection, type TcpLimits } from './tcp-connection.js';

/** One listening TCP socket; its connections live in a set shared by all listeners. */
export class TcpListener {
  readonly #server: Server;
  readonly #engine: QueryEngine;
  readonly #limits: TcpLimits;
  readonly #stats: ServerStats;
  readonly #responses: ResponseStats;
  readonly #log: ServerLog;
  readonly #connections: Set<TcpConnection>;
  readonly #queryLog: QueryLog;
  #accepting = true;
  #acceptErrors = 0;
  #closedPromise: Promise<void> | null = null;

  constructor(
    engine: QueryEngine,
    limits: TcpLimits,
    stats: ServerStats,
    responses: ResponseStats,
    log: ServerLog,
    connections: Set<TcpConnection>,
    queryLog: QueryLog,
  ) {
    this.#engine = engine;
    this.#limits = limits;
    this.#stats = stats;
    this.#responses = responses;
    this.#log = log;
    this.#connections = connections;
    this.#queryLog = queryLog;
    // allowHalfOpen: a client's FIN must not cut replies still being computed.
    // highWaterMark: socket.write() returns false once this many bytes wait unsent.
    this.#server = createServer({ allowHalfOpen: true, noDelay: true, highWaterMark: limits.maxPendingBytes });
    this.#server.on('connection', this.#onConnection);
  }

  /** Listens on host:port (0 for any free port) and resolves with the port bound. */
  listen(host: string, port: number): Promise<number> {
    const server = this.#server;
    return new Promise<number>((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      server.once('error', onError);
      // ipv6Only so that 0.0.0.0 and :: (or 127.0.0.1 and ::1) can share one port.
      server.listen({ host, port, ipv6Only: isIPv6(host), exclusive: true }, () => {
        server.off('error', onError);
        server.on('error', this.#onError);
        resolve((server.address() as AddressInfo).port);
      });
    });
  }

  /** Stops accepting; resolves once the listening socket and all its connections are closed. */
  close(): Promise<void> {
    if (this.#closedPromise !== null) return this.#closedPromise;
    this.#accepting = false;
    this.#closedPromise = new Promise<void>((resolve) => {
      if (!this.#server.listening) {
        resolve();
        return;
      }
      this.#server.close(() => resolve());
    });
    return this.#closedPromise;
  }

  readonly #onConnection = (socket: Socket): void => {
    if (!this.#accepting || this.#connections.size >= this.#limits.maxConnections) {
      this.#stats.tcpRejected++;
      socket.on('error', ignoreError);
      socket.destroy();
      return;
    }
    this.#stats.tcpAccepted++;
    this.#stats.tcpOpen++;
    this.#connections.add(
      new TcpConnection(socket, this.#engine, this.#limits, this.#stats, this.#responses, this.#log, this.#onConnectionClosed, this.#queryLog),
    );
  };

  readonly #onConnectionClosed = (connection: TcpConnection): void => {
    this.#connections.delete(connection);
  };

  readonly #onError = (err: Error): void => {
    // Accept failures (EMFILE, ENFILE) leave the listening socket usable.
    this.#stats.tcpErrors++;
    this.#acceptErrors++;
    if (this.#acceptErrors % 1000 === 1) this.#log.warn(`dns tcp listener (${this.#acceptErrors} errors so far): ${err.message}`);
  };
}

function ignoreError(): void {}
