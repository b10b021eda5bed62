// The transports with a fake engine: these tests are about moving bytes (framing,
// limits, backpressure, shutdown), not about DNS, so the engine just echoes the
// request with the QR bit set, or misbehaves on purpose.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect, createServer, type Socket } from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EngineReply, QueryEngine, RequestContext } from '../query/index.js';
import { createDnsServer, ServerError, type DnsServer, type DnsServerLimits, type UdpIo } from './index.js';
import { bindError } from './server-error.js';

const LIMITS: DnsServerLimits = { tcpIdleTimeoutMs: 5_000, tcpMaxConnections: 100, tcpMaxQueriesPerConnection: 0 };

/** A request of `size` bytes whose first two bytes are `id`. */
function request(id: number, size = 20): Uint8Array {
  const b = new Uint8Array(size);
  b[0] = id >>> 8;
  b[1] = id & 0xff;
  for (let i = 2; i < size; i++) b[i] = i & 0xff;
  return b;
}

/** The echo: a copy with QR set (so a test can tell a reply from its query). */
function echo(req: Uint8Array): Uint8Array {
  const out = Uint8Array.from(req);
  if (out.length > 2) out[2] = (out[2] ?? 0) | 0x80;
  return out;
}

interface FakeEngine extends QueryEngine {
  readonly seen: { bytes: Uint8Array; ctx: RequestContext }[];
}

function fakeEngine(reply: (req: Uint8Array) => EngineReply | Promise<EngineReply> = echo): FakeEngine {
  const seen: { bytes: Uint8Array; ctx: RequestContext }[] = [];
  return {
    seen,
    handle(bytes, ctx) {
      // A transport may reuse ctx for its next request (types.ts): keep a copy.
      seen.push({ bytes: Uint8Array.from(bytes), ctx: { transport: ctx.transport, remoteAddress: ctx.remoteAddress, remotePort: ctx.remotePort } });
      return reply(bytes);
    },
  };
}

async function started(engine: QueryEngine, limits: Partial<DnsServerLimits> = {}, hosts = ['127.0.0.1'], udpIo: UdpIo = 'auto'): Promise<DnsServer> {
  const server = createDnsServer({ listen: hosts.map((host) => ({ host, port: 0 })), engine, limits: { ...LIMITS, ...limits }, udpIo });
  await server.start();
  return server;
}

function portOf(server: DnsServer, host = '127.0.0.1'): number {
  const a = server.addresses().find((x) => x.host === host && x.transport === 'tcp');
  assert.ok(a, `no tcp address for ${host}`);
  return a.port;
}

/** Sends one datagram and waits for one reply (or null after timeoutMs). */
async function udpAsk(host: string, port: number, msg: Uint8Array, timeoutMs = 1_000): Promise<Buffer | null> {
  const sock = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  try {
    const reply = once(sock, 'message', { signal: AbortSignal.timeout(timeoutMs) }).then(
      ([m]) => m as Buffer,
      () => null,
    );
    sock.send(msg, port, host);
    return await reply;
  } finally {
    sock.close();
  }
}

function frame(msg: Uint8Array): Buffer {
  const out = Buffer.alloc(msg.length + 2);
  out.writeUInt16BE(msg.length, 0);
  out.set(msg, 2);
  return out;
}

/** A TCP client that collects framed replies. */
class FrameClient {
  readonly socket: Socket;
  readonly frames: Buffer[] = [];
  readonly closed: Promise<void>;
  #buf = Buffer.alloc(0);

  constructor(port: number, host = '127.0.0.1') {
    this.socket = connect({ port, host });
    this.socket.on('error', () => {});
    this.socket.on('data', (chunk: Buffer) => {
      this.#buf = Buffer.concat([this.#buf, chunk]);
      while (this.#buf.length >= 2) {
        const len = this.#buf.readUInt16BE(0);
        if (this.#buf.length < len + 2) break;
        this.frames.push(this.#buf.subarray(2, len + 2));
        this.#buf = this.#buf.subarray(len + 2);
      }
    });
    this.closed = once(this.socket, 'close').then(() => undefined);
  }

  async connected(): Promise<void> {
    await once(this.socket, 'connect');
  }

  async waitFrames(n: number, timeoutMs = 5_000): Promise<Buffer[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length < n && Date.now() < deadline) await sleep(5);
    return this.frames;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.socket.write(bytes)) await once(this.socket, 'drain');
  }
}

async function closedWithin(client: FrameClient, ms: number): Promise<boolean> {
  return Promise.race([client.closed.then(() => true), sleep(ms).then(() => false)]);
}

