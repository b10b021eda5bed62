// DNS over UDP on one address, many datagrams at a time (docs/adr/0004-batched-udp.md).
// The native module reads up to BATCH datagrams with one recvmmsg into `input`'s
// slots and calls #onBatch once; each reply is written into `out` and its place
// noted in `meta`, and the module sends them all with one sendmmsg when #onBatch
// returns. Same contract as udp-listener.ts: the engine has fitted every reply,
// and no error escapes the batch.
import type { EngineReply, QueryEngine, RequestContext } from '../query/index.js';
import { isPendingReply } from './is-pending-reply.js';
import type { NativeUdp, NativeUdpHandle } from './native-udp.js';
import type { QueryLog } from './query-log.js';
import { TransportSlot, type ResponseStats } from './response-stats.js';
import { reportEngineError, type ServerLog } from './server-log.js';
import type { ServerStats } from './server-stats.js';
import { UDP_SOCKET_BUFFER_BYTES, type UdpTransport } from './udp-listener.js';

/** Bytes per datagram slot: the largest UDP payload fits, so no query is ever cut. */
const SLOT = 65_536;

/**
 * The request context of the datagram being handled: one object per listener,
 * moved from datagram to datagram (the engine reads it synchronously, types.ts).
 * The address is formatted only when read: on the authoritative path nobody does.
 */
class DatagramContext implements RequestContext {
  readonly transport = 'udp' as const;
  #index = 0;
  #address: string | null = null;
  readonly #native: NativeUdp;
  readonly #addrs: Buffer;
  readonly #slot: number;
  readonly #copy: number;

  constructor(native: NativeUdp, addrs: Buffer) {
    this.#native = native;
    this.#addrs = addrs;
    this.#slot = native.ADDR_SLOT;
    this.#copy = native.ADDR_COPY;
  }

  moveTo(index: number): void {
    this.#index = index;
    this.#address = null;
  }

