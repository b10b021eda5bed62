// Benchmark (issue 5 item 6): what a forwarded answer from mcns's cache costs, against
// an authoritative answer from the same mcns process and against unbound's cache.
// One run starts, on 127.0.0.1 only:
//   knotd    the upstream authoritative for bench.test. (the generated bench zone),
//   mcns     `mcns serve` with [forward] upstreams = [knotd], allow_recursion loopback,
//            and its own zone local.test. (the same zone under another origin),
//   unbound  1.17, one thread, forward-zone bench.test. -> knotd,
// all pinned to CPU 0; warms both caches with one pass of the query file, then runs
// dnsperf pinned to CPU 1 with the same query file (names under bench.test.: cache
// hits) against mcns and unbound, with the same file under local.test. against mcns
// (authoritative answers), and against knotd itself (an authoritative reference),
// targets in turn (the order rotating each round), --repeat rounds, medians kept. CPU per query is the server's
// utime + stime over the run (/proc/PID/stat) divided by the queries answered.
// Every measured cache-hit run checks that no query reached knotd (mod-stats via
// knotc), mcns sent nothing upstream (GET /metrics), unbound had no cache miss
// (unbound-control). Not part of the test suite. Usage:
//   node dist/bench/run-forward-comparison.js [--names 10000] [--duration 10] [--repeat 3]
//     [--outstanding 200] [--queries 100000] [--rate QPS] [--profile]
// --rate runs dnsperf at that fixed offered rate (-Q) instead of flat out, so that every
// target does the same work per second (CPU per query falls as a server gets busier:
// more queries per wake-up), which isolates what the answer path itself costs.
// --profile runs mcns under `node --cpu-prof` and summarizes where its CPU goes during
// the cache-hit runs and during the authoritative runs (profiling slows it down: the
// numbers of a profiled run are not the benchmark's).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import { BENCH_ORIGIN, QUERY_MIX, writeBenchQueries, writeBenchZone } from './bench-zone.js';
import { summarizeProfile, type ProfileSummary } from './cpu-profile-summary.js';
import { runDnsperf, type DnsperfResult } from './dnsperf-run.js';
import {
  startKnotUpstream, startMcnsForwarding, startUnbound,
  type BenchServer, type KnotUpstreamServer, type McnsForwardServer, type UnboundServer,
} from './forward-bench-servers.js';
import { processCpuMicros, processMemoryMiB } from './proc-stats.js';
import { exchangeUdp, type ServerAddress } from '../test/differential/dns-exchange.js';

/** mcns's own zone: the bench zone under another origin of the same length (same reply sizes). */
const LOCAL_ORIGIN = 'local.test.';
const SERVER_CPU = 0;
const CLIENT_CPU = 1;
/** The issue's reference for unbound 1.17, one thread, on this machine. */
const ISSUE_UNBOUND = { qps: 141000, cpuMicros: 6.7 };
/** Target of issue 5: a cache hit costs at most 1.1x an authoritative answer. */
const CACHE_VS_AUTH_TARGET = 1.1;

type TargetName = 'mcns cache hit' | 'unbound cache hit' | 'mcns authoritative' | 'knot authoritative';

interface Options {
  readonly names: number;
  readonly duration: number;
  readonly repeat: number;
  readonly outstanding: number;
  readonly queryLines: number;
  readonly profile: boolean;
  /** dnsperf -Q: the same offered load for every target; null runs flat out (closed loop). */
  readonly rate: number | null;
}