// Both UDP paths (docs/adr/0004-batched-udp.md); batched-udp-listener.test.ts has the batched path's own cases.
for (const udpIo of ['dgram', 'batched'] as const) describe(`udp (${udpIo})`, () => {
  it('answers over IPv4 and IPv6 on the same port as tcp', async () => {
    const engine = fakeEngine();
    const server = await started(engine, {}, ['127.0.0.1', '::1'], udpIo);
    try {
      const addrs = server.addresses();
      assert.equal(addrs.length, 4);
      for (const host of ['127.0.0.1', '::1']) {
        const udp = addrs.find((a) => a.host === host && a.transport === 'udp');
        const tcp = addrs.find((a) => a.host === host && a.transport === 'tcp');
        assert.ok(udp && tcp && udp.port > 0 && udp.port === tcp.port);
        const reply = await udpAsk(host, udp.port, request(0x1234));
        assert.deepEqual(reply, Buffer.from(echo(request(0x1234))));
      }
      assert.equal(engine.seen[0]?.ctx.transport, 'udp');
      assert.equal(engine.seen[1]?.ctx.remoteAddress, '::1');
      assert.equal(server.stats.udpSent, 2);
      assert.equal(server.udpPath, udpIo);
    } finally {
      await server.close();
    }
  });

  it('survives an engine that throws, and drops null and multi-message replies', async () => {
    let n = 0;
    const engine = fakeEngine((req) => {
      n++;
      if (n === 1) throw new Error('boom');
      if (n === 2) return null;
      if (n === 3) return [echo(req), echo(req)];
      return echo(req);
    });
    const server = await started(engine, {}, ['127.0.0.1'], udpIo);
    try {
      const port = portOf(server);
      assert.equal(await udpAsk('127.0.0.1', port, request(1), 200), null);
      assert.equal(await udpAsk('127.0.0.1', port, request(2), 200), null);
      assert.equal(await udpAsk('127.0.0.1', port, request(3), 200), null);
      assert.deepEqual(await udpAsk('127.0.0.1', port, request(4)), Buffer.from(echo(request(4))));
      assert.equal(server.stats.engineErrors, 1);
      assert.equal(server.stats.udpDropped, 2);
    } finally {
      await server.close();
    }
  });

  it('sends a reply that arrives later (a promise)', async () => {
    const engine = fakeEngine(async (req) => {
      await sleep(20);
      return echo(req);
    });
    const server = await started(engine, {}, ['127.0.0.1'], udpIo);
    try {
      assert.deepEqual(await udpAsk('127.0.0.1', portOf(server), request(7)), Buffer.from(echo(request(7))));
    } finally {
      await server.close();
    }
  });
});

describe('tcp framing', () => {
  it('reassembles a frame sent one byte at a time', async () => {
    const engine = fakeEngine();
    const server = await started(engine);
    try {
      const c = new FrameClient(portOf(server));
      await c.connected();
      c.socket.setNoDelay(true);
      const bytes = frame(request(42, 40));
      for (const b of bytes) {
        await c.write(Uint8Array.of(b));
        await sleep(1);
      }
      const [reply] = await c.waitFrames(1);
      assert.deepEqual(reply, Buffer.from(echo(request(42, 40))));
      assert.equal(engine.seen[0]?.ctx.transport, 'tcp');
      c.socket.destroy();
    } finally {
      await server.close();
    }
  });

  it('splits coalesced frames, including ones that straddle writes, and empty frames', async () => {
    const engine = fakeEngine((req) => (req.length === 0 ? Uint8Array.of(0xff) : echo(req)));
    const server = await started(engine);
    try {
      const c = new FrameClient(portOf(server));
      await c.connected();
      const all = Buffer.concat([frame(request(1)), frame(new Uint8Array(0)), frame(request(2, 300)), frame(request(3, 13))]);
      // First write ends inside the third frame's length prefix... then inside its body.
      await c.write(all.subarray(0, 25));
      await sleep(20);
      await c.write(all.subarray(25, 26));
      await sleep(20);
      await c.write(all.subarray(26, 200));
      await sleep(20);
      await c.write(all.subarray(200));
      const replies = await c.waitFrames(4);
      assert.equal(replies.length, 4);
      assert.deepEqual(replies[0], Buffer.from(echo(request(1))));
      assert.deepEqual(replies[1], Buffer.of(0xff));
      assert.deepEqual(replies[2], Buffer.from(echo(request(2, 300))));
      assert.deepEqual(replies[3], Buffer.from(echo(request(3, 13))));
      assert.equal(engine.seen[1]?.bytes.length, 0);
      c.socket.destroy();
    } finally {
      await server.close();
    }
  });

  it('accepts and answers a 65535-byte frame', async () => {
    const engine = fakeEngine();
    const server = await started(engine);
    try {
      const c = new FrameClient(portOf(server));
      await c.connected();
      await c.write(frame(request(9, 65_535)));
      const [reply] = await c.waitFrames(1);
      assert.equal(reply?.length, 65_535);
      assert.deepEqual(reply, Buffer.from(echo(request(9, 65_535))));
      c.socket.destroy();
    } finally {
      await server.close();
    }
  });

  it('answers 100 pipelined queries on one connection, in order', async () => {
    const server = await started(fakeEngine());
    try {
      const c = new FrameClient(portOf(server));
      await c.connected();
      const queries: Buffer[] = [];
      for (let i = 0; i < 100; i++) queries.push(frame(request(i, 20 + (i % 50))));
      await c.write(Buffer.concat(queries));
      const replies = await c.waitFrames(100);
      assert.equal(replies.length, 100);
      replies.forEach((r, i) => assert.deepEqual(r, Buffer.from(echo(request(i, 20 + (i % 50))))));
      c.socket.destroy();
    } finally {
      await server.close();
    }
  });

  it('writes every message of a multi-message reply and late replies when ready', async () => {
    const engine = fakeEngine(async (req) => {
      if (req[1] === 1) {
        await sleep(50);
        return echo(req);
      }
      return [echo(req), echo(req), echo(req)];
    });
    const server = await started(engine);
    try {
      const c = new FrameClient(portOf(server));
      await c.connected();
      await c.write(Buffer.concat([frame(request(1)), frame(request(2))]));
      const replies = await c.waitFrames(4);
      assert.equal(replies.length, 4);
      // RFC 7766 6.2.1.1: the slow reply may come last.
      assert.deepEqual(replies[3], Buffer.from(echo(request(1))));
      c.socket.destroy();
    } finally {
      await server.close();
    }
  });
});

