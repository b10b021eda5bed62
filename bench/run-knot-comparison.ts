// Benchmark: mcns against Knot DNS on the same generated zone and the same query
// file, each server pinned to CPU 0 and dnsperf to CPU 1, one server at a time.
// Not part of the test suite. Usage:
//   node dist/bench/run-knot-comparison.js [--names 10000] [--names 1000000]
//     [--duration 10] [--warmup 3] [--repeat 3] [--outstanding 200]
//     [--servers knot,mcns[,mcns-dgram,echo,echo-batched]]
// `mcns` runs with [dns] udp_io = "batched" (docs/adr/0004-batched-udp.md), `mcns-dgram`
// on Node's dgram socket. `echo` and `echo-batched` add bench/udp-echo-server.ts, a bare
// UDP socket answering one fixed answer: the floor of each UDP path, measured in the
// same rounds.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import dnsPacket from 'dns-packet';
import { BENCH_ORIGIN, QUERY_MIX, writeBenchQueries, writeBenchZone } from './bench-zone.js';
import { runDnsperf, type DnsperfResult } from './dnsperf-run.js';
import { processCpuMicros, processMemoryMiB } from './proc-stats.js';
import { startKnot } from '../test/differential/knot-server.js';
import { startMcns } from '../test/differential/launch-mcns.js';
import { freePort } from '../test/helpers/free-port.js';
import { exchangeUdp, type ServerAddress } from '../test/differential/dns-exchange.js';
import { ServerProcess } from '../test/differential/server-process.js';

// mcns: [dns] udp_io = "batched" (the default where the module is built); mcns-dgram: Node's dgram socket;
// echo: a bare Node dgram echo (the floor of that path); echo-batched: the same echo on the batched socket.
type ServerName = 'knot' | 'mcns' | 'mcns-dgram' | 'echo' | 'echo-batched';
const SERVER_NAMES: readonly string[] = ['knot', 'mcns', 'mcns-dgram', 'echo', 'echo-batched'];

interface Options {
  readonly names: readonly number[];
  readonly duration: number;
  readonly warmup: number;
  readonly outstanding: number;
  readonly servers: readonly ServerName[];
  readonly queryLines: number;
  /** Measured runs per server; the median is reported. */
  readonly repeat: number;
}

/** One server's measurements on one zone size. */
interface Measurement {
  readonly server: ServerName;
  readonly names: number;
  readonly perf: DnsperfResult | null;
  readonly cpuMicrosPerQuery: number;
  readonly serverCpuPercent: number;
  readonly importSeconds: number | null;
  readonly readySeconds: number;
  readonly rssAtReadyMiB: number;
  readonly rssMiB: number;
  readonly hwmMiB: number;
  /** The 1-minute load average right after the run (the machine may be shared). */
  readonly loadAverage: number;
  readonly error: string | null;
}

const SERVER_CPU = 0;
const CLIENT_CPU = 1;

function parseOptions(argv: readonly string[]): Options {
  const names: number[] = [];
  let duration = 10;
  let warmup = 3;
  let outstanding = 200;
  let servers: ServerName[] = ['knot', 'mcns'];
  let queryLines = 100000;
  let repeat = 3;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const number = Number(value);
    if (value === undefined) throw new Error(`${flag} needs a value`);
    i++;
    if (flag === '--names' && Number.isInteger(number) && number >= 100) names.push(number);
    else if (flag === '--duration' && number > 0 && number <= 600) duration = number;
    else if (flag === '--warmup' && number >= 0 && number <= 60) warmup = number;
    else if (flag === '--outstanding' && Number.isInteger(number) && number > 0 && number <= 10000) outstanding = number;
    else if (flag === '--queries' && Number.isInteger(number) && number >= 1000 && number <= 10000000) queryLines = number;
    else if (flag === '--repeat' && Number.isInteger(number) && number >= 1 && number <= 20) repeat = number;
    else if (flag === '--servers') servers = value.split(',').filter((s): s is ServerName => SERVER_NAMES.includes(s));
    else throw new Error(`bad option ${flag} ${value}`);
  }
  return { names: names.length > 0 ? names : [10000], duration, warmup, outstanding, servers, queryLines, repeat };
}

/** Servers started and not yet stopped, so a signal can stop them (by PID). */
const running = new Set<{ stop(): Promise<void> }>();

