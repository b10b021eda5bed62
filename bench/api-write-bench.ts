// Write throughput of the management API through REST, against a real `mcns serve`
// (not part of the test suite; bounded by counts and a time cap per phase):
//   - single changes from one client (replaceRRset of a new name, one at a time);
//   - records/s in batches of 1,000 records (applyChanges, 1,000 one-record RRsets);
//   - 20 concurrent clients of single changes: changes/s in total, failed requests;
// each on an empty zone and on a zone of 10,000 records; and how soon a change is in
// DNS after the API answers (a UDP query sent the moment the 200 arrives).
// The numbers beside ours are PowerDNS 4.7 with its SQLite backend, measured on this
// machine for issue 3.
//
// Run: npx tsc -p tsconfig.json; node dist/bench/api-write-bench.js [--singles 3000] [--batches 20] [--clients 20] [--per-client 100] [--seconds 20] [--rounds 3]
import { createSocket, type Socket } from 'node:dgram';
import { cpus, loadavg } from 'node:os';
import dnsPacket from 'dns-packet';
import { ApiClient } from '../src/cli/api-client.js';
import { ApiError } from '../src/cli/api-error.js';
import type { RRsetChange } from '../src/service/index.js';
import { buildQuery, decodeReply } from '../test/helpers/dns-client.js';
import { startMcns, type McnsProcess } from '../test/helpers/start-mcns.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i < 0 ? NaN : Number(process.argv[i + 1]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

const SINGLES = flag('singles', 3000);
const BATCHES = flag('batches', 20);
const BATCH_RECORDS = 1000;
const CLIENTS = flag('clients', 20);
const PER_CLIENT = flag('per-client', 100);
/** Each phase stops early after this long, so a slow build still finishes. */
const PHASE_SECONDS = flag('seconds', 20);
const BIG_ZONE_RECORDS = 10_000;
/** Each phase runs this many times, kinds interleaved; the best and the median are reported. */
const ROUNDS = flag('rounds', 3);

/** PowerDNS 4.7 + SQLite, measured here (issue 3). */
const PDNS = {
  single: '194', singleBig: '44', batch: '43,500', concurrent: '91', concurrentFailed: '93% "database is locked"', visible: '0.2 ms',
};

interface Phase {
  readonly done: number;
  readonly failed: number;
  readonly locked: number;
  readonly seconds: number;
}

const now = (): number => Number(process.hrtime.bigint()) / 1e6;

function isLocked(err: unknown): boolean {
  return /database is locked|SQLITE_BUSY/i.test(String((err as Error).message));
}

/** One client, one change at a time, each a new one-record RRset. */
async function singles(api: ApiClient, zone: string, tag: string, count: number): Promise<Phase> {
  let failed = 0;
  let locked = 0;
  let done = 0;
  const start = now();
  const deadline = start + PHASE_SECONDS * 1000;
  for (let i = 0; i < count && now() < deadline; i++) {
    try {
      await api.call('replaceRRset', { zone, name: `${tag}-${i}`, type: 'A', ttl: 300, records: [`10.1.${(i >> 8) & 255}.${i & 255}`] });
      done++;
    } catch (err) {
      failed++;
      if (isLocked(err)) locked++;
    }
  }
  return { done, failed, locked, seconds: (now() - start) / 1000 };
}

/** One client, batches of BATCH_RECORDS one-record RRsets; `done` counts records. */
async function batches(api: ApiClient, zone: string, tag: string, count: number): Promise<Phase> {
  let failed = 0;
  let locked = 0;
  let done = 0;
  const start = now();
  const deadline = start + PHASE_SECONDS * 1000;
  for (let b = 0; b < count && now() < deadline; b++) {
    const changes: RRsetChange[] = [];
    for (let i = 0; i < BATCH_RECORDS; i++) {
      changes.push({ op: 'replace', name: `${tag}-${b}-${i}`, type: 'A', ttl: 300, records: [`10.2.${(i >> 8) & 255}.${i & 255}`] });
    }
    try {
      await api.call('applyChanges', { zone, changes });
      done += BATCH_RECORDS;
    } catch (err) {
      failed++;
      if (isLocked(err)) locked++;
    }
  }
  return { done, failed, locked, seconds: (now() - start) / 1000 };
}

/** CLIENTS clients at once, each PER_CLIENT single changes. */
async function concurrent(clients: readonly ApiClient[], zone: string, tag: string): Promise<Phase> {
  const start = now();
  const phases = await Promise.all(clients.map((api, c) => singles(api, zone, `${tag}-c${c}`, PER_CLIENT)));
  return {
    done: phases.reduce((s, p) => s + p.done, 0),
    failed: phases.reduce((s, p) => s + p.failed, 0),
    locked: phases.reduce((s, p) => s + p.locked, 0),
    seconds: (now() - start) / 1000,
  };
}