describe('tcp limits', () => {
  it('closes an idle connection, and a half-open one that sent only a length prefix', async () => {
    const server = await started(fakeEngine(), { tcpIdleTimeoutMs: 150 });
    try {
      const idle = new FrameClient(portOf(server));
      const half = new FrameClient(portOf(server));
      await Promise.all([idle.connected(), half.connected()]);
      await half.write(Buffer.of(0x01, 0x00));
      assert.equal(await closedWithin(idle, 2_000), true);
      assert.equal(await closedWithin(half, 2_000), true);
      assert.equal(server.stats.tcpIdleClosed, 2);
    } finally {
      await server.close();
    }
  });

  it('keeps a connection that is in use past the idle timeout', async () => {
    const server = await started(fakeEngine(), { tcpIdleTimeoutMs: 200 });
    try {
      const c = new FrameClient(portOf(server));
      await c.connected();
      for (let i = 0; i < 6; i++) {
        await c.write(frame(request(i)));
        await c.waitFrames(i + 1);
        await sleep(100);
      }
      assert.equal(c.frames.length, 6);
      assert.equal(c.socket.destroyed, false);
      c.socket.destroy();
    } finally {
      await server.close();
    }
  });

  it('closes connections beyond tcpMaxConnections at once and serves the others', async () => {
    const server = await started(fakeEngine(), { tcpMaxConnections: 2 });
    try {
      const port = portOf(server);
      const a = new FrameClient(port);
      const b = new FrameClient(port);
      await Promise.all([a.connected(), b.connected()]);
      await sleep(50);
      const c = new FrameClient(port);
      assert.equal(await closedWithin(c, 2_000), true);
      assert.equal(server.stats.tcpRejected, 1);
      await a.write(frame(request(1)));
      await b.write(frame(request(2)));
      assert.equal((await a.waitFrames(1)).length, 1);
      assert.equal((await b.waitFrames(1)).length, 1);
      a.socket.destroy();
      await a.closed;
      await sleep(50);
      const d = new FrameClient(port);
      await d.connected();
      await d.write(frame(request(3)));
      assert.equal((await d.waitFrames(1)).length, 1, 'a slot freed by a close is usable again');
      b.socket.destroy();
      d.socket.destroy();
    } finally {
      await server.close();
    }
  });

  it('answers tcpMaxQueriesPerConnection queries and then closes', async () => {
    const engine = fakeEngine();
    const server = await started(engine, { tcpMaxQueriesPerConnection: 3 });
    try {
      const c = new FrameClient(portOf(server));
      await c.connected();
      await c.write(Buffer.concat([1, 2, 3, 4, 5].map((i) => frame(request(i)))));
      assert.equal(await closedWithin(c, 2_000), true);
      assert.equal(c.frames.length, 3);
      assert.equal(engine.seen.length, 3);
      assert.equal(server.stats.tcpQueryLimitClosed, 1);
    } finally {
      await server.close();
    }
  });

  it('stops reading while the client does not read, and loses no reply', async () => {
    const big = new Uint8Array(60_000);
    const engine = fakeEngine((req) => {
      const out = Uint8Array.from(big);
      out[0] = req[0] ?? 0;
      out[1] = req[1] ?? 0;
      return out;
    });
    const server = await started(engine, { tcpMaxPendingBytes: 64 * 1024 });
    try {
      const c = new FrameClient(portOf(server));
      await c.connected();
      c.socket.pause();
      const n = 300; // 18 MB of replies: far more than socket buffers hold
      const all = Buffer.concat(Array.from({ length: n }, (_, i) => frame(request(i))));
      c.socket.write(all);
      await sleep(300);
      assert.ok(server.stats.tcpBackpressure > 0, 'the server paused reading');
      assert.ok(engine.seen.length < n, `the server stopped asking the engine (${engine.seen.length})`);
      c.socket.resume();
      const replies = await c.waitFrames(n, 20_000);
      assert.equal(replies.length, n);
      replies.forEach((r, i) => assert.equal(r.readUInt16BE(0), i));
      c.socket.destroy();
    } finally {
      await server.close();
    }
  });
});