function parseOptions(argv: readonly string[]): Options {
  let names = 10000;
  let duration = 10;
  let repeat = 3;
  let outstanding = 200;
  let queryLines = 100000;
  let profile = false;
  let rate: number | null = null;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--profile') { profile = true; continue; }
    const value = argv[++i];
    const number = Number(value);
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--names' && Number.isInteger(number) && number >= 100 && number <= 2000000) names = number;
    else if (flag === '--duration' && number > 0 && number <= 60) duration = number;
    else if (flag === '--repeat' && Number.isInteger(number) && number >= 1 && number <= 20) repeat = number;
    else if (flag === '--outstanding' && Number.isInteger(number) && number > 0 && number <= 10000) outstanding = number;
    else if (flag === '--queries' && Number.isInteger(number) && number >= 1000 && number <= 1000000) queryLines = number;
    else if (flag === '--rate' && Number.isInteger(number) && number >= 100 && number <= 1000000) rate = number;
    else throw new Error(`bad option ${flag} ${value}`);
  }
  // Every answer is cached for 3600 s after the warm-up: all measured runs (four targets
  // a round, plus reading counters) must end well before the first entry expires.
  if (4 * repeat * (duration + 2) > 3000) throw new Error(`--repeat ${repeat} x --duration ${duration}: too long, the cached answers (TTL 3600 s) would expire during the runs`);
  return { names, duration, repeat, outstanding, queryLines, profile, rate };
}

/** One measured dnsperf run against one target. */
interface Run {
  readonly target: TargetName;
  readonly round: number;
  readonly perf: DnsperfResult;
  readonly cpuMicrosPerQuery: number;
  readonly serverCpuPercent: number;
  readonly loadAverage: number;
  /** Queries knotd received during the run (0 for a cache-hit run that never missed). */
  readonly upstreamQueries: number;
  /** What the cache under test said about the run: "hits 1,234, misses 0" or null. */
  readonly cacheNote: string | null;
  /** CLOCK_MONOTONIC microseconds at the start and end (for the profile window). */
  readonly fromMicros: number;
  readonly toMicros: number;
}

interface Target {
  readonly name: TargetName;
  readonly server: BenchServer;
  readonly queryFile: string;
  /** Counters of the cache under test, read before and after a run. */
  readonly cacheCounters?: () => Promise<{ hits: number; misses: number; upstream?: number }>;
}

/** Servers started and not yet stopped, so a signal can stop them (by PID). */
const running = new Set<BenchServer>();

async function started<T extends BenchServer>(server: Promise<T>): Promise<T> {
  const s = await server;
  running.add(s);
  return s;
}

async function stopServer(server: BenchServer | undefined): Promise<void> {
  if (server === undefined || !running.has(server)) return;
  await server.stop();
  running.delete(server);
}

function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

function fixed(value: number | null | undefined, digits: number): string {
  return value === null || value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits);
}

function grouped(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Asks one question with RD set; checks the rcode, the answer count and the AA and RA bits. */
async function checkAnswer(address: ServerAddress, name: string, expect: { aa: boolean; ra: boolean }): Promise<void> {
  const query = dnsPacket.encode({ type: 'query', id: 7, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: 'A', class: 'IN' }] });
  const reply = await exchangeUdp(address, query, 3000);
  const response = dnsPacket.decode(reply) as dnsPacket.DecodedPacket & { rcode?: string };
  const aa = (reply[2]! & 0x04) !== 0;
  const ra = (reply[3]! & 0x80) !== 0;
  if (response.rcode !== 'NOERROR' || (response.answers ?? []).length !== 1 || aa !== expect.aa || ra !== expect.ra) {
    throw new Error(`${name} A at ${address.host}:${address.port}: expected NOERROR, one A, AA ${expect.aa ? 'set' : 'clear'}, RA ${expect.ra ? 'set' : 'clear'}; ` +
      `got ${response.rcode ?? '?'}, ${(response.answers ?? []).length} answers, AA ${aa ? 'set' : 'clear'}, RA ${ra ? 'set' : 'clear'}`);
  }
}

/**
 * One pass of `queryFile` (not measured), repeated while queries were lost, at most
 * three passes: a lost query during warm-up is a name the cache does not hold.
 */
