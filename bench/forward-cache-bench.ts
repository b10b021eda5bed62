// Microbenchmark of a forwarded cache hit against an authoritative one, in ns per
// query, no sockets: the reference is the real query engine answering a name of its
// own zone from its answer cache (createQueryEngine, hot cache). The forwarded hit is
// measured as main.ts would wire it: the engine's cache probe misses (the key is
// built and looked up), then forwarder.respondFromRequest answers from the request
// bytes (ACL, "not ours" check against the zone table, TTL rewrite, OPT). Also the
// path after a full decode (respondFromCache), the records path (lookupCache), and
// what one fresh UDP socket per upstream query costs (create, bind port 0, close).
//
// Bounded: ROUNDS rounds of a fixed number of iterations, candidates interleaved in
// each round so background load hits them alike; prints the fastest and the median
// round. Run: npx tsc -p tsconfig.json && node dist/bench/forward-cache-bench.js [iterations]
//
// With `e2e` as the second argument it also serves both kinds of names over real UDP
// (createDnsServer on loopback) to dnsperf at a fixed rate and reports this process's
// CPU time per answered query. The engine does not call the forwarder yet, so the
// bench wires them itself: forwarder.respondFromRequest first (it declines names of
// our zones), then engine.handle. Authoritative queries are measured on the plain
// engine, so they do not pay for that probe.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createForwarder } from '../src/forwarder/index.js';
import { AnswerCache, createQueryEngine, type QueryEngine, type RequestContext } from '../src/query/index.js';
import { createDnsServer, DEFAULT_DNS_SERVER_LIMITS } from '../src/server/index.js';
import { decodeMessage, encodeMessage, nameFromText, RRType, type Message, type Name } from '../src/wire/index.js';
import { buildZoneSnapshot, ZoneTable, type RecordData } from '../src/zone/index.js';
import { startFakeUpstream } from '../test/forward/fake-upstream.js';
import { scriptedAnswer } from '../test/forward/scripted-answer.js';

const ITERATIONS = Number(process.argv[2] ?? 200_000);
const ROUNDS = 9;
const NAMES = 1000;
const E2E = process.argv[3] === 'e2e';
/** dnsperf rate and duration for the e2e mode: fixed, so both runs do the same work. */
const E2E_QPS = 20_000;
const E2E_SECONDS = 8;

/** One candidate: a label and the call to time. */
interface Candidate {
  readonly label: string;
  readonly fn: (i: number) => unknown;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Times the candidates, interleaved per round; returns the fastest and median ns per call of each. */
function measure(candidates: readonly Candidate[]): { min: number; median: number }[] {
  let sink = 0;
  const count = (r: unknown): void => { sink += r === null ? 1 : 0; };
  for (const c of candidates) for (let i = 0; i < 20_000; i++) count(c.fn(i)); // warm-up
  const rounds: number[][] = candidates.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    candidates.forEach((c, k) => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < ITERATIONS; i++) count(c.fn(i));
      rounds[k]!.push(Number(process.hrtime.bigint() - t0) / ITERATIONS);
    });
  }
  if (sink !== 0) throw new Error(`${sink} calls missed the cache; the benchmark measures hits only`);
  return candidates.map((c, k) => {
    const min = Math.min(...rounds[k]!);
    const med = median(rounds[k]!);
    console.log(`${c.label.padEnd(58)} ${min.toFixed(0).padStart(6)} ns (median ${med.toFixed(0)})`);
    return { min, median: med };
  });
}

/** A query as dnsperf sends it by default: RD, EDNS with a 4096-byte payload size. */
function request(name: string, id: number): Uint8Array {
  const msg: Message = {
    header: { id, qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, z: false, ad: false, cd: false },
    rcode: 0, questions: [{ name: nameFromText(name), type: RRType.A, class: 1 }], answers: [], authorities: [], additionals: [],
    edns: { udpSize: 4096, version: 0, do: false, z: 0, options: [] },
  };
  return encodeMessage(msg);
}