describe('start and close', () => {
  for (const udpIo of ['dgram', 'batched'] as const) it(`names the address and the likely culprit when the port is in use (${udpIo})`, async () => {
    const first = await started(fakeEngine());
    try {
      const port = portOf(first);
      const second = createDnsServer({ listen: [{ host: '127.0.0.1', port }], engine: fakeEngine(), limits: LIMITS, udpIo });
      await assert.rejects(second.start(), (err: unknown) => {
        assert.ok(err instanceof ServerError);
        assert.equal(err.code, 'ADDRESS_IN_USE');
        assert.match(err.message, new RegExp(`^127\\.0\\.0\\.1:${port} \\(udp\\) is already in use`));
        assert.match(err.message, /ss -ulpn 'sport = :\d+'/);
        assert.match(err.message, /\[dns\] listen_addr/);
        return true;
      });
    } finally {
      await first.close();
    }
  });

  it('closes the udp socket it opened when tcp cannot bind', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = (blocker.address() as { port: number }).port;
    try {
      const server = createDnsServer({ listen: [{ host: '127.0.0.1', port }], engine: fakeEngine(), limits: LIMITS });
      await assert.rejects(server.start(), (err: unknown) => {
        assert.ok(err instanceof ServerError && err.code === 'ADDRESS_IN_USE');
        assert.match(err.message, /\(tcp\) is already in use.*ss -tlpn/);
        return true;
      });
      const probe = createSocket('udp4');
      probe.bind(port, '127.0.0.1');
      await once(probe, 'listening'); // would fail with EADDRINUSE if the udp socket leaked
      probe.close();
    } finally {
      blocker.close();
    }
  });

  it('explains port 53, missing privileges and foreign addresses', async () => {
    const inUse = bindError(Object.assign(new Error('x'), { code: 'EADDRINUSE' }), 'udp', '127.0.0.1', 53);
    assert.equal(
      inUse.message,
      `127.0.0.1:53 (udp) is already in use: another DNS server (named, unbound, dnsmasq) or systemd-resolved on ` +
        `127.0.0.53:53 may hold it; find it with "ss -ulpn 'sport = :53'" and stop it, or set [dns] listen_addr to a free address`,
    );
    const denied = bindError(Object.assign(new Error('x'), { code: 'EACCES' }), 'tcp', '::', 53);
    assert.equal(denied.code, 'PERMISSION_DENIED');
    assert.match(denied.message, /^\[::\]:53 \(tcp\) cannot be bound: .*CAP_NET_BIND_SERVICE.*1024/);
    const server = createDnsServer({ listen: [{ host: '192.0.2.1', port: 0 }], engine: fakeEngine(), limits: LIMITS });
    await assert.rejects(server.start(), (err: unknown) => err instanceof ServerError && err.code === 'ADDRESS_NOT_AVAILABLE');
    const bad = createDnsServer({ listen: [{ host: 'localhost', port: 53 }], engine: fakeEngine(), limits: LIMITS });
    await assert.rejects(bad.start(), (err: unknown) => err instanceof ServerError && err.code === 'INVALID_ADDRESS');
  });

  it('lets a reply in flight finish within the grace period', async () => {
    const engine = fakeEngine(async (req) => {
      await sleep(100);
      return echo(req);
    });
    const server = await started(engine);
    const c = new FrameClient(portOf(server));
    await c.connected();
    await c.write(frame(request(5)));
    await sleep(20);
    const t0 = Date.now();
    await server.close(2_000);
    assert.ok(Date.now() - t0 < 1_000);
    await c.waitFrames(1, 1_000);
    assert.equal(c.frames.length, 1);
    assert.equal(await closedWithin(c, 1_000), true);
  });

  it('cuts what is still pending when the grace period ends', async () => {
    const engine = fakeEngine(() => new Promise<EngineReply>(() => {}));
    const server = await started(engine);
    const c = new FrameClient(portOf(server));
    await c.connected();
    await c.write(frame(request(5)));
    await sleep(20);
    const t0 = Date.now();
    await server.close(100);
    assert.ok(Date.now() - t0 < 1_000);
    assert.equal(await closedWithin(c, 1_000), true);
  });

  it('reads and answers a query partly received when close begins, refusing new connections meanwhile', async () => {
    const server = await started(fakeEngine());
    const port = portOf(server);
    const c = new FrameClient(port);
    await c.connected();
    const second = frame(request(7));
    await c.write(Buffer.concat([frame(request(6)), second.subarray(0, 5)]));
    await c.waitFrames(1);
    const closing = server.close(2_000);
    await sleep(50);
    const late = connect({ port, host: '127.0.0.1' });
    const [refused] = (await once(late, 'error')) as [NodeJS.ErrnoException];
    assert.equal(refused.code, 'ECONNREFUSED');
    await c.write(second.subarray(5));
    await c.waitFrames(2);
    assert.deepEqual(c.frames.map((f) => f.readUInt16BE(0)), [6, 7]);
    assert.equal(await closedWithin(c, 1_000), true);
    assert.deepEqual(await closing, { tcpConnections: 0, udpReplies: 0 });
  });

  it('cuts a query still partly received at the end of the grace period and reports it', async () => {
    const server = await started(fakeEngine());
    const c = new FrameClient(portOf(server));
    await c.connected();
    await c.write(frame(request(8)).subarray(0, 6));
    await sleep(20);
    const t0 = Date.now();
    assert.deepEqual(await server.close(200), { tcpConnections: 1, udpReplies: 0 });
    assert.ok(Date.now() - t0 < 1_000);
    assert.equal(await closedWithin(c, 1_000), true);
  });

  it('does not wait for a connection that owes nothing, nor keep udp open meanwhile', async () => {
    const server = await started(fakeEngine(), { tcpIdleTimeoutMs: 60_000 });
    const port = portOf(server);
    const idle = new FrameClient(port);
    await idle.connected();
    const t0 = Date.now();
    assert.deepEqual(await server.close(5_000), { tcpConnections: 0, udpReplies: 0 });
    assert.ok(Date.now() - t0 < 1_000, `close took ${Date.now() - t0} ms`);
    assert.equal(await udpAsk('127.0.0.1', port, request(9), 200), null);
  });

  it('leaves no socket or timer behind after close', async () => {
    const kinds = (): string[] =>
      process.getActiveResourcesInfo().filter((k) => k === 'UDPWrap' || k === 'TCPServerWrap' || k === 'TCPSocketWrap');
    await sleep(100); // let sockets of earlier tests finish closing
    const before = kinds().length;
    const server = await started(fakeEngine(), { tcpIdleTimeoutMs: 60_000 }, ['127.0.0.1', '::1'], 'dgram');
    const idle = new FrameClient(portOf(server));
    await idle.connected();
    assert.ok(kinds().length >= before + 5, `${before} ${kinds().join()}`);
    await server.close(50);
    await idle.closed;
    await sleep(10);
    assert.equal(kinds().length, before);
    assert.deepEqual(server.addresses(), []);
    assert.equal(server.stats.tcpOpen, 0);
  });

  it('closes the batched udp socket: its port can be bound again', async () => {
    const server = await started(fakeEngine(), {}, ['127.0.0.1', '::1'], 'batched');
    const ports = { '127.0.0.1': portOf(server), '::1': portOf(server, '::1') };
    assert.deepEqual(await udpAsk('::1', ports['::1'], request(3)), Buffer.from(echo(request(3))));
    await server.close(50);
    for (const [type, host] of [['udp4', '127.0.0.1'], ['udp6', '::1']] as const) {
      const port = ports[host];
      const probe = createSocket({ type, ipv6Only: type === 'udp6' });
      probe.bind(port, host);
      await once(probe, 'listening'); // EADDRINUSE if the native socket were still open
      probe.close();
    }
  });
});
