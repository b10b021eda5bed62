// Microbenchmark of a forwarder cache hit, in nanoseconds per query, against a
// reference shaped like the authoritative answer cache (ADR 0001 5: a map lookup of
// precomputed response bytes, a copy and an ID patch). Both sides start from the
// same decoded question, so the difference is what a forwarded cache hit costs on
// top. Also measures the records path (lookupCache) and what one fresh UDP socket
// per upstream query costs (create, bind port 0, close), for the socket-pool question.
//
// Bounded: a fixed number of rounds of fixed iterations; prints the median round.
// Run: npx tsc -p tsconfig.json && node dist/bench/forward-cache-bench.js [iterations]
import { createSocket } from 'node:dgram';
import dnsPacket from 'dns-packet';
import { createForwarder } from '../src/forwarder/index.js';
import { decodeMessage, encodeMessage, nameFromText, nameLower, type Message, type Question } from '../src/wire/index.js';
import { startFakeUpstream } from '../test/forward/fake-upstream.js';
import { scriptedAnswer } from '../test/forward/scripted-answer.js';

const ITERATIONS = Number(process.argv[2] ?? 200_000);
const ROUNDS = 7;
const NAMES = 1000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** One candidate: a label and the call to time. */
interface Candidate {
  readonly label: string;
  readonly fn: (i: number) => unknown;
}

/**
 * Times every candidate ITERATIONS times per round, the candidates interleaved
 * within each round so background load hits them alike; returns per candidate the
 * fastest round (least disturbed) and the median round, in ns per call.
 */
function measure(candidates: readonly Candidate[]): { min: number; median: number }[] {
  let sink = 0;
  for (const c of candidates) for (let i = 0; i < 20_000; i++) sink ^= c.fn(i) === null ? 1 : 0; // warm-up
  const rounds: number[][] = candidates.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    candidates.forEach((c, k) => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < ITERATIONS; i++) sink ^= c.fn(i) === null ? 1 : 0;
      rounds[k]!.push(Number(process.hrtime.bigint() - t0) / ITERATIONS);
    });
  }
  return candidates.map((c, k) => {
    const min = Math.min(...rounds[k]!);
    const med = median(rounds[k]!);
    console.log(`${c.label.padEnd(52)} ${min.toFixed(0).padStart(6)} ns (median ${med.toFixed(0)})${sink === -1 ? '' : ''}`);
    return { min, median: med };
  });
}