async function warm(label: string, server: BenchServer, queryFile: string): Promise<void> {
  for (let pass = 1; pass <= 3; pass++) {
    const perf = await runDnsperf({ host: server.address.host, port: server.address.port, queryFile, outstanding: 50, cpu: CLIENT_CPU, seconds: 120, maxPasses: 1 });
    console.log(`  warm ${label}, pass ${pass}: ${grouped(perf.completed)} answered at ${grouped(perf.qps)} QPS, ${perf.lost} lost; ${perf.responseCodes}`);
    if (perf.completed === 0) {
      throw new Error(`${server.process.label} answered nothing (${server.process.running ? 'still running' : 'exited'}); its output:\n${server.process.output().slice(-4000)}`);
    }
    if (perf.lost === 0) return;
  }
}

async function measure(target: Target, round: number, knot: KnotUpstreamServer, options: Options): Promise<Run> {
  const pid = target.server.process.pid;
  const upstreamBefore = await knot.queryCount();
  const cacheBefore = target.cacheCounters === undefined ? null : await target.cacheCounters();
  const cpuBefore = processCpuMicros(pid);
  const fromMicros = monotonicMicros();
  const wallBefore = performance.now();
  // At most ~2M queries a second for the whole run: a bound, never the limit in practice.
  const maxPasses = Math.max(1, Math.ceil((options.duration * 2000000) / options.queryLines));
  const dnsperf = {
    host: target.server.address.host, port: target.server.address.port, queryFile: target.queryFile,
    outstanding: options.outstanding, cpu: CLIENT_CPU, seconds: options.duration, maxPasses,
  };
  const perf = await runDnsperf(options.rate === null ? dnsperf : { ...dnsperf, qps: options.rate });
  const toMicros = monotonicMicros();
  const cpuMicros = processCpuMicros(pid) - cpuBefore;
  const wallMicros = (performance.now() - wallBefore) * 1000;
  const cacheAfter = target.cacheCounters === undefined ? null : await target.cacheCounters();
  const upstreamAfter = await knot.queryCount();
  let cacheNote: string | null = null;
  if (cacheBefore !== null && cacheAfter !== null) {
    cacheNote = `hits ${grouped(cacheAfter.hits - cacheBefore.hits)}, misses ${grouped(cacheAfter.misses - cacheBefore.misses)}` +
      (cacheAfter.upstream === undefined ? '' : `, sent upstream ${grouped(cacheAfter.upstream - (cacheBefore.upstream ?? 0))}`);
  }
  return {
    target: target.name, round, perf,
    cpuMicrosPerQuery: perf.completed > 0 ? cpuMicros / perf.completed : NaN,
    serverCpuPercent: (cpuMicros / wallMicros) * 100,
    loadAverage: loadavg()[0] ?? NaN,
    // knotd answers the knot target itself: its count says nothing about caching there.
    upstreamQueries: target.name === 'knot authoritative' ? NaN : upstreamAfter - upstreamBefore,
    cacheNote,
    fromMicros, toMicros,
  };
}

interface Summary {
  readonly target: TargetName;
  readonly runs: readonly Run[];
  readonly qps: number;
  readonly cpu: number;
}

function summarize(runs: readonly Run[], target: TargetName): Summary | null {
  const mine = runs.filter((r) => r.target === target);
  if (mine.length === 0) return null;
  return { target, runs: mine, qps: median(mine.map((r) => r.perf.qps)), cpu: median(mine.map((r) => r.cpuMicrosPerQuery)) };
}

function range(values: readonly number[], digits: number): string {
  return `${fixed(Math.min(...values), digits)}–${fixed(Math.max(...values), digits)}`;
}