function soaRdata(): Uint8Array {
  const names = Buffer.from('\x03ns1\x05bench\x07example\x00\x0ahostmaster\x05bench\x07example\x00', 'latin1');
  const nums = Buffer.alloc(20);
  [1, 7200, 900, 1209600, 300].forEach((v, i) => nums.writeUInt32BE(v, i * 4));
  return Buffer.concat([names, nums]);
}

async function main(): Promise<void> {
  // The authoritative side: one zone, NAMES names with one A record each.
  const origin = nameFromText('bench.example.');
  const records: RecordData[] = [
    { name: origin, type: RRType.SOA, ttl: 3600, rdata: soaRdata() },
    { name: origin, type: RRType.NS, ttl: 3600, rdata: Buffer.from('\x03ns1\x05bench\x07example\x00', 'latin1') },
  ];
  for (let i = 0; i < NAMES; i++) {
    records.push({ name: nameFromText(`host${i}.bench.example.`), type: RRType.A, ttl: 300, rdata: new Uint8Array([10, 0, i >> 8, i & 255]) });
  }
  const zones = new ZoneTable();
  zones.set(buildZoneSnapshot(origin, records));
  const engine = createQueryEngine({ zones });
  const ctx: RequestContext = { transport: 'udp', remoteAddress: '127.0.0.1', remotePort: 5353 };
  const authRequests = Array.from({ length: NAMES }, (_, i) => request(`host${i}.bench.example.`, i));

  // The forwarded side: NAMES names outside our zone, one A record each, primed from a loopback upstream.
  const up = await startFakeUpstream((query, tools) => tools.reply(scriptedAnswer(query, { addresses: ['192.0.2.1'], ttl: 3600 })));
  const forwarder = createForwarder({ upstreams: [up.address], isAuthoritative: (n) => zones.find(n as Name) !== null });
  const fwdRequests = Array.from({ length: NAMES }, (_, i) => request(`host${i}.fwd.example.`, i));
  for (const r of fwdRequests) {
    const res = await forwarder.resolve(decodeMessage(r).questions[0]!, { dnssecOk: false, checkingDisabled: false });
    if (res.kind !== 'answer') throw new Error(`priming failed: ${res.detail}`);
  }
  // The engine's answer-cache probe that a forwarded name misses before reaching the forwarder.
  const engineProbe = new AnswerCache(1 << 20, 1232);
  const now = Date.now() + 5_000;
  const shape = { dnssecOk: false, checkingDisabled: false, edns: true, udpSize: 1232, maxSize: 1232 };

  // The engine as main.ts wires it (ADR 0003): a forwarded reply is kept in its answer
  // cache. Its clock moves a second every 3 calls, so about one hit in three first
  // counts the entry's TTLs down, as a name asked ~3 times a second would (within 30
  // minutes of its TTL of an hour, then round again: the bench measures hits only).
  let ticks = 0;
  const keptEngine = createQueryEngine({ zones, forward: forwarder, now: () => now + (Math.floor(ticks++ / 3) % 1800) * 1000 });
  for (const r of fwdRequests) await keptEngine.handle(r, ctx);

  console.log(`cache hits, ${NAMES} names, ${ITERATIONS} iterations x ${ROUNDS} rounds; fastest round (median)`);
  for (const r of authRequests) keptEngine.handle(r, ctx);
  const [auth, authWired, kept, wired, alone, decoded, recs] = measure([
    { label: 'authoritative: engine.handle, answer-cache hit', fn: (i) => engine.handle(authRequests[i % NAMES]!, ctx) },
    { label: 'authoritative: the same, forwarding on (ACL for RA)', fn: (i) => keptEngine.handle(authRequests[i % NAMES]!, ctx) },
    { label: 'forwarded: engine.handle, kept reply in the answer cache', fn: (i) => keptEngine.handle(fwdRequests[i % NAMES]!, ctx) },
    {
      label: 'forwarded: engine cache probe (miss) + respondFromRequest',
      fn: (i) => {
        const req = fwdRequests[i % NAMES]!;
        if (engineProbe.probe(req, 'udp') && engineProbe.get(req, true, () => 0) !== null) return 'unexpected';
        return forwarder.respondFromRequest(req, ctx, now);
      },
    },
    { label: 'forwarded: respondFromRequest alone', fn: (i) => forwarder.respondFromRequest(fwdRequests[i % NAMES]!, ctx, now) },
    {
      label: 'forwarded: decodeMessage + respondFromCache',
      fn: (i) => {
        const req = fwdRequests[i % NAMES]!;
        return forwarder.respondFromCache(req, decodeMessage(req).questions[0]!, shape, now);
      },
    },
    { label: 'forwarded: lookupCache (records; decodes the template)', fn: (i) => forwarder.lookupCache(decodeMessage(fwdRequests[i % NAMES]!).questions[0]!, shape, now) },
  ]);
  console.log(`forwarded hit kept in the answer cache / authoritative hit, both with forwarding on: ${(kept!.min / authWired!.min).toFixed(2)}x fastest, ` +
    `${(kept!.median / authWired!.median).toFixed(2)}x median (+${(kept!.min - authWired!.min).toFixed(0)} ns per query)`);
  console.log(`forwarded hit through respondFromRequest / authoritative hit: ${(wired!.min / auth!.min).toFixed(2)}x fastest, ${(wired!.median / auth!.median).toFixed(2)}x median ` +
    `(+${(wired!.min - auth!.min).toFixed(0)} ns per query)`);
  console.log(`after a full decode: ${(decoded!.min / auth!.min).toFixed(2)}x; respondFromRequest alone ${(alone!.min / auth!.min).toFixed(2)}x; records path ${(recs!.min / auth!.min).toFixed(2)}x`);
  if (E2E) {
    await endToEnd('authoritative (engine only)', engine, (i) => `host${i}.bench.example A`);
    const wiredEngine: QueryEngine = {
      handle: (req, c) => forwarder.respondFromRequest(req, c, Date.now()) ?? engine.handle(req, c),
    };
    await endToEnd('forwarded cache hits (respondFromRequest)', wiredEngine, (i) => `host${i}.fwd.example A`);
  }
  forwarder.close();
  await up.close();

  // One UDP socket per upstream query (RFC 5452 port randomization): create, bind(0), close.
  const SOCKETS = 2000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < SOCKETS; i++) {
    await new Promise<void>((resolve) => {
      const s = createSocket('udp4');
      s.bind(0, '127.0.0.1', () => s.close(() => resolve()));
    });
  }
  const perSocket = Number(process.hrtime.bigint() - t0) / SOCKETS;
  console.log(`${'fresh UDP socket per upstream query (create+bind+close)'.padEnd(58)} ${(perSocket / 1000).toFixed(1).padStart(6)} us`);
}

