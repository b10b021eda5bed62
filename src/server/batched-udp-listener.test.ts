// The batched UDP path (native/mcns_udp.c, docs/adr/0004-batched-udp.md) over real
// loopback sockets: many datagrams per batch from many clients must each get their
// own reply at their own address, a reply that comes after its batch must still
// find its client, and what the engine is shown must be exactly the datagram.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EngineReply, QueryEngine, RequestContext } from '../query/index.js';
import { createDnsServer, ServerError, type DnsServer } from './index.js';
import { loadNativeUdp } from './native-udp.js';

const LIMITS = { tcpIdleTimeoutMs: 5_000, tcpMaxConnections: 100, tcpMaxQueriesPerConnection: 0 };

/** A request: the ID, then `tag` so a reply can be matched to its sender, then filler up to `size`. */
function request(id: number, tag: number, size = 24): Buffer {
  const b = Buffer.alloc(size, 0x5a);
  b.writeUInt16BE(id, 0);
  b.writeUInt16BE(tag, 2);
  return b;
}

/** Replies with the request (QR set in its third byte) and the port the engine was told. */
function echoWithPort(req: Uint8Array, ctx: RequestContext): Uint8Array {
  const out = new Uint8Array(req.length + 2);
  out.set(req);
  out[2] = out[2]! | 0x80;
  out[req.length] = ctx.remotePort >>> 8;
  out[req.length + 1] = ctx.remotePort & 0xff;
  return out;
}

async function serve(engine: QueryEngine, hosts = ['127.0.0.1']): Promise<{ server: DnsServer; port: number }> {
  // One port for every host, so that a client need not know which it is talking to.
  for (let attempt = 0; ; attempt++) {
    const probe = createDnsServer({ listen: [{ host: hosts[0]!, port: 0 }], engine, limits: LIMITS, udpIo: 'batched' });
    await probe.start();
    const port = probe.addresses()[0]!.port;
    await probe.close(0);
    const server = createDnsServer({ listen: hosts.map((host) => ({ host, port })), engine, limits: LIMITS, udpIo: 'batched' });
    try {
      await server.start();
    } catch (err) {
      if (attempt < 5 && err instanceof ServerError && err.code === 'ADDRESS_IN_USE') continue;
      throw err;
    }
    assert.equal(server.udpPath, 'batched');
    return { server, port };
  }
}

async function client(type: 'udp4' | 'udp6'): Promise<Socket> {
  const sock = createSocket(type);
  sock.bind(0);
  await once(sock, 'listening');
  sock.setRecvBufferSize(4 * 1024 * 1024);
  return sock;
}

/** Collects datagrams on `sock` until `n` have come or `timeoutMs` passes. */
async function collect(sock: Socket, n: number, timeoutMs = 5_000): Promise<Buffer[]> {
  const got: Buffer[] = [];
  const onMessage = (m: Buffer): void => {
    got.push(m);
  };
  sock.on('message', onMessage);
  const deadline = Date.now() + timeoutMs;
  while (got.length < n && Date.now() < deadline) await sleep(5);
  sock.off('message', onMessage);
  return got;
}

