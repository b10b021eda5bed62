// One DNS-over-TCP connection (RFC 1035 4.2.2, RFC 7766): two-byte length
// framing, pipelined queries answered as they arrive, an idle timeout, a cap on
// queries per connection, and backpressure when the client does not read.
//
//   reading --(query limit | client FIN | shutdown)--> ending --(no replies pending)--> end()
//      |                                                  ^
//      +--(shutdown with a query partly read)--> that query read and answered
//      |  ^                                                                              |
//   write buffer full / drain                                      FIN sent, 'close'  <---+
//      v  |
//   blocked (socket paused, unread bytes kept)          idle timeout or error: destroy from any state
import type { Socket } from 'node:net';
import type { EngineReply, QueryEngine, RequestContext } from '../query/index.js';
import { isPendingReply } from './is-pending-reply.js';
import type { QueryLog } from './query-log.js';
import { TransportSlot, type ResponseStats } from './response-stats.js';
import { reportEngineError, type ServerLog } from './server-log.js';
import type { ServerStats } from './server-stats.js';

/** The limits one TCP connection enforces (RFC 7766 6.2.3 and 10). */
export interface TcpLimits {
  /** Close a connection with no traffic for this long; 0 disables (not advised). */
  readonly idleTimeoutMs: number;
  /** Connections open at once across all addresses; more are closed on accept. */
  readonly maxConnections: number;
  /** Queries answered on one connection before the server closes it; 0 for no limit. */
  readonly maxQueriesPerConnection: number;
  /** Unsent response bytes at which the connection stops reading until the client catches up. */
  readonly maxPendingBytes: number;
}

/** The largest DNS message a two-byte length can frame (RFC 1035 4.2.2). */
const MAX_MESSAGE = 65_535;

/** Reads framed queries from one socket, hands each to the engine and writes the framed replies. */
export class TcpConnection {
  readonly #socket: Socket;
  readonly #engine: QueryEngine;
  readonly #limits: TcpLimits;
  readonly #stats: ServerStats;
  readonly #responses: ResponseStats;
  readonly #log: ServerLog;
  readonly #onClosed: (connection: TcpConnection) => void;
  readonly #queryLog: QueryLog;
  /** One context per connection: the peer does not change, so no object per query. */
  readonly #ctx: RequestContext;

  /** High byte of a length prefix split across chunks, or -1. */
  #high = -1;
  /** The frame being filled when its bytes span chunks, or null. */
  #frame: Buffer | null = null;
  #filled = 0;
  /** Unread bytes kept while reading is paused for backpressure. */
  #rest: Buffer | null = null;
  #restOffset = 0;

  #queries = 0;
  /** Replies the engine still owes (promises). */
  #pending = 0;
  #blocked = false;
  /** No more queries are read; the connection ends once pending replies are written. */
  #ending = false;
  /** Shutdown came while a query was partly received: stop reading once it is whole. */
  #stopAfterFrame = false;
  #ended = false;
  #closed = false;