async function checkAnswers(address: ServerAddress): Promise<void> {
  const query = dnsPacket.encode({ type: 'query', id: 7, questions: [{ name: `h0.${BENCH_ORIGIN}`, type: 'A', class: 'IN' }] });
  const response = dnsPacket.decode(await exchangeUdp(address, query, 2000)) as dnsPacket.DecodedPacket & { rcode?: string };
  if (response.rcode !== 'NOERROR' || (response.answers ?? []).length !== 1) {
    throw new Error(`h0.${BENCH_ORIGIN} A: expected one A record, got ${response.rcode ?? '?'} with ${(response.answers ?? []).length} answers`);
  }
}

/** A server started for one zone size, with what its start cost. */
interface StartedServer {
  readonly server: ServerName;
  readonly address: ServerAddress;
  readonly process: ServerProcess;
  readonly importSeconds: number | null;
  readonly readySeconds: number;
  /** VmRSS in MiB right after the first answer (zone loaded, no query traffic yet). */
  readonly rssAtReadyMiB: number;
  stop(): Promise<void>;
}

async function startServer(server: ServerName, zoneFile: string): Promise<StartedServer> {
  const port = await freePort();
  const zones = [{ origin: BENCH_ORIGIN, file: zoneFile }];
  const timeoutMs = 300000;
  const started = server === 'knot'
    ? { ...(await startKnot(zones, port, { timeoutMs, pinCpu: SERVER_CPU })), importMs: null }
    : server === 'echo' || server === 'echo-batched' ? await startEcho(port, server === 'echo' ? 'literal' : 'batched')
      : await startMcns(zones, port, { timeoutMs, pinCpu: SERVER_CPU, udpIo: server === 'mcns' ? 'batched' : 'dgram' });
  running.add(started);
  return {
    server,
    address: started.address,
    process: started.process,
    importSeconds: started.importMs === null ? null : started.importMs / 1000,
    readySeconds: started.readyMs / 1000,
    rssAtReadyMiB: processMemoryMiB(started.process.pid).rss,
    stop: async () => {
      await started.stop();
      running.delete(started);
    },
  };
}

/** The bare UDP echo (the floor of a UDP path), pinned like the others; it answers every query with one fixed answer. */
async function startEcho(port: number, mode: 'literal' | 'batched'): Promise<{ address: ServerAddress; process: ServerProcess; readyMs: number; importMs: null; stop(): Promise<void> }> {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'udp-echo-server.js');
  const child = await ServerProcess.spawn('echo', 'taskset', ['-c', String(SERVER_CPU), process.execPath, script, String(port), mode]);
  const address = { host: '127.0.0.1', port };
  const probe = Buffer.from(dnsPacket.encode({ type: 'query', id: 1, questions: [{ type: 'A', name: `h0.${BENCH_ORIGIN}` }] }));
  const readyMs = await child.waitForAnswer(address, probe, 10_000);
  return { address, process: child, readyMs, importMs: null, stop: () => child.stop() };
}

/** One measured dnsperf run against a started server. */
async function measureOnce(started: StartedServer, names: number, queryFile: string, options: Options): Promise<Measurement> {
  const base = { host: started.address.host, port: started.address.port, queryFile, outstanding: options.outstanding, cpu: CLIENT_CPU };
  const cpuBefore = processCpuMicros(started.process.pid);
  const wallBefore = performance.now();
  // At most ~2M queries a second for the whole run: a bound, never the limit in practice.
  const maxPasses = Math.max(1, Math.ceil((options.duration * 2000000) / options.queryLines));
  const perf = await runDnsperf({ ...base, seconds: options.duration, maxPasses });
  const cpuMicros = processCpuMicros(started.process.pid) - cpuBefore;
  const wallMicros = (performance.now() - wallBefore) * 1000;
  const memory = processMemoryMiB(started.process.pid);
  return {
    server: started.server, names, perf,
    cpuMicrosPerQuery: perf.completed > 0 ? cpuMicros / perf.completed : NaN,
    serverCpuPercent: (cpuMicros / wallMicros) * 100,
    importSeconds: started.importSeconds,
    readySeconds: started.readySeconds,
    rssAtReadyMiB: started.rssAtReadyMiB,
    rssMiB: memory.rss,
    hwmMiB: memory.hwm,
    loadAverage: loadavg()[0] ?? NaN,
    error: null,
  };
}

