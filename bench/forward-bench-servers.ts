// The three servers of the forwarding benchmark (bench/run-forward-comparison.ts),
// each on 127.0.0.1 only, pinned with taskset, stopped by its own PID:
// - knotd, the upstream authoritative, with mod-stats so its query count can be read
//   (knotc stats) to prove that the measured runs never reach it;
// - unbound, one thread, forwarding the upstream zone to knotd, remote control on a
//   unix socket for its cache hit and miss counters (unbound-control stats_noreset);
// - `mcns serve` with [forward] upstreams = [knotd] and a zone of its own, imported
//   through the real CLI, metrics on a known loopback port for its forwarder counters.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import type { ServerAddress } from '../test/differential/dns-exchange.js';
import { knotConfig } from '../test/differential/knot-server.js';
import { MCNS_BIN, mcnsConfig } from '../test/differential/launch-mcns.js';
import { ServerProcess } from '../test/differential/server-process.js';
import { freePort } from '../test/helpers/free-port.js';

/** A server we started: where it answers, its process, and how to stop it. */
export interface BenchServer {
  readonly address: ServerAddress;
  readonly process: ServerProcess;
  stop(): Promise<void>;
}

/** knotd as the upstream: also reads its query count. */
export interface KnotUpstreamServer extends BenchServer {
  /** Queries knotd has received since it started (mod-stats, all protocols). */
  queryCount(): Promise<number>;
}

/** unbound: also reads its cache counters. */
export interface UnboundServer extends BenchServer {
  /** total.num.queries, total.num.cachehits and total.num.cachemiss since start. */
  cacheCounters(): Promise<{ queries: number; hits: number; misses: number }>;
}

/** mcns: also reads its forwarder counters from GET /metrics. */
export interface McnsForwardServer extends BenchServer {
  /** Seconds spent in `mcns zone import` of its own zone. */
  readonly importSeconds: number;
  forwarderCounters(): Promise<{ upstreamQueries: number; cacheHits: number; cacheMisses: number; cacheEntries: number }>;
}

function run(command: string, args: readonly string[], timeoutMs = 60000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error === null) resolve(stdout);
      else reject(new Error(`${command} ${args.join(' ')} failed (${error.message}):\n${stdout}${stderr}`));
    });
  });
}

function pinned(cpu: number | undefined, command: string, args: readonly string[]): [string, string[]] {
  return cpu === undefined ? [command, [...args]] : ['taskset', ['-c', String(cpu), command, ...args]];
}

/** Waits until the server answers `origin` SOA with NOERROR (RD set: resolvers need it). */
async function waitReady(server: ServerProcess, address: ServerAddress, origin: string, timeoutMs: number): Promise<void> {
  const probe = dnsPacket.encode({ type: 'query', id: 1, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name: origin, type: 'SOA', class: 'IN' }] });
  await server.waitForAnswer(address, probe, timeoutMs, (response) => response.length > 3 && (response[3]! & 0x0f) === 0);
}