function printResults(runs: readonly Run[], options: Options): void {
  const targets: TargetName[] = ['mcns cache hit', 'mcns authoritative', 'unbound cache hit', 'knot authoritative'];
  const summaries = targets.map((t) => summarize(runs, t)).filter((s): s is Summary => s !== null);
  console.log(`\nMedians of ${options.repeat} runs of ${options.duration} s per target (range over the runs in the last two columns):\n`);
  console.log('| target | QPS | CPU µs/query | QPS per core | server CPU % | client CPU % | lost | upstream queries during runs | QPS range | CPU µs/query range |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const s of summaries) {
    const lost = s.runs.reduce((n, r) => n + r.perf.lost, 0);
    const sent = s.runs.reduce((n, r) => n + r.perf.sent, 0);
    const upstream = s.target === 'knot authoritative' ? '–' : grouped(s.runs.reduce((n, r) => n + r.upstreamQueries, 0));
    console.log(`| ${s.target} | ${grouped(s.qps)} | ${fixed(s.cpu, 2)} | ${grouped(1e6 / s.cpu)} | ` +
      `${fixed(median(s.runs.map((r) => r.serverCpuPercent)), 0)} | ${fixed(median(s.runs.map((r) => r.perf.clientCpuPercent)), 0)} | ` +
      `${grouped(lost)} / ${grouped(sent)} | ${upstream} | ${range(s.runs.map((r) => r.perf.qps), 0)} | ${range(s.runs.map((r) => r.cpuMicrosPerQuery), 2)} |`);
  }
  const get = (t: TargetName): Summary | undefined => summaries.find((s) => s.target === t);
  const cache = get('mcns cache hit');
  const auth = get('mcns authoritative');
  const unbound = get('unbound cache hit');
  const knot = get('knot authoritative');
  console.log('\nRatios (CPU per query, lower is cheaper):');
  if (cache !== undefined && auth !== undefined) {
    const ratio = cache.cpu / auth.cpu;
    // Paired in the same round: both ran within seconds, under the same background load.
    const paired = cache.runs.map((c) => {
      const a = auth.runs.find((r) => r.round === c.round);
      return a === undefined ? NaN : c.cpuMicrosPerQuery / a.cpuMicrosPerQuery;
    }).filter((x) => !Number.isNaN(x));
    console.log(`  mcns cache hit / mcns authoritative: ${fixed(ratio, 2)} of medians, per round ${paired.map((x) => fixed(x, 2)).join(', ')} ` +
      `(median ${fixed(median(paired), 2)}); target <= ${CACHE_VS_AUTH_TARGET}: ${ratio <= CACHE_VS_AUTH_TARGET ? 'met' : 'NOT met'}`);
  }
  if (cache !== undefined && unbound !== undefined) {
    console.log(`  mcns cache hit / unbound cache hit: CPU ${fixed(cache.cpu / unbound.cpu, 2)}x, QPS ${fixed(cache.qps / unbound.qps, 2)}x, ` +
      `QPS per core ${fixed(unbound.cpu / cache.cpu, 2)}x`);
    console.log(`  unbound here: ${grouped(unbound.qps)} QPS, ${fixed(unbound.cpu, 2)} µs/query; the issue's reference: ` +
      `${grouped(ISSUE_UNBOUND.qps)} QPS, ${ISSUE_UNBOUND.cpuMicros} µs/query; mcns cache hit against that reference: ` +
      `${fixed(cache.cpu / ISSUE_UNBOUND.cpuMicros, 2)}x the CPU`);
  }
  if (auth !== undefined && knot !== undefined) {
    console.log(`  mcns authoritative / knot authoritative: CPU ${fixed(auth.cpu / knot.cpu, 2)}x`);
  }
  console.log('\nResponse codes (median run by QPS of each target):');
  for (const s of summaries) {
    const mid = [...s.runs].sort((a, b) => a.perf.qps - b.perf.qps)[Math.floor((s.runs.length - 1) / 2)]!;
    console.log(`  ${s.target}: ${mid.perf.responseCodes}`);
  }
  const misses = runs.filter((r) => r.target.endsWith('cache hit') && r.upstreamQueries !== 0);
  console.log(misses.length === 0
    ? '\nCache hits verified: knotd received no query during any measured cache-hit run.'
    : `\nWARNING: knotd received queries during ${misses.length} cache-hit run(s): ${misses.map((r) => `${r.target} round ${r.round}: ${r.upstreamQueries}`).join('; ')}`);
}