/** The run with the median QPS (the machine is shared: single runs are noisy). */
function medianRun(runs: readonly Measurement[]): Measurement {
  const sorted = [...runs].sort((a, b) => (a.perf?.qps ?? 0) - (b.perf?.qps ?? 0));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/**
 * Starts every server on the zone (idle servers cost nothing on CPU 0), warms
 * each up, then runs the servers in turn `repeat` times and keeps each one's median run.
 */
async function measureZone(names: number, zoneFile: string, queryFile: string, options: Options): Promise<Measurement[]> {
  const started: StartedServer[] = [];
  const results: Measurement[] = [];
  try {
    for (const server of options.servers) {
      try {
        const s = await startServer(server, zoneFile);
        started.push(s);
        await checkAnswers(s.address);
        console.log(`  ${server}: ready in ${fixed(s.readySeconds, 2)} s${s.importSeconds === null ? '' : ` after an import of ${fixed(s.importSeconds, 2)} s`}`);
      } catch (error) {
        results.push(failed(server, names, error));
      }
    }
    for (const s of started) {
      if (options.warmup > 0) {
        await runDnsperf({ host: s.address.host, port: s.address.port, queryFile, outstanding: options.outstanding, cpu: CLIENT_CPU, seconds: options.warmup, maxPasses: 100 });
      }
    }
    const runs = new Map<StartedServer, Measurement[]>(started.map((s) => [s, []]));
    for (let round = 0; round < options.repeat; round++) {
      for (const s of started) {
        const run = await measureOnce(s, names, queryFile, options);
        runs.get(s)!.push(run);
        console.log(`  ${s.server} run ${round + 1}: ${fixed(run.perf!.qps, 0)} QPS, ${fixed(run.cpuMicrosPerQuery, 2)} µs CPU/query, ` +
          `server CPU ${fixed(run.serverCpuPercent, 0)}%, client CPU ${fixed(run.perf!.clientCpuPercent, 0)}%, load ${fixed(run.loadAverage, 2)}`);
      }
    }
    for (const s of started) results.push(medianRun(runs.get(s)!));
  } catch (error) {
    results.push(failed(started[0]?.server ?? 'mcns', names, error));
  } finally {
    for (const s of started) await s.stop();
  }
  return results;
}

function failed(server: ServerName, names: number, error: unknown): Measurement {
  const message = error instanceof Error ? error.message : String(error);
  return {
    server, names, perf: null, cpuMicrosPerQuery: NaN, serverCpuPercent: NaN, importSeconds: null,
    readySeconds: NaN, rssAtReadyMiB: NaN, rssMiB: NaN, hwmMiB: NaN, loadAverage: NaN, error: message.split('\n').slice(0, 6).join(' | '),
  };
}

function fixed(value: number | null, digits: number): string {
  return value === null || Number.isNaN(value) ? '-' : value.toFixed(digits);
}

function printTable(results: readonly Measurement[]): void {
  console.log('\n| names | server | QPS | mcns/knot | CPU µs/query | QPS per core | server CPU % | client CPU % | lost | avg latency ms | import s | start→first answer s | VmRSS at ready MiB | VmRSS after MiB | VmHWM MiB | load avg |');
  console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const knot = results.find((k) => k.server === 'knot' && k.names === r.names && k.perf !== null);
    const ratio = r.server.startsWith('mcns') && r.perf !== null && knot?.perf ? r.perf.qps / knot.perf.qps : NaN;
    const p = r.perf;
    console.log(`| ${r.names} | ${r.server} | ${p === null ? 'failed' : fixed(p.qps, 0)} | ${fixed(ratio, 2)} | ` +
      `${fixed(r.cpuMicrosPerQuery, 2)} | ${fixed(1e6 / r.cpuMicrosPerQuery, 0)} | ${fixed(r.serverCpuPercent, 0)} | ${p === null ? '-' : fixed(p.clientCpuPercent, 0)} | ` +
      `${p === null ? '-' : `${p.lost}/${p.sent}`} | ${p === null ? '-' : fixed(p.avgLatencyMs, 3)} | ${fixed(r.importSeconds, 2)} | ` +
      `${fixed(r.readySeconds, 2)} | ${fixed(r.rssAtReadyMiB, 0)} | ${fixed(r.rssMiB, 0)} | ${fixed(r.hwmMiB, 0)} | ${fixed(r.loadAverage, 2)} |`);
  }
  for (const r of results) if (r.error !== null) console.log(`\n${r.server} on ${r.names} names failed: ${r.error}`);
  for (const r of results) if (r.perf !== null) console.log(`\n${r.server} on ${r.names} names, response codes: ${r.perf.responseCodes}`);
}