describe('batched udp', () => {
  it('is built here (CI requires it: MCNS_REQUIRE_NATIVE=1)', () => {
    const load = loadNativeUdp();
    assert.equal(load.reason, null);
    assert.ok(load.module !== null && load.module.BATCH > 1);
  });

  it('answers bursts from many clients, each reply at its own client, over IPv4 and IPv6', async () => {
    const seen = new Set<string>();
    const engine: QueryEngine = {
      handle(req, ctx) {
        seen.add(ctx.remoteAddress);
        return echoWithPort(req, ctx);
      },
    };
    const { server, port } = await serve(engine, ['127.0.0.1', '::1']);
    const perClient = 300;
    try {
      const clients = await Promise.all([client('udp4'), client('udp4'), client('udp6'), client('udp6')]);
      const hosts = ['127.0.0.1', '127.0.0.1', '::1', '::1'];
      const replies = clients.map((sock) => collect(sock, perClient));
      // No waiting between sends: the server's socket queue fills and is read in batches.
      for (let i = 0; i < perClient; i++) {
        clients.forEach((sock, c) => sock.send(request(i, c), port, hosts[c]));
      }
      const got = await Promise.all(replies);
      for (let c = 0; c < clients.length; c++) {
        const ownPort = clients[c]!.address().port;
        assert.equal(got[c]!.length, perClient, `client ${c} got ${got[c]!.length} replies`);
        const ids = new Set<number>();
        for (const reply of got[c]!) {
          assert.equal(reply.readUInt16BE(2) & 0x7fff, c, 'a reply reached the wrong client');
          assert.equal(reply.readUInt16BE(reply.length - 2), ownPort, 'the engine was told the wrong port');
          assert.deepEqual(reply.subarray(4, 24), request(0, c).subarray(4, 24));
          ids.add(reply.readUInt16BE(0));
        }
        assert.equal(ids.size, perClient);
        clients[c]!.close();
      }
      assert.deepEqual(seen, new Set(['127.0.0.1', '::1']));
      assert.equal(server.stats.udpReceived, 4 * perClient);
      assert.equal(server.stats.udpSent, 4 * perClient);
      assert.equal(server.stats.udpErrors, 0);
    } finally {
      await server.close();
    }
  });

  it('shows the engine exactly each datagram, from empty to 60,000 bytes', async () => {
    const lengths: number[] = [];
    const engine: QueryEngine = {
      handle(req) {
        lengths.push(req.length);
        if (req.length < 4) return null;
        const out = Uint8Array.from(req);
        out[2] = out[2]! | 0x80;
        return out;
      },
    };
    const { server, port } = await serve(engine);
    try {
      const sock = await client('udp4');
      const sizes = [0, 3, 12, 512, 4_096, 60_000, 13];
      const pending = collect(sock, sizes.length - 2);
      for (const [i, size] of sizes.entries()) sock.send(size === 0 ? Buffer.alloc(0) : request(i, 7, Math.max(size, 4)).subarray(0, size), port, '127.0.0.1');
      const got = await pending;
      sock.close();
      assert.deepEqual(lengths, sizes);
      assert.deepEqual(got.map((r) => r.length).sort((a, b) => a - b), [12, 13, 512, 4_096, 60_000]);
      const big = got.find((r) => r.length === 60_000)!;
      assert.deepEqual(big.subarray(3), request(5, 7, 60_000).subarray(3));
      assert.equal(server.stats.udpDropped, 2);
    } finally {
      await server.close();
    }
  });

  it('sends a reply that comes after its batch to its own client, though later batches reused the slot', async () => {
    let first = true;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const engine: QueryEngine = {
      handle(req, ctx) {
        if (first) {
          first = false;
          const reply = echoWithPort(req, ctx);
          return gate.then((): EngineReply => reply);
        }
        return echoWithPort(req, ctx);
      },
    };
    const { server, port } = await serve(engine, ['::1']);
    try {
      const late = await client('udp6');
      const others = await client('udp6');
      const lateReply = collect(late, 1);
      late.send(request(1, 1), port, '::1');
      await sleep(20);
      // Fill the slots again from another client before the first reply is ready.
      const otherReplies = collect(others, 100);
      for (let i = 0; i < 100; i++) others.send(request(100 + i, 2), port, '::1');
      assert.equal((await otherReplies).length, 100);
      assert.equal(server.stats.udpSent, 100);
      release();
      const [reply] = await lateReply;
      assert.ok(reply !== undefined, 'the late reply never came');
      assert.equal(reply.readUInt16BE(0), 1);
      assert.equal(reply.readUInt16BE(reply.length - 2), late.address().port);
      assert.equal(server.stats.udpSent, 101);
      late.close();
      others.close();
    } finally {
      await server.close();
    }
  });

  it('waits for a reply in flight when closing, and sends it', async () => {
    const engine: QueryEngine = {
      handle(req, ctx) {
        const reply = echoWithPort(req, ctx);
        return sleep(100).then((): EngineReply => reply);
      },
    };
    const { server, port } = await serve(engine);
    const sock = await client('udp4');
    const replies = collect(sock, 1);
    sock.send(request(9, 9), port, '127.0.0.1');
    await sleep(20);
    assert.deepEqual(await server.close(2_000), { tcpConnections: 0, udpReplies: 0 });
    assert.equal((await replies).length, 1);
    sock.close();
  });

  it('refuses to start with udp_io = "batched" when the module is missing, and says how to fix it', async () => {
    const server = createDnsServer({
      listen: [{ host: '127.0.0.1', port: 0 }], engine: { handle: () => null }, limits: LIMITS, udpIo: 'batched',
      nativeUdpPath: '/nonexistent/mcns_udp.node',
    });
    await assert.rejects(server.start(), (err: unknown) => {
      assert.ok(err instanceof ServerError);
      assert.equal(err.code, 'BATCHED_UDP_UNAVAILABLE');
      assert.match(err.message, /^\[dns\] udp_io = "batched" cannot be used: \/nonexistent\/mcns_udp\.node is not built; run "npm run build:native"/);
      assert.match(err.message, /udp_io = "auto"/);
      return true;
    });
    const logged: string[] = [];
    const log = { info: (m: string) => logged.push(m), warn: (m: string) => logged.push(m), error: (m: string) => logged.push(m) };
    const fallback = createDnsServer({
      listen: [{ host: '127.0.0.1', port: 0 }], engine: { handle: () => null }, limits: LIMITS, udpIo: 'auto',
      nativeUdpPath: '/nonexistent/mcns_udp.node', log,
    });
    await fallback.start();
    try {
      assert.equal(fallback.udpPath, 'dgram');
      assert.ok(logged.some((m) => /^udp: using Node's dgram socket, not the batched one: .*not built/.test(m)), logged.join('\n'));
      assert.ok(logged.some((m) => m.startsWith('dns listening on udp (dgram) and tcp 127.0.0.1:')), logged.join('\n'));
    } finally {
      await fallback.close();
    }
  });
});