/** Serves `engine` on loopback UDP, runs dnsperf at E2E_QPS, prints CPU per answered query. */
async function endToEnd(label: string, engine: QueryEngine, line: (i: number) => string): Promise<void> {
  const server = createDnsServer({ listen: [{ host: '127.0.0.1', port: 0 }], engine, limits: DEFAULT_DNS_SERVER_LIMITS });
  await server.start();
  const port = server.addresses()[0]!.port;
  const dir = mkdtempSync(join(tmpdir(), 'mcns-fwd-bench-'));
  const file = join(dir, 'queries.txt');
  writeFileSync(file, Array.from({ length: NAMES }, (_, i) => line(i)).join('\n') + '\n');
  const cpu0 = process.cpuUsage();
  const answered0 = server.stats.udpSent;
  const out = await new Promise<string>((resolve) => {
    let text = '';
    const child = spawn('dnsperf', ['-s', '127.0.0.1', '-p', String(port), '-d', file, '-l', String(E2E_SECONDS), '-Q', String(E2E_QPS), '-c', '4'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => { text += d.toString(); });
    child.on('exit', () => resolve(text));
  });
  const cpu = process.cpuUsage(cpu0);
  const answered = server.stats.udpSent - answered0;
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  const lost = /Queries lost:\s+(\d+)/.exec(out)?.[1] ?? '?';
  const us = (cpu.user + cpu.system) / Math.max(1, answered);
  console.log(`e2e ${label.padEnd(44)} ${us.toFixed(2)} us CPU/query (${answered} answered, ${lost} lost, dnsperf at ${E2E_QPS} qps)`);
}

await main();
