// Throws broken packets at the real mcns process: 100,000 mutated and random UDP
// datagrams, garbage over TCP, half-open and idle connections. Afterwards the same
// process (same PID, never exited) must still answer a normal query correctly.
// The seed is printed; rerun with MCNS_FUZZ_SEED=<seed> to replay.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import dnsPacket from 'dns-packet';
import { buildQuery, decodeReply, queryTcp, queryUdp } from './helpers/dns-client.js';
import { startMcns, type McnsProcess } from './helpers/start-mcns.js';

const ZONE = `$ORIGIN example.com.
$TTL 3600
@        IN SOA   ns1 hostmaster 1 7200 3600 1209600 300
@        IN NS    ns1
@        IN MX    10 mail
ns1      IN A     192.0.2.53
mail     IN A     192.0.2.25
www      IN A     192.0.2.1
www      IN AAAA  2001:db8::1
alias    IN CNAME www
*.wild   IN TXT   "wildcard"
sub      IN NS    ns.sub
ns.sub   IN A     192.0.2.99
big      IN TXT   "${'a'.repeat(250)}"
big      IN TXT   "${'b'.repeat(250)}"
big      IN TXT   "${'c'.repeat(250)}"
`;

/** How many UDP datagrams to send, and the time they may take. */
const UDP_PACKETS = 100_000;
const UDP_BUDGET_MS = 60_000;
/** Datagrams sent before waiting for the replies to settle: a small window, so the test measures the server and not packet loss. */
const UDP_WINDOW = 64;
const IDLE_TIMEOUT_S = 2;

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const seed = Number(process.env['MCNS_FUZZ_SEED'] ?? Date.now() % 1_000_000_007);
const rand = rng(seed);
const int = (n: number): number => Math.floor(rand() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
const randomBytes = (n: number): Buffer => {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = int(256);
  return b;
};

/** Valid queries to start from: in and out of the zone, with and without EDNS, several types and opcodes. */
function corpus(): Buffer[] {
  const names = ['example.com', 'www.example.com', 'WwW.eXample.COM', 'alias.example.com', 'x.wild.example.com',
    'host.sub.example.com', 'nope.example.com', 'big.example.com', 'example.org', '.'];
  const types: dnsPacket.RecordType[] = ['A', 'AAAA', 'MX', 'TXT', 'NS', 'SOA', 'CNAME', 'ANY' as dnsPacket.RecordType, 'AXFR', 'DS'];
  const out: Buffer[] = [];
  for (const name of names) {
    for (const type of types) {
      out.push(buildQuery(name, type, { udpSize: null }));
      out.push(buildQuery(name, type, { udpSize: pick([512, 1232, 4096, 65_535]) }));
    }
  }
  // Other opcodes (IQUERY, STATUS, NOTIFY, UPDATE) and header bits set.
  for (const opcode of [1, 2, 4, 5, 15]) {
    const q = buildQuery('example.com', 'SOA');
    q[2] = (q[2]! & 0x87) | (opcode << 3);
    out.push(q);
  }
  return out;
}

/** Byte offset of the record section after the question, when the packet has one plain question. */
function afterQuestion(p: Buffer): number {
  let off = 12;
  while (off < p.length && p[off]! !== 0 && p[off]! < 64) off += p[off]! + 1;
  return Math.min(p.length, off + 5);
}

/** A query whose name is a compression pointer loop (RFC 1035 4.1.4 pointers must point backwards). */
function pointerLoop(): Buffer {
  const head = randomBytes(12);
  head[2] = head[2]! & 0x7f; // a query
  head.writeUInt16BE(1 + int(2), 4);
  head.writeUInt32BE(0, 6);
  head.writeUInt16BE(int(2), 10);
  const shapes = [
    Buffer.of(0xc0, 0x0c, 0, 1, 0, 1), // points at itself
    Buffer.of(0x03, 0x61, 0x62, 0x63, 0xc0, 0x0c, 0, 1, 0, 1), // abc, then back to abc
    Buffer.of(0xc0, 0x0e, 0xc0, 0x0c, 0, 1, 0, 1), // two pointers at each other
    Buffer.of(0xc0, 0x20, 0, 1, 0, 1), // forward pointer past the end
    Buffer.of(0x01, 0x61, 0xc0, 0x12, 0x01, 0x62, 0xc0, 0x0c, 0, 1, 0, 1), // a -> b -> a
  ];
  const body = pick(shapes);
  // Sometimes an OPT or answer whose owner is a looping pointer too.
  const extra = rand() < 0.5 ? Buffer.of(0xc0, 0x0c, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0) : Buffer.alloc(0);
  return Buffer.concat([head, body, extra]);
}

/** An OPT record with random fields and options, some of them lying about their length. */
function randomOpt(): Buffer {
  const options: Buffer[] = [];
  for (let i = int(4); i > 0; i--) {
    const data = randomBytes(int(40));
    const o = Buffer.alloc(4);
    o.writeUInt16BE(pick([3, 8, 10, 11, 12, 15, int(65_536)]), 0);
    o.writeUInt16BE(rand() < 0.8 ? data.length : int(65_536), 2);
    options.push(o, data);
  }
  const rdata = Buffer.concat(options);
  const rr = Buffer.alloc(11);
  rr[0] = rand() < 0.9 ? 0 : int(256); // owner: the root, or not
  rr.writeUInt16BE(41, 1);
  rr.writeUInt16BE(pick([0, 1, 511, 512, 1232, 4096, 65_535, int(65_536)]), 3); // udp size
  rr[5] = rand() < 0.8 ? 0 : int(256); // extended rcode
  rr[6] = rand() < 0.7 ? 0 : int(4); // version
  rr.writeUInt16BE(int(65_536), 7); // DO and Z
  rr.writeUInt16BE(rand() < 0.8 ? rdata.length : int(65_536), 9);
  return Buffer.concat([rr, rdata]);
}

/** One packet to send, and its kind (for the report). */
function mutant(base: readonly Buffer[]): { kind: string; bytes: Buffer } {
  const src = Buffer.from(pick(base));
  const k = int(10);
  switch (k) {
    case 0: {
      for (let i = 1 + int(8); i > 0; i--) {
        const at = int(src.length);
        src[at] = (src[at] ?? 0) ^ (1 << int(8));
      }
      return { kind: 'bit flips', bytes: src };
    }
    case 1:
      return { kind: 'truncated', bytes: src.subarray(0, int(src.length)) };
    case 2:
      return { kind: 'extended', bytes: Buffer.concat([src, randomBytes(1 + int(100))]) };
    case 3: {
      for (const at of [4, 6, 8, 10]) if (rand() < 0.5) src.writeUInt16BE(pick([0, 1, 2, 255, int(65_536)]), at);
      return { kind: 'header counts', bytes: src };
    }
    case 4:
      return { kind: 'pointer loop', bytes: pointerLoop() };
    case 5: {
      const plain = src.subarray(0, afterQuestion(src));
      const q = Buffer.concat([plain, randomOpt()]);
      q.writeUInt16BE(rand() < 0.8 ? 1 : int(4), 10);
      q.writeUInt16BE(0, 6);
      q.writeUInt16BE(0, 8);
      return { kind: 'random OPT', bytes: q };
    }
    case 6:
      return { kind: 'random', bytes: randomBytes(int(600)) };
    case 7: {
      const q = randomBytes(12 + int(300));
      q[2] = q[2]! & 0x7f; // random, but shaped as a query
      q.writeUInt16BE(1, 4);
      return { kind: 'random query', bytes: q };
    }
    case 8: {
      for (let i = 1 + int(6); i > 0; i--) src[int(src.length)] = int(256);
      return { kind: 'byte overwrite', bytes: src };
    }
    default: {
      const other = pick(base);
      const cut = int(src.length);
      return { kind: 'splice', bytes: Buffer.concat([src.subarray(0, cut), other.subarray(int(other.length))]) };
    }
  }
}

/** Offset just past the name at `off`, or -1 if it runs off the end or uses a reserved label type. */
function skipName(p: Buffer, off: number): number {
  while (off < p.length) {
    const len = p[off]!;
    if (len === 0) return off + 1;
    if ((len & 0xc0) === 0xc0) return off + 2 <= p.length ? off + 2 : -1;
    if ((len & 0xc0) !== 0) return -1;
    off += len + 1;
  }
  return -1;
}

/**
 * The largest UDP reply the client allowed: the OPT's payload size (at least 512)
 * when the request carries one, else 512 (RFC 1035 4.2.1, RFC 6891 6.2.5). A quick
 * walk of the records (dns-packet's decoder is too slow on 100,000 broken packets).
 */
function clientLimit(p: Buffer): number {
  if (p.length < 12) return 512;
  let off = 12;
  for (let i = p.readUInt16BE(4); i > 0; i--) {
    off = skipName(p, off);
    if (off < 0 || off + 4 > p.length) return 512;
    off += 4;
  }
  const records = p.readUInt16BE(6) + p.readUInt16BE(8) + p.readUInt16BE(10);
  let limit = 512;
  for (let i = 0; i < records; i++) {
    const start = off;
    off = skipName(p, off);
    if (off < 0 || off + 10 > p.length) return limit;
    if (p.readUInt16BE(off) === 41 && p[start] === 0) limit = Math.max(limit, p.readUInt16BE(off + 2));
    off += 10 + p.readUInt16BE(off + 8);
  }
  return limit;
}

let mcns: McnsProcess;

before(async () => {
  mcns = await startMcns({
    zones: { 'example.com.': ZONE },
    dnsConfig: [`tcp_idle_timeout = "${IDLE_TIMEOUT_S}s"`, 'tcp_max_connections = 100'],
    logLevel: 'warn',
  });
});

after(async () => {
  await mcns.stop();
});

/** Asserts the process is the one started, alive, and answers www.example.com A correctly over UDP and TCP. */
async function assertHealthy(): Promise<void> {
  assert.equal(mcns.exit(), null, `mcns exited:\n${mcns.logs()}`);
  process.kill(mcns.pid, 0); // throws if the PID is gone
  for (const ask of [queryUdp, queryTcp]) {
    const reply = decodeReply(await ask('127.0.0.1', mcns.port, buildQuery('www.example.com', 'A', { id: 4242 })));
    assert.ok(reply !== null, `no answer over ${ask.name}`);
    assert.equal(reply.id, 4242);
    assert.equal((reply as { rcode?: string }).rcode, 'NOERROR');
    assert.deepEqual(reply.answers?.map((r) => [r.type, (r as { data?: unknown }).data]), [['A', '192.0.2.1']]);
  }
  assert.doesNotMatch(mcns.logs(), /query engine failed/, 'the engine threw (its contract says never)');
}

describe('fuzzing the real process', () => {
  it(`survives ${UDP_PACKETS} mutated and random UDP datagrams and answers a fair share`, async (t) => {
    t.diagnostic(`seed ${seed}`);
    const base = corpus();
    const sock = createSocket('udp4');
    sock.bind(0, '127.0.0.1');
    await once(sock, 'listening');
    sock.setRecvBufferSize(4 * 1024 * 1024);
    const limits = new Map<number, { limit: number; kind: string }>();
    const sentByKind = new Map<string, number>();
    const answeredByKind = new Map<string, number>();
    const tooLarge: string[] = [];
    let answered = 0;
    let lastReplyAt = Date.now();
    sock.on('message', (msg: Buffer) => {
      answered++;
      lastReplyAt = Date.now();
      if (msg.length < 2) return;
      const sent = limits.get(msg.readUInt16BE(0));
      if (sent === undefined) return;
      answeredByKind.set(sent.kind, (answeredByKind.get(sent.kind) ?? 0) + 1);
      if (msg.length > sent.limit && tooLarge.length < 10) tooLarge.push(`${sent.kind}: ${msg.length} > ${sent.limit}`);
    });
    const started = Date.now();
    let sent = 0;
    try {
      while (sent < UDP_PACKETS && Date.now() - started < UDP_BUDGET_MS) {
        for (let i = 0; i < UDP_WINDOW && sent < UDP_PACKETS; i++, sent++) {
          const { kind, bytes } = mutant(base);
          // Our own ID on each datagram so a reply can be matched to what was asked.
          if (bytes.length >= 2) bytes.writeUInt16BE(sent & 0xffff, 0);
          limits.set(sent & 0xffff, { limit: clientLimit(bytes), kind });
          sentByKind.set(kind, (sentByKind.get(kind) ?? 0) + 1);
          sock.send(bytes, mcns.port, '127.0.0.1');
        }
        // Wait for the window's replies to settle: 3 ms without one, 50 ms at most.
        const windowStart = Date.now();
        do await sleep(1);
        while (Date.now() - lastReplyAt < 3 && Date.now() - windowStart < 50);
        if ((sent / UDP_WINDOW) % 100 === 0) assertAlive();
      }
      await sleep(200);
    } finally {
      sock.close();
    }
    const elapsed = Date.now() - started;
    const byKind = [...sentByKind].map(([k, n]) => `${k} ${answeredByKind.get(k) ?? 0}/${n}`).join(', ');
    t.diagnostic(`udp: sent ${sent}, answered ${answered} (${((100 * answered) / sent).toFixed(1)}%) in ${elapsed} ms; ${byKind}`);
    assert.ok(sent >= UDP_PACKETS, `only ${sent} datagrams sent within ${UDP_BUDGET_MS} ms`);
    assert.deepEqual(tooLarge, [], 'replies larger than the client allowed');
    // Every datagram that is a query with a readable header deserves at least FORMERR;
    // random bytes with QR set or under 12 bytes get nothing. A third is a low bar.
    assert.ok(answered >= sent / 3, `answered only ${answered} of ${sent}`);
    await assertHealthy();
  });

  it('survives garbage, a 64 KiB garbage frame and pipelined junk over TCP', async (t) => {
    let replies = 0;
    const conns: Promise<void>[] = [];
    for (let c = 0; c < 30; c++) {
      conns.push(
        tcpSession((s) => {
          if (c === 0) {
            // One full-size frame of garbage (RFC 7766 allows 65535-byte messages).
            const f = Buffer.concat([Buffer.of(0xff, 0xff), randomBytes(65_535)]);
            s.write(f);
          } else if (c < 10) {
            s.write(randomBytes(1 + int(5000)));
          } else {
            // Pipelined frames with random payloads, some empty, some mutated queries.
            const frames: Buffer[] = [];
            const base = corpus();
            for (let i = 0; i < 200; i++) {
              const body = i % 50 === 0 ? Buffer.alloc(0) : mutant(base).bytes.subarray(0, 65_535);
              const len = Buffer.alloc(2);
              len.writeUInt16BE(body.length, 0);
              frames.push(len, body);
            }
            s.write(Buffer.concat(frames));
          }
        }, (frame) => {
          replies++;
          assert.ok(frame.length >= 12 && (frame[2]! & 0x80) !== 0, 'a TCP reply is a DNS response');
        }),
      );
    }
    await Promise.all(conns);
    t.diagnostic(`tcp: 30 connections of garbage, ${replies} replies`);
    assert.ok(replies > 0);
    await assertHealthy();
  });

  it('cuts half-open and idle connections with the idle timeout, and refuses beyond the limit', async (t) => {
    // A length prefix promising 32 bytes and 3 of them: the server must not wait forever.
    const half = connect({ host: '127.0.0.1', port: mcns.port });
    half.on('error', () => {});
    await once(half, 'connect');
    half.write(Buffer.of(0x00, 0x20, 0x12, 0x34, 0x00));
    // A client that sends queries and never reads the answers.
    const deaf = connect({ host: '127.0.0.1', port: mcns.port });
    deaf.on('error', () => {});
    await once(deaf, 'connect');
    deaf.pause();
    const q = buildQuery('big.example.com', 'TXT');
    const framed = Buffer.concat([Buffer.of(q.length >> 8, q.length & 0xff), q]);
    deaf.write(Buffer.concat(Array.from({ length: 2000 }, () => framed)));
    // Idle connections beyond tcp_max_connections (100): they read, so they see the server's close.
    const idle: Socket[] = [];
    let closed = 0;
    for (let i = 0; i < 130; i++) {
      const s = connect({ host: '127.0.0.1', port: mcns.port });
      s.on('error', () => {});
      s.on('close', () => closed++);
      s.resume();
      idle.push(s);
    }
    half.resume();
    await sleep(500);
    t.diagnostic(`${closed} of 130 idle connections closed at once (limit 100, 2 busy)`);
    assert.ok(closed >= 25, 'connections beyond the limit are closed on accept');
    assert.ok(closed <= 40, 'connections within the limit stay open until idle');
    const t0 = Date.now();
    const waitClose = (s: Socket): Promise<boolean> =>
      s.destroyed ? Promise.resolve(true) : once(s, 'close').then(() => true);
    const within = (ms: number, ps: Promise<boolean>[]): Promise<boolean> =>
      Promise.race([Promise.all(ps).then(() => true), sleep(ms).then(() => false)]);
    const cut = await within(IDLE_TIMEOUT_S * 1000 + 3000, [half, ...idle].map(waitClose));
    t.diagnostic(`idle and half-open connections cut after ${Date.now() - t0} ms`);
    // The non-reading client cannot see the close while paused: once it reads again it
    // must find the connection gone, rather than a server still answering its queries.
    deaf.resume();
    const deafCut = await within(1500, [waitClose(deaf)]);
    for (const s of [half, deaf, ...idle]) s.destroy();
    assert.ok(cut, 'every idle and half-open connection was closed by the idle timeout');
    assert.ok(deafCut, 'the client that never read was cut by the idle timeout');
    await assertHealthy();
  });
});

/** A crash check between batches: the process started is still running. */
function assertAlive(): void {
  assert.equal(mcns.exit(), null, `mcns exited:\n${mcns.logs()}`);
}

/** Opens a connection, lets `send` write, collects reply frames until the server closes or 3 s pass. */
async function tcpSession(send: (s: Socket) => void, onFrame: (frame: Buffer) => void): Promise<void> {
  const s = connect({ host: '127.0.0.1', port: mcns.port });
  s.on('error', () => {});
  let buf = Buffer.alloc(0);
  s.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
      onFrame(buf.subarray(2, 2 + buf.readUInt16BE(0)));
      buf = buf.subarray(2 + buf.readUInt16BE(0));
    }
  });
  await once(s, 'connect');
  send(s);
  s.end();
  await Promise.race([once(s, 'close'), sleep(3_000)]);
  s.destroy();
}
