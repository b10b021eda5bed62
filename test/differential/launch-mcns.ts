// Starts mcns the way an operator does: zones imported through the real CLI
// (`mcns zone import`), then `mcns serve` as its own process on loopback.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import dnsPacket from 'dns-packet';
import type { CorpusZone } from '../corpus/corpus-files.js';
import type { ServerAddress } from './dns-exchange.js';
import { ServerProcess } from './server-process.js';

/** A running mcns and what it took to get there. */
export interface McnsServer {
  readonly address: ServerAddress;
  readonly process: ServerProcess;
  /** Milliseconds spent in `mcns zone import`, all zones together. */
  readonly importMs: number;
  /** Milliseconds from spawning `mcns serve` to the first NOERROR answer. */
  readonly readyMs: number;
  /** Stops mcns by its PID and removes its directory. */
  stop(): Promise<void>;
}

/** Options for `startMcns`. */
export interface McnsStartOptions {
  /** Budget for each import and for the server to answer. */
  readonly timeoutMs?: number;
  /** Extra `node` arguments for `mcns serve` (e.g. heap size). */
  readonly nodeArgs?: readonly string[];
  /** Pin `mcns serve` to this CPU (taskset -c). */
  readonly pinCpu?: number;
  /** [dns] udp_io; the default ("auto") when not given. */
  readonly udpIo?: 'auto' | 'batched' | 'dgram';
}

function findMcnsBin(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'bin', 'mcns.js');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error('bin/mcns.js not found above the compiled file');
}

/** The launcher script bin/mcns.js of this checkout. */
export const MCNS_BIN = findMcnsBin();

/**
 * A minimal mcns configuration: one loopback listener, a database in `dir`, quiet
 * logs, the API on free ports, and metrics on `metricsPort` (a free one by default).
 * Other tables can be appended to the text.
 */
export function mcnsConfig(dir: string, port: number, metricsPort = 0, udpIo?: 'auto' | 'batched' | 'dgram'): string {
  return [
    '[dns]',
    `listen_addr = ["127.0.0.1:${port}"]`,
    ...(udpIo === undefined ? [] : [`udp_io = "${udpIo}"`]),
    '',
    '[database]',
    `path = ${JSON.stringify(join(dir, 'mcns.db'))}`,
    '',
    '[log]',
    'level = "warn"',
    '',
    // The API and metrics on ports the system picks: never contend for the defaults.
    '[api]',
    'rest_addr = "127.0.0.1:0"',
    'grpc_addr = "127.0.0.1:0"',
    '',
    '[metrics]',
    `listen_addr = "127.0.0.1:${metricsPort}"`,
    '',
  ].join('\n');
}

function runCli(args: readonly string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [MCNS_BIN, ...args], { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error === null) resolve();
      else reject(new Error(`mcns ${args.join(' ')} failed (${error.message}):\n${stdout}${stderr}`));
    });
  });
}

/** Imports the zones with the CLI and starts `mcns serve` on 127.0.0.1:`port`. */
export async function startMcns(zones: readonly CorpusZone[], port: number, options: McnsStartOptions = {}): Promise<McnsServer> {
  const timeoutMs = options.timeoutMs ?? 30000;
  const dir = mkdtempSync(join(tmpdir(), 'mcns-diff-'));
  const config = join(dir, 'mcns.toml');
  writeFileSync(config, mcnsConfig(dir, port, 0, options.udpIo));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  const importStarted = performance.now();
  try {
    for (const zone of zones) await runCli(['zone', 'import', zone.origin, zone.file, '--config', config], timeoutMs);
  } catch (error) {
    cleanup();
    throw error;
  }
  const importMs = performance.now() - importStarted;
  const serveArgs = [...(options.nodeArgs ?? []), MCNS_BIN, 'serve', '--config', config];
  const mcns = options.pinCpu === undefined
    ? await ServerProcess.spawn('mcns', process.execPath, serveArgs)
    : await ServerProcess.spawn('mcns', 'taskset', ['-c', String(options.pinCpu), process.execPath, ...serveArgs]);
  const address = { host: '127.0.0.1', port };
  const stop = async (): Promise<void> => {
    await mcns.stop();
    cleanup();
  };
  let readyMs: number;
  try {
    const first = zones[0];
    if (first === undefined) throw new Error('no zones to serve');
    const probe = dnsPacket.encode({ type: 'query', id: 1, questions: [{ name: first.origin, type: 'SOA', class: 'IN' }] });
    readyMs = await mcns.waitForAnswer(address, probe, timeoutMs, (response) => response.length > 3 && (response[3]! & 0x0f) === 0);
  } catch (error) {
    await stop();
    throw error;
  }
  return { address, process: mcns, importMs, readyMs, stop };
}