  get remoteAddress(): string {
    return (this.#address ??= this.#native.addressOf(this.#addrs, this.#index));
  }

  /** sin_port and sin6_port sit at the same place, in network order. */
  get remotePort(): number {
    const at = this.#index * this.#slot;
    return (this.#addrs[at + 2]! << 8) | this.#addrs[at + 3]!;
  }

  /** A copy of the client's address and the one it asked (wildcard sockets), for a reply sent after the batch. */
  copyAddress(): Buffer {
    const at = this.#index * this.#slot;
    return Buffer.from(this.#addrs.subarray(at, at + this.#copy));
  }
}

/** One UDP socket of the native module handing every datagram to the query engine. */
export class BatchedUdpListener implements UdpTransport {
  readonly #native: NativeUdp;
  readonly #engine: QueryEngine;
  readonly #stats: ServerStats;
  readonly #responses: ResponseStats;
  readonly #log: ServerLog;
  readonly #queryLog: QueryLog;
  readonly #batch: number;
  readonly #input: Buffer;
  readonly #out: Buffer;
  readonly #meta: Int32Array;
  readonly #addrs: Buffer;
  readonly #ctx: DatagramContext;
  #handle: NativeUdpHandle | null = null;
  #closing = false;
  #pending = 0;
  #closedPromise: Promise<void> | null = null;

  constructor(native: NativeUdp, engine: QueryEngine, stats: ServerStats, responses: ResponseStats, log: ServerLog, queryLog: QueryLog) {
    this.#native = native;
    this.#engine = engine;
    this.#stats = stats;
    this.#responses = responses;
    this.#log = log;
    this.#queryLog = queryLog;
    this.#batch = native.BATCH;
    // Untouched pages cost no memory: a slot is only written as far as its datagram goes.
    this.#input = Buffer.allocUnsafeSlow(this.#batch * SLOT);
    this.#out = Buffer.allocUnsafeSlow(this.#batch * SLOT);
    this.#meta = new Int32Array(native.META_LEN);
    this.#addrs = Buffer.alloc(this.#batch * native.ADDR_SLOT);
    this.#ctx = new DatagramContext(native, this.#addrs);
  }

  bind(host: string, port: number): Promise<number> {
    try {
      const [handle, bound] = this.#native.open(host, port, this.#onBatch, this.#input, SLOT, this.#out, this.#meta, this.#addrs, UDP_SOCKET_BUFFER_BYTES);
      this.#handle = handle;
      return Promise.resolve(bound);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  get pending(): number {
    return this.#pending;
  }

  stopReceiving(): void {
    this.#closing = true;
  }

  close(): Promise<void> {
    if (this.#closedPromise !== null) return this.#closedPromise;
    this.#closing = true;
    const handle = this.#handle;
    this.#closedPromise = handle === null
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
        this.#native.close(handle, () => {
          this.#collectErrors();
          resolve();
        });
      });
    return this.#closedPromise;
  }

  /** The module counts failed sends and reads in `meta`; they join the listener's counters here. */
  #collectErrors(): void {
    const meta = this.#meta;
    const at = 3 * this.#batch;
    const errors = meta[at]! + meta[at + 1]!;
    if (errors !== 0) {
      this.#stats.udpErrors += errors;
      meta[at] = 0;
      meta[at + 1] = 0;
    }
  }

  // Created once per listener (STYLE.md rule 8). The module has set every reply length to 0.
  readonly #onBatch = (count: number): void => {
    this.#collectErrors();
    if (this.#closing) return;
    const stats = this.#stats;
    const meta = this.#meta;
    const batch = this.#batch;
    const input = this.#input;
    const ctx = this.#ctx;
    let outAt = 0;
    for (let i = 0; i < count; i++) {
      const length = meta[i]!;
      stats.udpReceived++;
      if (length < 0) {
        stats.udpDropped++; // larger than a slot: cannot happen over UDP, counted if it does
        continue;
      }
      const start = this.#responses.sample() ? performance.now() : 0;
      ctx.moveTo(i);
      let reply: EngineReply | PromiseLike<EngineReply>;
      try {
        reply = this.#engine.handle(input.subarray(i * SLOT, i * SLOT + length), ctx);
      } catch (err) {
        reportEngineError(stats, this.#log, 'udp', err);
        continue;
      }
      if (reply === null) {
        stats.udpDropped++;
      } else if (reply instanceof Uint8Array) {
        if (reply.length > 65_535 || reply.length === 0) {
          stats.badReplies++; // length 0 is how `meta` says "no reply"
          continue;
        }
        this.#out.set(reply, outAt);
        meta[batch + i] = outAt;
        meta[2 * batch + i] = reply.length;
        outAt += reply.length;
        this.#sent(reply, start);
        // [log] query_log: off, this branch is all it costs.
        if (this.#queryLog.rate !== 0) this.#queryLog.record('udp', ctx.remoteAddress, ctx.remotePort, reply);
      } else if (isPendingReply(reply)) {
        this.#sendLater(reply, ctx.copyAddress(), start);
      } else {
        // Several messages are a zone transfer, which is TCP only (RFC 5936 4.2).
        stats.udpDropped++;
      }
    }
  };

  // A batch's replies are counted when written: the module sends them after #onBatch
  // returns and counts a failure in meta.
  #sent(reply: Uint8Array, start: number): void {
    this.#stats.udpSent++;
    this.#responses.record(TransportSlot.udp, reply);
    if (start !== 0) this.#responses.observeSince(TransportSlot.udp, start);
  }

  // Forwarded queries only: their reply goes out alone, after the batch is gone.
  #sendLater(reply: PromiseLike<EngineReply>, address: Buffer, start: number): void {
    this.#pending++;
    const port = (address[2]! << 8) | address[3]!;
    const text = this.#queryLog.rate !== 0 ? this.#ctx.remoteAddress : '';
    void reply.then(
      (result) => {
        this.#pending--;
        if (!(result instanceof Uint8Array)) {
          this.#stats.udpDropped++;
          return;
        }
        const handle = this.#handle;
        if (handle === null || this.#closedPromise !== null) return;
        if (result.length > 65_535) {
          this.#stats.badReplies++;
          return;
        }
        if (this.#native.sendTo(handle, result, address) !== 0) {
          this.#stats.udpErrors++;
          return;
        }
        this.#sent(result, start);
        if (this.#queryLog.rate !== 0) this.#queryLog.record('udp', text, port, result);
      },
      (err: unknown) => {
        this.#pending--;
        reportEngineError(this.#stats, this.#log, 'udp', err);
      },
    );
  }
}