function printProfile(label: string, summary: ProfileSummary): void {
  console.log(`\nmcns CPU profile, ${label}: ${summary.samples} busy samples over ${fixed(summary.milliseconds / 1000, 1)} s (${summary.idleSamples} idle samples left out)`);
  console.log('  self time by area:');
  for (const a of summary.areas.slice(0, 14)) console.log(`    ${fixed(a.percent, 1).padStart(5)}%  ${a.label}`);
  console.log('  most self time:');
  for (const f of summary.topSelf) console.log(`    ${fixed(f.percent, 1).padStart(5)}%  ${f.label}`);
  console.log('  most inclusive time:');
  for (const f of summary.topInclusive) console.log(`    ${fixed(f.percent, 1).padStart(5)}%  ${f.label}`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const stopAll = (): void => {
    void Promise.all([...running].map((s) => s.stop())).finally(() => process.exit(130));
  };
  process.once('SIGINT', stopAll);
  process.once('SIGTERM', stopAll);
  const dir = mkdtempSync(join(tmpdir(), 'mcns-fwdbench-'));
  let knot: KnotUpstreamServer | undefined;
  let unbound: UnboundServer | undefined;
  let mcns: McnsForwardServer | undefined;
  const profileDir = join(dir, 'profile');
  try {
    // The zone and queries under bench.test. (knotd's, forwarded), and the same under local.test. (mcns's own).
    const upstreamZone = join(dir, 'upstream.zone');
    const localZone = join(dir, 'local.zone');
    const upstreamQueries = join(dir, 'upstream-queries.txt');
    const localQueries = join(dir, 'local-queries.txt');
    writeBenchZone(upstreamZone, options.names);
    writeBenchQueries(upstreamQueries, options.names, options.queryLines);
    // SOA MINIMUM 300 -> 3600: negative answers (NXDOMAIN, NODATA) then stay cached for
    // an hour like the positive ones ($TTL 3600), longer than any run (see parseOptions).
    const zoneText = readFileSync(upstreamZone, 'utf8');
    const soa = ' 1 3600 900 1209600 300\n';
    if (!zoneText.includes(soa)) throw new Error(`the bench zone's SOA changed: no "${soa.trim()}" in ${upstreamZone}`);
    writeFileSync(upstreamZone, zoneText.replace(soa, ' 1 3600 900 1209600 3600\n'));
    const reorigin = (text: string): string => text.split(BENCH_ORIGIN).join(LOCAL_ORIGIN);
    writeFileSync(localZone, reorigin(readFileSync(upstreamZone, 'utf8')));
    writeFileSync(localQueries, reorigin(readFileSync(upstreamQueries, 'utf8')));
    console.log(`${options.names} names, ${options.queryLines} queries (${QUERY_MIX.answer}% answers, ${QUERY_MIX.cname}% CNAME to A, ` +
      `${QUERY_MIX.nxdomain}% NXDOMAIN, ${QUERY_MIX.nodata}% NODATA); servers pinned to CPU ${SERVER_CPU}, dnsperf to CPU ${CLIENT_CPU} ` +
      `(-c 1 -T 1 -q ${options.outstanding}${options.rate === null ? ', flat out' : `, -Q ${options.rate}: fixed offered rate`}); ${options.repeat} rounds of ${options.duration} s per target${options.profile ? '; mcns under --cpu-prof' : ''}`);

    knot = await started(startKnotUpstream(BENCH_ORIGIN, upstreamZone, SERVER_CPU));
    unbound = await started(startUnbound(BENCH_ORIGIN, knot.address, SERVER_CPU));
    mcns = await started(startMcnsForwarding({
      zone: { origin: LOCAL_ORIGIN, file: localZone }, upstream: knot.address, cpu: SERVER_CPU,
      nodeArgs: options.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval=200'] : [],
    }));
    console.log(`knotd :${knot.address.port} (pid ${knot.process.pid}), unbound :${unbound.address.port} (pid ${unbound.process.pid}), ` +
      `mcns :${mcns.address.port} (pid ${mcns.process.pid}, zone import ${fixed(mcns.importSeconds, 2)} s)`);
    await checkAnswer(mcns.address, `h0.${BENCH_ORIGIN}`, { aa: false, ra: true });
    await checkAnswer(mcns.address, `h0.${LOCAL_ORIGIN}`, { aa: true, ra: true });
    await checkAnswer(unbound.address, `h0.${BENCH_ORIGIN}`, { aa: false, ra: true });

    // Warm-up: fills both caches (one pass of every question), and warms mcns's
    // authoritative path and knotd alike so that no target starts cold.
    await warm('mcns cache', mcns, upstreamQueries);
    await warm('unbound cache', unbound, upstreamQueries);
    await warm('mcns authoritative', mcns, localQueries);
    await warm('knot', knot, upstreamQueries);
    const mcnsServer = mcns;
    const unboundServer = unbound;
    const mcnsCounters = async (): Promise<{ hits: number; misses: number; upstream: number }> => {
      const c = await mcnsServer.forwarderCounters();
      return { hits: c.cacheHits, misses: c.cacheMisses, upstream: c.upstreamQueries };
    };
    const after = await mcnsServer.forwarderCounters();
    const ub = await unboundServer.cacheCounters();
    console.log(`after warm-up: mcns forwarder cache ${grouped(after.cacheEntries)} entries (${grouped(after.upstreamQueries)} upstream queries so far), ` +
      `unbound ${grouped(ub.misses)} cache misses so far, knotd ${grouped(await knot.queryCount())} queries so far, ` +
      `mcns VmRSS ${fixed(processMemoryMiB(mcnsServer.process.pid).rss, 0)} MiB`);

    const targets: Target[] = [
      { name: 'mcns cache hit', server: mcns, queryFile: upstreamQueries, cacheCounters: mcnsCounters },
      { name: 'mcns authoritative', server: mcns, queryFile: localQueries },
      { name: 'unbound cache hit', server: unbound, queryFile: upstreamQueries, cacheCounters: () => unboundServer.cacheCounters() },
      { name: 'knot authoritative', server: knot, queryFile: upstreamQueries },
    ];
    const runs: Run[] = [];
    for (let round = 1; round <= options.repeat; round++) {
      // The order rotates each round, so no target always runs first (or right after another).
      const order = targets.map((_, i) => targets[(i + round - 1) % targets.length]!);
      for (const target of order) {
        const run = await measure(target, round, knot, options);
        runs.push(run);
        console.log(`  round ${round}, ${target.name}: ${grouped(run.perf.qps)} QPS, ${fixed(run.cpuMicrosPerQuery, 2)} µs CPU/query, ` +
          `server CPU ${fixed(run.serverCpuPercent, 0)}%, client CPU ${fixed(run.perf.clientCpuPercent, 0)}%, lost ${run.perf.lost}, ` +
          `load ${fixed(run.loadAverage, 2)}${Number.isNaN(run.upstreamQueries) ? '' : `, knotd got ${run.upstreamQueries} queries`}` +
          `${run.cacheNote === null ? '' : ` (${run.cacheNote})`}`);
      }
    }
    console.log(`\nmcns VmRSS ${fixed(processMemoryMiB(mcns.process.pid).rss, 0)} MiB, unbound VmRSS ${fixed(processMemoryMiB(unbound.process.pid).rss, 0)} MiB after the runs`);
    printResults(runs, options);

    if (options.profile) {
      await stopServer(mcns); // writes the profile on exit
      const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
      if (file === undefined) throw new Error(`no .cpuprofile in ${profileDir}`);
      for (const name of ['mcns cache hit', 'mcns authoritative'] as const) {
        // Samples of every measured run of this target (not start-up, warm-up or the other target).
        printProfile(`${name} runs`, summarizeProfile(join(profileDir, file), runs.filter((r) => r.target === name), 25));
      }
    }
  } finally {
    await stopServer(mcns);
    await stopServer(unbound);
    await stopServer(knot);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