async function main(): Promise<void> {
  const up = await startFakeUpstream((query, tools) =>
    tools.reply(scriptedAnswer(query, { addresses: ['192.0.2.1', '192.0.2.2'], ttl: 3600 })));
  const forwarder = createForwarder({ upstreams: [up.address] });
  const questions: Question[] = [];
  const requests: Uint8Array[] = [];
  for (let i = 0; i < NAMES; i++) {
    const text = `host${i}.Example.com.`;
    questions.push({ name: nameFromText(text), type: 1, class: 1 });
    requests.push(dnsPacket.encode({
      type: 'query', id: i, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name: text.slice(0, -1), type: 'A' }],
      additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232 } as dnsPacket.Answer],
    }));
  }
  for (const question of questions) {
    const r = await forwarder.resolve(question, { dnssecOk: false, checkingDisabled: false });
    if (r.kind !== 'answer') throw new Error(`priming failed: ${r.detail}`);
  }

  // The reference: the same response bytes precomputed per question in a Map keyed
  // by lowercased name + type + shape, served by copy + ID patch.
  const reference = new Map<string, Uint8Array>();
  const now = Date.now();
  const shape = { dnssecOk: false, checkingDisabled: false, edns: true, udpSize: 1232, maxSize: 1232 };
  for (let i = 0; i < NAMES; i++) {
    reference.set(`${nameLower(questions[i]!.name)}/1/1/1`, forwarder.respondFromCache(requests[i]!, questions[i]!, shape, now)!);
  }
  const refHit = (i: number): Uint8Array | null => {
    const k = i % NAMES;
    const request = requests[k]!;
    const bytes = reference.get(`${nameLower(questions[k]!.name)}/1/1/1`);
    if (bytes === undefined) return null;
    const out = Buffer.allocUnsafe(bytes.length);
    out.set(bytes);
    out[0] = request[0]!;
    out[1] = request[1]!;
    return out;
  };

  console.log(`forwarder cache hit vs authoritative-style reference; ${NAMES} names, ${ITERATIONS} iterations x ${ROUNDS} rounds (median)`);
  const encodeFromRecords = (i: number): Uint8Array => {
    const a = forwarder.lookupCache(questions[i % NAMES]!, shape, now + 5_000)!;
    const m: Message = {
      header: { id: i & 0xffff, qr: true, opcode: 0, aa: false, tc: false, rd: true, ra: true, z: false, ad: false, cd: false },
      rcode: a.rcode, questions: [questions[i % NAMES]!], answers: a.answers, authorities: a.authorities, additionals: a.additionals,
      edns: { udpSize: 1232, version: 0, do: false, z: 0, options: [] },
    };
    return encodeMessage(m, 1232);
  };
  // End to end in the engine's terms: the request bytes are decoded (a fresh name
  // string, as on a real query), then answered from the cache.
  const refFromBytes = (i: number): Uint8Array | null => {
    const k = i % NAMES;
    const request = requests[k]!;
    const question = decodeMessage(request).questions[0]!;
    const bytes = reference.get(`${nameLower(question.name)}/${question.type}/${question.class}/1`);
    if (bytes === undefined) return null;
    const out = Buffer.allocUnsafe(bytes.length);
    out.set(bytes);
    out[0] = request[0]!;
    out[1] = request[1]!;
    return out;
  };
  const fwdFromBytes = (i: number): Uint8Array | null => {
    const request = requests[i % NAMES]!;
    return forwarder.respondFromCache(request, decodeMessage(request).questions[0]!, shape, now + 5_000);
  };
  const [rb, fb, rf, fw, rc, en] = measure([
    { label: 'reference: decode + Map get + copy + ID patch', fn: refFromBytes },
    { label: 'forwarder: decode + respondFromCache', fn: fwdFromBytes },
    { label: 'reference alone (question already decoded)', fn: refHit },
    { label: 'respondFromCache alone (TTL rewrite, OPT)', fn: (i) => forwarder.respondFromCache(requests[i % NAMES]!, questions[i % NAMES]!, shape, now + 5_000) },
    { label: 'lookupCache (records, decodes the template)', fn: (i) => forwarder.lookupCache(questions[i % NAMES]!, shape, now + 5_000) },
    // What the engine would do without the byte path: records, then encode.
    { label: 'lookupCache + encodeMessage', fn: encodeFromRecords },
  ]);
  console.log(`cache hit from request bytes: forwarder/reference = ${(fb!.min / rb!.min).toFixed(3)}x (fastest rounds), ` +
    `${(fb!.median / rb!.median).toFixed(3)}x (medians); alone: +${(fw!.min - rf!.min).toFixed(0)} ns`);
  console.log(`records path is ${(rc!.min / fw!.min).toFixed(1)}x the byte path; records + encode ${(en!.min / fw!.min).toFixed(1)}x`);
  forwarder.close();
  await up.close();

  // One UDP socket per upstream query: create, bind(0), close. Bounded count.
  const SOCKETS = 2000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < SOCKETS; i++) {
    await new Promise<void>((resolve) => {
      const s = createSocket('udp4');
      s.bind(0, '127.0.0.1', () => s.close(() => resolve()));
    });
  }
  const perSocket = Number(process.hrtime.bigint() - t0) / SOCKETS;
  console.log(`${'fresh UDP socket per upstream query (create+bind+close)'.padEnd(52)} ${(perSocket / 1000).toFixed(1).padStart(6)} us`);
}

await main();
