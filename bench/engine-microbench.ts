// Microbenchmark of the query engine alone (no sockets): ns per query on the
// answer-cache hit path and on the slow path (cache off), on a generated zone.
// Usage: node dist/bench/engine-microbench.js [names=100000] [queries=300000] [distinct=4096]
// `distinct` is how many different questions are asked (a power of two); dnsperf
// runs cycle through a query file of about 100,000 lines.
import { createQueryEngine, type RequestContext } from '../src/query/index.js';
import { buildZoneSnapshot, ZoneTable, type RecordData } from '../src/zone/index.js';
import { RRType, encodeMessage, nameFromText, type Message } from '../src/wire/index.js';

const names = Number(process.argv[2] ?? 100_000);
const queries = Number(process.argv[3] ?? 300_000);
const distinct = Number(process.argv[4] ?? 4096);
const mask = distinct - 1;

const origin = nameFromText('bench.example.');
const records: RecordData[] = [
  { name: origin, type: RRType.SOA, ttl: 3600, rdata: soaRdata() },
  { name: origin, type: RRType.NS, ttl: 3600, rdata: Buffer.from('\x03ns1\x05bench\x07example\x00', 'latin1') },
];
for (let i = 0; i < names; i++) {
  records.push({ name: nameFromText(`host${i}.bench.example.`), type: RRType.A, ttl: 300, rdata: new Uint8Array([10, (i >> 16) & 255, (i >> 8) & 255, i & 255]) });
}
let t = performance.now();
const zones = new ZoneTable();
zones.set(buildZoneSnapshot(origin, records));
console.log(`zone: ${names} names built in ${(performance.now() - t).toFixed(0)} ms`);

const ctx: RequestContext = { transport: 'udp', remoteAddress: '127.0.0.1', remotePort: 5353 };
// A mix: 90% existing names, 5% NXDOMAIN, 5% NODATA (AAAA), with EDNS like dnsperf's defaults.
const requests: Uint8Array[] = [];
for (let i = 0; i < distinct; i++) {
  const n = (i * 2654435761) % names;
  const kind = i % 20;
  const qname = kind === 0 ? `nope${n}.bench.example.` : `host${n}.bench.example.`;
  const qtype = kind === 1 ? RRType.AAAA : RRType.A;
  const msg: Message = {
    header: { id: i, qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, z: false, ad: false, cd: false },
    rcode: 0, questions: [{ name: nameFromText(qname), type: qtype, class: 1 }], answers: [], authorities: [], additionals: [],
    edns: { udpSize: 4096, version: 0, do: false, z: 0, options: [] },
  };
  requests.push(encodeMessage(msg));
}

function run(label: string, cacheBytes: number): void {
  const engine = createQueryEngine({ zones, answerCacheBytes: cacheBytes });
  for (let i = 0; i < Math.max(20_000, 2 * distinct); i++) engine.handle(requests[i & mask]!, ctx); // warm up (and fill the cache)
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  let bytes = 0;
  for (let i = 0; i < queries; i++) {
    const reply = engine.handle(requests[i & mask]!, ctx) as Uint8Array;
    bytes += reply.length;
  }
  const used = process.cpuUsage(cpu);
  const ns = Number(process.hrtime.bigint() - start) / queries;
  // CPU time (all threads, GC included) is steadier than wall time on a shared machine.
  const cpuNs = ((used.user + used.system) * 1000) / queries;
  console.log(`${label}: ${ns.toFixed(0)} ns/query wall, ${cpuNs.toFixed(0)} ns/query CPU (${(1e6 / cpuNs).toFixed(0)}k qps by CPU), ${bytes} bytes`);
}

if (process.env.ONLY !== 'miss') run('cache hit ', 50 * 1024 * 1024);
run('cache miss', 0);

function soaRdata(): Uint8Array {
  const names = Buffer.from('\x03ns1\x05bench\x07example\x00\x0ahostmaster\x05bench\x07example\x00', 'latin1');
  const nums = Buffer.alloc(20);
  [1, 7200, 900, 1209600, 300].forEach((v, i) => nums.writeUInt32BE(v, i * 4));
  return Buffer.concat([names, nums]);
}
