// DNS over UDP on one address (RFC 1035 4.2.1): one datagram in, at most one
// datagram out. The engine has already fitted the response to the client's
// payload size and set TC; this file only moves bytes and never lets an error
// escape the receive loop.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { EngineReply, QueryEngine } from '../query/index.js';
import { isPendingReply } from './is-pending-reply.js';
import type { QueryLog } from './query-log.js';
import { TransportSlot, type ResponseStats } from './response-stats.js';
import { reportEngineError, type ServerLog } from './server-log.js';
import type { ServerStats } from './server-stats.js';

/** Socket buffer size asked for: a burst of queries waits in the kernel rather than being dropped. */
export const UDP_SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * The socket's address lookup. Replies only ever go to the address a datagram
 * came from, an IP literal, so there is nothing to resolve. Node's default
 * (dns.lookup) answers an IP literal too, but a tick later: every reply would
 * wait for process.nextTick before its sendmsg, which costs ~1.5 µs of CPU per
 * query at full load (docs/PERFORMANCE.md). Answering at once sends at once.
 */
function literalAddress(address: string, family: unknown, callback: (err: Error | null, address: string, family: number) => void): void {
  // dgram passes the socket's family (4 or 6) as the second argument.
  callback(null, address, family === 6 ? 6 : 4);
}

/** What the server needs of a UDP listener: this one (Node's dgram) or batched-udp-listener.ts. */
export interface UdpTransport {
  /** Binds to host:port (0 for any free port) and resolves with the port bound; rejects with the system error. */
  bind(host: string, port: number): Promise<number>;
  /** Requests whose reply is still to come (forwarded queries). */
  readonly pending: number;
  /** Stops handing new datagrams to the engine; replies already on their way are still sent. */
  stopReceiving(): void;
  /** Closes the socket; resolves when it is closed. Safe to call more than once, and after a failed bind. */
  close(): Promise<void>;
}

/** One bound UDP socket (Node's dgram) handing every datagram to the query engine. */
export class UdpListener implements UdpTransport {
  readonly #socket: Socket;
  readonly #engine: QueryEngine;
  readonly #stats: ServerStats;
  readonly #responses: ResponseStats;
  readonly #log: ServerLog;
  readonly #queryLog: QueryLog;
  #closing = false;
  #closed = false;
  #pending = 0;
  #closedPromise: Promise<void> | null = null;

  constructor(host: string, engine: QueryEngine, stats: ServerStats, responses: ResponseStats, log: ServerLog, queryLog: QueryLog) {
    // ipv6Only so that 0.0.0.0 and :: (or 127.0.0.1 and ::1) can share one port.
    this.#socket = isIPv6(host)
      ? createSocket({ type: 'udp6', ipv6Only: true, lookup: literalAddress })
      : createSocket({ type: 'udp4', lookup: literalAddress });
    this.#engine = engine;
    this.#stats = stats;
    this.#responses = responses;
    this.#log = log;
    this.#queryLog = queryLog;
  }

  /** Binds to host:port (0 for any free port) and resolves with the port bound. */
  bind(host: string, port: number): Promise<number> {
    const socket = this.#socket;
    return new Promise<number>((resolve, reject) => {
      const onError = (err: Error): void => {
        socket.off('listening', onListening);
        reject(err);
      };
      const onListening = (): void => {
        socket.off('error', onError);
        socket.on('error', this.#onError);
        socket.on('message', this.#onMessage);
        this.#growBuffers();
        resolve(socket.address().port);
      };
      socket.once('error', onError);
      socket.once('listening', onListening);
      socket.bind({ address: host, port, exclusive: true });
    });
  }

  /** Requests whose reply is still to come (forwarded queries). */
  get pending(): number {
    return this.#pending;
  }

  /** Stops handing new datagrams to the engine; replies already on their way are still sent. */
  stopReceiving(): void {
    this.#closing = true;
  }

  /** Closes the socket; resolves when it is closed. Safe to call more than once, and after a failed bind. */
  close(): Promise<void> {
    if (this.#closedPromise !== null) return this.#closedPromise;
    this.#closing = true;
    this.#closedPromise = new Promise<void>((resolve) => {
      this.#closed = true;
      try {
        this.#socket.close(() => resolve());
      } catch {
        resolve(); // never bound, or already closed
      }
    });
    return this.#closedPromise;
  }

  #growBuffers(): void {
    try {
      this.#socket.setRecvBufferSize(UDP_SOCKET_BUFFER_BYTES);
      this.#socket.setSendBufferSize(UDP_SOCKET_BUFFER_BYTES);
    } catch (err) {
      this.#log.warn(`could not enlarge the udp socket buffers: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  // Created once per listener, not per datagram (STYLE.md rule 8).
  readonly #onMessage = (msg: Buffer, rinfo: RemoteInfo): void => {
    if (this.#closing) return;
    this.#stats.udpReceived++;
    // metrics: one request in LATENCY_SAMPLE_EVERY is timed (0 means not sampled).
    const start = this.#responses.sample() ? performance.now() : 0;
    let reply: EngineReply | PromiseLike<EngineReply>;
    try {
      reply = this.#engine.handle(msg, { transport: 'udp', remoteAddress: rinfo.address, remotePort: rinfo.port });
    } catch (err) {
      reportEngineError(this.#stats, this.#log, 'udp', err);
      return;
    }
    if (reply === null) {
      this.#stats.udpDropped++;
    } else if (reply instanceof Uint8Array) {
      this.#send(reply, rinfo.port, rinfo.address, start);
    } else if (isPendingReply(reply)) {
      this.#sendLater(reply, rinfo.port, rinfo.address, start);
    } else {
      // Several messages are a zone transfer, which is TCP only (RFC 5936 4.2).
      this.#stats.udpDropped++;
    }
  };

  #send(reply: Uint8Array, port: number, address: string, start: number): void {
    if (this.#closed) return;
    if (reply.length > 65_535) {
      this.#stats.badReplies++;
      return;
    }
    try {
      // No callback: a failed send is emitted as 'error' and counted in #onError.
      this.#socket.send(reply, port, address);
      this.#stats.udpSent++;
      this.#responses.record(TransportSlot.udp, reply);
      if (start !== 0) this.#responses.observeSince(TransportSlot.udp, start);
      // [log] query_log: off, this branch is all it costs.
      if (this.#queryLog.rate !== 0) this.#queryLog.record('udp', address, port, reply);
    } catch {
      // A source port of 0 or a socket closing under us: this datagram only.
      this.#stats.udpErrors++;
    }
  }

  // Only replies that wait on the network (forwarding) come here, so the closures
  // below are made per forwarded query, never on the authoritative path.
  #sendLater(reply: PromiseLike<EngineReply>, port: number, address: string, start: number): void {
    this.#pending++;
    void reply.then(
      (result) => {
        this.#pending--;
        if (result instanceof Uint8Array) this.#send(result, port, address, start);
        else this.#stats.udpDropped++;
      },
      (err: unknown) => {
        this.#pending--;
        reportEngineError(this.#stats, this.#log, 'udp', err);
      },
    );
  }

  readonly #onError = (): void => {
    // Send failures (EMSGSIZE, ENOBUFS, unreachable) concern one datagram; the socket stays up.
    this.#stats.udpErrors++;
  };
}