/** Starts process, waits for `origin` SOA; on failure stops it and removes `dir`. */
async function startAndWait(label: string, command: [string, string[]], dir: string, origin: string, port: number, timeoutMs: number): Promise<BenchServer> {
  const process = await ServerProcess.spawn(label, command[0], command[1]);
  const address = { host: '127.0.0.1', port };
  const stop = async (): Promise<void> => {
    await process.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(process, address, origin, timeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { address, process, stop };
}

/** knotd serving `zoneFile` as `origin` on a free loopback port, one worker of each kind, mod-stats on. */
export async function startKnotUpstream(origin: string, zoneFile: string, cpu: number | undefined): Promise<KnotUpstreamServer> {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-fwdbench-knot-'));
  const port = await freePort();
  const socket = join(dir, 'knot.sock');
  const conf = join(dir, 'knot.conf');
  writeFileSync(conf, knotConfig(dir, port, [{ origin, file: zoneFile }], { controlSocket: socket, modStats: true }));
  const started = await startAndWait('knotd', pinned(cpu, 'knotd', ['-c', conf]), dir, origin, port, 120000);
  return {
    ...started,
    async queryCount() {
      // "mod-stats.request-protocol[udp4] = 123": every query by transport.
      const out = await run('knotc', ['-s', socket, 'stats', 'mod-stats.request-protocol'], 10000);
      let total = 0;
      for (const match of out.matchAll(/request-protocol\[[^\]]+\]\s*=\s*(\d+)/g)) total += Number(match[1]);
      return total;
    },
  };
}

/** unbound, one thread, forwarding `origin` to `upstream`; caches sized for the whole query set. */
export async function startUnbound(origin: string, upstream: ServerAddress, cpu: number | undefined): Promise<UnboundServer> {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-fwdbench-unbound-'));
  const port = await freePort();
  const conf = join(dir, 'unbound.conf');
  const control = join(dir, 'unbound.ctl');
  writeFileSync(conf, [
    'server:',
    `  interface: 127.0.0.1@${port}`,
    '  do-ip6: no',
    '  do-not-query-localhost: no',
    '  access-control: 127.0.0.0/8 allow',
    '  chroot: ""',
    '  username: ""',
    `  directory: "${dir}"`,
    `  pidfile: "${join(dir, 'unbound.pid')}"`,
    '  use-syslog: no',
    '  logfile: ""',
    '  verbosity: 0',
    '  num-threads: 1',
    '  msg-cache-size: 128m',
    '  rrset-cache-size: 256m',
    '  module-config: "iterator"',
    '  qname-minimisation: no',
    '  prefetch: no',
    // RFC 6761 names such as "test." are local zones by default.
    '  local-zone: "test." nodefault',
    `  domain-insecure: "${origin}"`,
    'remote-control:',
    '  control-enable: yes',
    `  control-interface: "${control}"`,
    'forward-zone:',
    `  name: "${origin}"`,
    `  forward-addr: ${upstream.host}@${upstream.port}`,
    '',
  ].join('\n'));
  const started = await startAndWait('unbound', pinned(cpu, 'unbound', ['-d', '-p', '-c', conf]), dir, origin, port, 30000);
  return {
    ...started,
    async cacheCounters() {
      const out = await run('unbound-control', ['-c', conf, 'stats_noreset'], 10000);
      const value = (key: string): number => {
        const match = new RegExp(`^${key.replace(/\./g, '\\.')}=(\\d+)`, 'm').exec(out);
        if (match === null) throw new Error(`unbound-control stats_noreset has no ${key}:\n${out.slice(0, 2000)}`);
        return Number(match[1]);
      };
      return { queries: value('total.num.queries'), hits: value('total.num.cachehits'), misses: value('total.num.cachemiss') };
    },
  };
}

function getText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { timeout: 10000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { body += chunk; });
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`GET ${url}: ${String(res.statusCode)}`))));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: timeout`)));
    req.on('error', reject);
    req.end();
  });
}

/** Options for `startMcnsForwarding`. */
export interface McnsForwardOptions {
  /** The zone mcns is authoritative for, imported with `mcns zone import`. */
  readonly zone: { readonly origin: string; readonly file: string };
  readonly upstream: ServerAddress;
  readonly cpu: number | undefined;
  /** Extra `node` arguments for `mcns serve` (e.g. --cpu-prof). */
  readonly nodeArgs?: readonly string[];
}

/** `mcns serve` with its own zone and [forward] upstreams = [upstream], allow_recursion loopback. */
export async function startMcnsForwarding(options: McnsForwardOptions): Promise<McnsForwardServer> {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-fwdbench-mcns-'));
  const port = await freePort();
  const metricsPort = await freePort();
  const config = join(dir, 'mcns.toml');
  writeFileSync(config, mcnsConfig(dir, port, metricsPort) + [
    '[forward]',
    `upstreams = ["${options.upstream.host}:${options.upstream.port}"]`,
    'allow_recursion = ["127.0.0.0/8"]',
    `cache_max_bytes = ${256 * 1024 * 1024}`,
    '',
  ].join('\n'));
  const importStarted = performance.now();
  try {
    await run(process.execPath, [MCNS_BIN, 'zone', 'import', options.zone.origin, options.zone.file, '--config', config], 300000);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const importSeconds = (performance.now() - importStarted) / 1000;
  const args = [...(options.nodeArgs ?? []), MCNS_BIN, 'serve', '--config', config];
  const started = await startAndWait('mcns', pinned(options.cpu, process.execPath, args), dir, options.zone.origin, port, 120000);
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  return {
    ...started,
    importSeconds,
    async forwarderCounters() {
      const text = await getText(metricsUrl);
      // Sums every series of a family (the upstream family has one label per upstream);
      // NaN when this build does not export it.
      const sum = (name: string): number => {
        let total = 0;
        let seen = false;
        for (const match of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'gm'))) {
          total += Number(match[1]);
          seen = true;
        }
        return seen ? total : NaN;
      };
      return {
        upstreamQueries: sum('mcns_forward_upstream_queries_total'),
        cacheHits: sum('mcns_forward_cache_hits_total'),
        cacheMisses: sum('mcns_forward_cache_misses_total'),
        cacheEntries: sum('mcns_forward_cache_entries'),
      };
    },
  };
}