interface Visibility {
  readonly changes: number;
  readonly visibleAtFirstQuery: number;
  /** Milliseconds from the API's answer to the DNS answer that showed the change. */
  readonly delays: number[];
  readonly apiMs: number[];
}

/** One UDP socket kept open for the visibility probes, so a probe costs a datagram each way and no socket setup. */
class UdpProbe {
  readonly #socket: Socket;
  #waiting: ((reply: Buffer | null) => void) | null = null;
  constructor(readonly host: string, readonly port: number) {
    this.#socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    this.#socket.on('message', (msg: Buffer) => this.#waiting?.(msg));
  }
  /** Sends one query; resolves with the reply or null after timeoutMs. */
  ask(request: Uint8Array, timeoutMs: number): Promise<Buffer | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(null), timeoutMs);
      const done = (reply: Buffer | null): void => {
        clearTimeout(timer);
        this.#waiting = null;
        resolve(reply);
      };
      this.#waiting = done;
      this.#socket.send(request, this.port, this.host);
    });
  }
  close(): void {
    this.#socket.close();
  }
}

/** After each change's 200, query DNS at once (and again until it shows, up to 100 ms). */
async function visibility(api: ApiClient, proc: McnsProcess, zone: string, count: number): Promise<Visibility> {
  const probe = new UdpProbe(proc.hosts[0]!, proc.port);
  let visibleAtFirstQuery = 0;
  const delays: number[] = [];
  const apiMs: number[] = [];
  for (let i = 0; i < count; i++) {
    const name = `vis-${i}.${zone}`;
    const address = `10.3.${(i >> 8) & 255}.${i & 255}`;
    const sent = now();
    await api.call('replaceRRset', { zone, name, type: 'A', ttl: 300, records: [address] });
    const answered = now();
    apiMs.push(answered - sent);
    for (let attempt = 0; attempt < 1000; attempt++) {
      const reply = decodeReply(await probe.ask(buildQuery(name, 'A' as dnsPacket.RecordType), 1_000));
      const seen = (reply?.answers ?? []).some((a) => a.type === 'A' && String(a.data) === address);
      if (seen) {
        delays.push(now() - answered);
        if (attempt === 0) visibleAtFirstQuery++;
        break;
      }
      if (now() - answered > 100) break;
    }
  }
  probe.close();
  return { changes: count, visibleAtFirstQuery, delays, apiMs };
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const rate = (p: Phase): number => Math.round(p.done / p.seconds);
const fmt = (n: number): string => n.toLocaleString('en-US');

/** Fills a zone with BIG_ZONE_RECORDS one-record RRsets in batches of 1,000. */
async function fill(api: ApiClient, zone: string): Promise<void> {
  for (let b = 0; b < BIG_ZONE_RECORDS / BATCH_RECORDS; b++) {
    const changes: RRsetChange[] = [];
    for (let i = 0; i < BATCH_RECORDS; i++) changes.push({ op: 'replace', name: `fill-${b}-${i}`, type: 'A', ttl: 300, records: [`10.9.${b}.${i & 255}`] });
    await api.call('applyChanges', { zone, changes });
  }
}

async function main(): Promise<void> {
  const loadBefore = loadavg().map((l) => l.toFixed(2)).join(' ');
  const proc = await startMcns({ api: true, logLevel: 'warn' });
  const clients: ApiClient[] = [];
  try {
    const boot = await proc.cli(['token', 'create', '--name', 'bench', '--role', 'admin']);
    if (boot.code !== 0) throw new Error(`token create failed: ${boot.stderr}`);
    const token = boot.stdout.trim();
    const api = proc.api!;
    for (let c = 0; c < Math.max(CLIENTS, 1); c++) clients.push(new ApiClient({ baseUrl: api.restUrl, caCert: api.caCert, token, connections: 1 }));
    const one = clients[0]!;

    // Warm up (JIT, connections, statement caches) so the first measured phase is not the slowest for that reason alone.
    await one.call('createZone', { zone: 'warmup.bench.', nameservers: ['ns1.example.net.'] });
    await singles(one, 'warmup.bench.', 'w', 500);
    await batches(one, 'warmup.bench.', 'wb', 2);
    await concurrent(clients, 'warmup.bench.', 'wk');
    await one.call('deleteZone', { zone: 'warmup.bench.' });

    type Kind = 'empty' | 'big';
    const results: Record<Kind, { single: Phase[]; batch: Phase[]; conc: Phase[] }> = {
      empty: { single: [], batch: [], conc: [] },
      big: { single: [], batch: [], conc: [] },
    };
    // A fresh zone per phase and round, so "empty" stays empty (apart from SOA and NS) and "big" has exactly 10,000 more.
    let zones = 0;
    const zoneFor = async (kind: Kind): Promise<string> => {
      const zone = `z${zones++}-${kind}.bench.`;
      await one.call('createZone', { zone, nameservers: ['ns1.example.net.'] });
      if (kind === 'big') await fill(one, zone);
      return zone;
    };
    // Rounds interleave the kinds, so load from other processes falls on both alike; the best round is reported with the median.
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of ['empty', 'big'] as const) {
        const p = await singles(one, await zoneFor(kind), 's', SINGLES);
        results[kind].single.push(p);
        process.stderr.write(`round ${round + 1} ${kind}: single ${rate(p)}/s\n`);
      }
      for (const kind of ['empty', 'big'] as const) {
        const p = await batches(one, await zoneFor(kind), 'b', BATCHES);
        results[kind].batch.push(p);
        process.stderr.write(`round ${round + 1} ${kind}: batch ${rate(p)} records/s\n`);
      }
      for (const kind of ['empty', 'big'] as const) {
        const p = await concurrent(clients, await zoneFor(kind), 'k');
        results[kind].conc.push(p);
        process.stderr.write(`round ${round + 1} ${kind}: ${CLIENTS} clients ${rate(p)}/s, ${p.failed} failed\n`);
      }
    }
    const visZone = 'visible.bench.';
    await one.call('createZone', { zone: visZone, nameservers: ['ns1.example.net.'] });
    const vis = await visibility(one, proc, visZone, 500);
    const locked = (proc.logs().match(/database is locked|SQLITE_BUSY/gi) ?? []).length;

    const best = (ps: readonly Phase[]): number => Math.max(...ps.map(rate));
    const median = (ps: readonly Phase[]): number => percentile(ps.map(rate), 50);
    const cell = (ps: readonly Phase[]): string => `${fmt(best(ps))} (median ${fmt(median(ps))})`;
    const e = results.empty;
    const b = results.big;
    const slower = (1 - best(b.single) / best(e.single)) * 100;
    const all = [...e.conc, ...b.conc];
    const failed = all.reduce((n, p) => n + p.failed, 0);
    const attempted = all.reduce((n, p) => n + p.done + p.failed, 0);
    const lockedReplies = all.reduce((n, p) => n + p.locked, 0);
    const rows: string[][] = [
      ['measurement (REST over HTTPS, one server process)', 'PowerDNS 4.7 + SQLite', `mcns, best of ${ROUNDS}`, 'target'],
      ['single changes/s, one client, empty zone', PDNS.single, cell(e.single), '≥ 2,000'],
      [`single changes/s, one client, ${fmt(BIG_ZONE_RECORDS)}-record zone`, PDNS.singleBig,
        `${cell(b.single)}, ${slower >= 0 ? `${slower.toFixed(0)}% slower` : `${(-slower).toFixed(0)}% faster`}`, '≤ 20% slower'],
      ['records/s in 1,000-record batches, empty zone', PDNS.batch, cell(e.batch), '≥ 50,000'],
      [`records/s in 1,000-record batches, ${fmt(BIG_ZONE_RECORDS)}-record zone`, '-', cell(b.batch), '≥ 50,000'],
      [`${CLIENTS} concurrent clients, changes/s in total, empty zone`, PDNS.concurrent, cell(e.conc), '≥ 2,000'],
      [`${CLIENTS} concurrent clients, changes/s in total, ${fmt(BIG_ZONE_RECORDS)}-record zone`, '-', cell(b.conc), '≥ 2,000'],
      [`${CLIENTS} concurrent clients, failed requests`, PDNS.concurrentFailed, `${failed} of ${fmt(attempted)} ("database is locked": ${lockedReplies + locked})`, '0'],
      ['in DNS after the API answers', PDNS.visible,
        `${vis.visibleAtFirstQuery}/${vis.changes} at the first query; its answer p50 ${percentile(vis.delays, 50).toFixed(2)} ms, p99 ${percentile(vis.delays, 99).toFixed(2)} ms after the 200`, '< 1 ms'],
      ['API latency of one change (p50 / p99)', '-', `${percentile(vis.apiMs, 50).toFixed(2)} / ${percentile(vis.apiMs, 99).toFixed(2)} ms`, '-'],
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    const line = (r: string[]): string => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
    process.stdout.write(`${line(rows[0]!)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n`);
    for (const r of rows.slice(1)) process.stdout.write(`${line(r)}\n`);
    process.stdout.write(`\n${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), node ${process.version}; ${ROUNDS} rounds of: singles ${SINGLES}, batches ${BATCHES} x ${BATCH_RECORDS}, ${CLIENTS} clients x ${PER_CLIENT}, phases capped at ${PHASE_SECONDS} s; load average before ${loadBefore}, after ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await proc.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof ApiError ? `${err.code}: ${err.message}` : (err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