  constructor(
    socket: Socket,
    engine: QueryEngine,
    limits: TcpLimits,
    stats: ServerStats,
    responses: ResponseStats,
    log: ServerLog,
    onClosed: (connection: TcpConnection) => void,
    queryLog: QueryLog,
  ) {
    this.#socket = socket;
    this.#engine = engine;
    this.#limits = limits;
    this.#stats = stats;
    this.#responses = responses;
    this.#log = log;
    this.#onClosed = onClosed;
    this.#queryLog = queryLog;
    this.#ctx = { transport: 'tcp', remoteAddress: socket.remoteAddress ?? '', remotePort: socket.remotePort ?? 0 };
    socket.setNoDelay(true);
    // RFC 7766 6.2.3: "Servers MAY use idle timeouts ... to protect themselves
    // from clients that open connections and then do not use them."
    if (limits.idleTimeoutMs > 0) socket.setTimeout(limits.idleTimeoutMs);
    socket.on('data', this.#onData);
    socket.on('drain', this.#onDrain);
    socket.on('end', this.#onEnd);
    socket.on('timeout', this.#onTimeout);
    socket.on('error', this.#onError);
    socket.on('close', this.#onClose);
  }

  /** Replies still owed by the engine on this connection. */
  get pending(): number {
    return this.#pending;
  }

  /** True once nothing is owed: closed, or ended with every reply handed to the system. */
  get drained(): boolean {
    return this.#closed || (this.#ended && this.#socket.writableFinished);
  }

  /**
   * Stops reading queries and ends the connection once the replies in flight are
   * written; a query partly received is in flight too: it is read to its end and answered first.
   */
  shutdown(): void {
    if (this.#frame !== null || this.#high >= 0) this.#stopAfterFrame = true;
    else this.#stopReading();
  }

  /** Closes the connection now, unsent replies and all. */
  destroy(): void {
    this.#socket.destroy();
  }

  readonly #onData = (chunk: Buffer): void => {
    if (this.#ending) return; // after the last query: read and drop until the client's FIN
    if (this.#rest !== null) {
      // Reading is paused while #rest is held, so this is rare; keep the order of bytes.
      chunk = Buffer.concat([this.#rest.subarray(this.#restOffset), chunk]);
      this.#rest = null;
    }
    this.#consume(chunk, 0);
  };

  /**
   * Splits a chunk into frames: a frame may span many chunks and a chunk may hold
   * many frames (RFC 7766 8: the length field and message may arrive in pieces).
   * A frame wholly inside the chunk is handed over as a view, without a copy.
   */
  #consume(chunk: Buffer, start: number): void {
    const end = chunk.length;
    let off = start;
    while (off < end) {
      if (this.#ending) return;
      if (this.#blocked) {
        this.#rest = chunk;
        this.#restOffset = off;
        return;
      }
      const frame = this.#frame;
      if (frame !== null) {
        const n = Math.min(frame.length - this.#filled, end - off);
        chunk.copy(frame, this.#filled, off, off + n);
        this.#filled += n;
        off += n;
        if (this.#filled === frame.length) {
          this.#frame = null;
          this.#dispatch(frame);
        }
        continue;
      }
      let len: number;
      if (this.#high >= 0) {
        len = (this.#high << 8) | chunk[off]!;
        this.#high = -1;
        off += 1;
      } else if (end - off >= 2) {
        len = chunk.readUInt16BE(off);
        off += 2;
      } else {
        this.#high = chunk[off]!;
        off += 1;
        continue;
      }
      // A zero length is still a message (an empty one): the engine answers FORMERR or nothing.
      if (end - off >= len) {
        this.#dispatch(chunk.subarray(off, off + len));
        off += len;
      } else {
        const next = Buffer.allocUnsafe(len);
        this.#filled = chunk.copy(next, 0, off, end);
        this.#frame = next;
        off = end;
      }
    }
  }

  #dispatch(request: Uint8Array): void {
    this.#queries++;
    this.#stats.tcpQueries++;
    // metrics: one request in LATENCY_SAMPLE_EVERY is timed (0 means not sampled); a late (forwarded) reply is not.
    const start = this.#responses.sample() ? performance.now() : 0;
    let reply: EngineReply | PromiseLike<EngineReply> | undefined;
    try {
      reply = this.#engine.handle(request, this.#ctx);
    } catch (err) {
      reportEngineError(this.#stats, this.#log, 'tcp', err);
    }
    if (reply === null) {
      this.#stats.tcpDropped++;
    } else if (reply instanceof Uint8Array) {
      this.#write(reply, true);
      if (start !== 0) this.#responses.observeSince(TransportSlot.tcp, start);
    } else if (reply === undefined) {
      // the engine threw: counted in engineErrors
    } else if (isPendingReply(reply)) {
      // RFC 7766 6.2.1.1: responses may be sent out of order; a late one goes out when ready.
      this.#pending++;
      void reply.then(this.#onLateReply, this.#onLateError);
    } else {
      this.#writeAll(reply);
    }
    const max = this.#limits.maxQueriesPerConnection;
    if (max > 0 && this.#queries >= max && !this.#ending) {
      this.#stats.tcpQueryLimitClosed++;
      this.#stopReading();
    }
    if (this.#stopAfterFrame) this.#stopReading();
  }

  readonly #onLateReply = (reply: EngineReply): void => {
    this.#pending--;
    if (reply instanceof Uint8Array) this.#write(reply, true);
    else if (reply !== null) this.#writeAll(reply);
    else this.#stats.tcpDropped++;
    this.#endIfDone();
  };

  readonly #onLateError = (err: unknown): void => {
    this.#pending--;
    reportEngineError(this.#stats, this.#log, 'tcp', err);
    this.#endIfDone();
  };

  #writeAll(replies: readonly Uint8Array[]): void {
    this.#socket.cork();
    // A zone transfer is one response of many messages: metrics count the first.
    for (let i = 0; i < replies.length; i++) this.#write(replies[i]!, i === 0);
    this.#socket.uncork();
  }

  /** Frames and writes one message; `counted` adds it to the response metrics. */
  #write(reply: Uint8Array, counted: boolean): void {
    if (this.#ended || this.#closed) return;
    if (!(reply instanceof Uint8Array) || reply.length > MAX_MESSAGE) {
      this.#stats.badReplies++;
      return;
    }
    const len = reply.length;
    // RFC 7766 8: "DNS clients and servers SHOULD pass the two-octet length
    // field, and the message described by that length field, to the TCP layer
    // at the same time (e.g., in a single "write" system call)".
    const out = Buffer.allocUnsafe(len + 2);
    out[0] = len >>> 8;
    out[1] = len & 0xff;
    out.set(reply, 2);
    this.#stats.tcpSent++;
    if (counted) {
      this.#responses.record(TransportSlot.tcp, reply);
      // [log] query_log: off, this branch is all it costs.
      if (this.#queryLog.rate !== 0) this.#queryLog.record('tcp', this.#ctx.remoteAddress, this.#ctx.remotePort, reply);
    }
    // The socket's high-water mark is tcpMaxPendingBytes (set on the server), so
    // false here means that many bytes wait unsent: stop reading until 'drain'.
    if (!this.#socket.write(out) && !this.#blocked && !this.#ending) {
      this.#blocked = true;
      this.#stats.tcpBackpressure++;
      this.#socket.pause();
    }
  }

  readonly #onDrain = (): void => {
    if (!this.#blocked) return;
    this.#blocked = false;
    const rest = this.#rest;
    if (rest !== null) {
      this.#rest = null;
      this.#consume(rest, this.#restOffset);
    }
    if (!this.#blocked) this.#socket.resume();
  };

  #stopReading(): void {
    if (this.#ending) return;
    this.#ending = true;
    this.#frame = null;
    this.#rest = null;
    // Keep reading (and dropping) so the client's FIN is seen and the socket can
    // close cleanly: closing with unread bytes would reset the connection and
    // could destroy replies the client has not read yet.
    if (this.#blocked) {
      this.#blocked = false;
      this.#socket.resume();
    }
    this.#endIfDone();
  }

  #endIfDone(): void {
    if (this.#ending && this.#pending === 0 && !this.#ended && !this.#closed) {
      this.#ended = true;
      this.#socket.end(); // FIN after the queued replies
    }
  }

  readonly #onEnd = (): void => {
    // The client sent FIN (allowHalfOpen): answer what is in flight, then close our side.
    this.#stopReading();
  };

  readonly #onTimeout = (): void => {
    this.#stats.tcpIdleClosed++;
    this.#socket.destroy();
  };

  readonly #onError = (): void => {
    // Resets and broken pipes concern this client only; 'close' follows.
    this.#stats.tcpErrors++;
  };

  readonly #onClose = (): void => {
    this.#closed = true;
    this.#frame = null;
    this.#rest = null;
    this.#stats.tcpOpen--;
    this.#onClosed(this);
  };
}