function printTargets(results: readonly Measurement[]): void {
  const mcns = results.filter((r) => r.server === 'mcns' && r.perf !== null);
  if (mcns.length === 0) return;
  console.log('\nTargets (issue 2):');
  for (const r of mcns) {
    console.log(`  ${r.names} names: QPS ${fixed(r.perf!.qps, 0)} (>= 100000: ${r.perf!.qps >= 100000 ? 'met' : 'NOT met'}), ` +
      `CPU ${fixed(r.cpuMicrosPerQuery, 2)} µs/query (<= 10: ${r.cpuMicrosPerQuery <= 10 ? 'met' : 'NOT met'})`);
  }
  const floors = [['mcns', 'echo-batched', 'batched'], ['mcns-dgram', 'echo', 'dgram']] as const;
  for (const [server, floor, path] of floors) {
    for (const r of results.filter((x) => x.server === server && x.perf !== null)) {
      const echo = results.find((e) => e.server === floor && e.names === r.names && e.perf !== null);
      if (echo !== undefined) {
        console.log(`  ${r.names} names: ${server} ${fixed(r.cpuMicrosPerQuery, 2)} µs/query against the bare ${path} UDP echo's ${fixed(echo.cpuMicrosPerQuery, 2)} ` +
          `(the floor of that path on this machine now): ${fixed(r.cpuMicrosPerQuery - echo.cpuMicrosPerQuery, 2)} µs of DNS work per query`);
      }
    }
  }
  const big = mcns.find((r) => r.names === 1000000);
  if (big !== undefined) {
    console.log(`  1M names: start to first answer ${fixed(big.readySeconds, 2)} s (<= 3: ${big.readySeconds <= 3 ? 'met' : 'NOT met'}), ` +
      `import ${fixed(big.importSeconds, 2)} s, VmRSS at ready ${fixed(big.rssAtReadyMiB, 0)} MiB, ` +
      `VmHWM after the runs ${fixed(big.hwmMiB, 0)} MiB (<= 600: ${big.hwmMiB <= 600 ? 'met' : 'NOT met'})`);
    const small = mcns.find((r) => r.names === 10000);
    if (small !== undefined) {
      const qpsChange = big.perf!.qps / small.perf!.qps - 1;
      const perCoreChange = small.cpuMicrosPerQuery / big.cpuMicrosPerQuery - 1;
      console.log(`  1M vs 10k names: QPS ${qpsChange >= 0 ? '+' : ''}${fixed(qpsChange * 100, 1)}%, ` +
        `QPS per core (from CPU per query) ${perCoreChange >= 0 ? '+' : ''}${fixed(perCoreChange * 100, 1)}% ` +
        `(within 10%: ${perCoreChange >= -0.1 ? 'met' : 'NOT met'}, judged on CPU per query, which the shared machine disturbs less)`);
    }
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const stopAll = (): void => {
    void Promise.all([...running].map((s) => s.stop())).finally(() => process.exit(130));
  };
  process.once('SIGINT', stopAll);
  process.once('SIGTERM', stopAll);
  console.log(`servers pinned to CPU ${SERVER_CPU}, dnsperf to CPU ${CLIENT_CPU} (-c 1 -T 1 -q ${options.outstanding}), ` +
    `${options.warmup} s warm-up, then ${options.repeat} measured runs of ${options.duration} s each (median kept), servers in turn; query mix: ${QUERY_MIX.answer}% answers, ` +
    `${QUERY_MIX.cname}% CNAME to A, ${QUERY_MIX.nxdomain}% NXDOMAIN, ${QUERY_MIX.nodata}% NODATA`);
  const results: Measurement[] = [];
  for (const names of options.names) {
    const dir = mkdtempSync(join(tmpdir(), 'mcns-bench-'));
    try {
      const zoneFile = join(dir, 'bench.test.zone');
      const queryFile = join(dir, 'queries.txt');
      const generated = performance.now();
      writeBenchZone(zoneFile, names);
      writeBenchQueries(queryFile, names, options.queryLines);
      console.log(`${names} names: zone and ${options.queryLines} queries generated in ${fixed((performance.now() - generated) / 1000, 2)} s`);
      results.push(...(await measureZone(names, zoneFile, queryFile, options)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  printTable(results);
  printTargets(results);
}

await main();
