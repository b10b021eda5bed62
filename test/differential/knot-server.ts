// Starts Knot DNS (knotd) on loopback with a generated configuration: one UDP,
// one TCP and one background worker, zone files read once and never written back.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import type { CorpusZone } from '../corpus/corpus-files.js';
import type { ServerAddress } from './dns-exchange.js';
import { ServerProcess } from './server-process.js';

/** A running knotd and where it listens. */
export interface KnotServer {
  readonly address: ServerAddress;
  readonly process: ServerProcess;
  /** Milliseconds from spawn to the first NOERROR answer for the first zone's SOA. */
  readonly readyMs: number;
  /** Stops knotd by its PID and removes its directory. */
  stop(): Promise<void>;
}

/** What a knotd configuration may add: a control socket (for knotc), mod-stats on every zone. */
export interface KnotConfigExtras {
  readonly controlSocket?: string;
  readonly modStats?: boolean;
}

/** knotd's configuration: loopback listener, one worker of each kind, read-only zone files. */
export function knotConfig(dir: string, port: number, zones: readonly CorpusZone[], extras: KnotConfigExtras = {}): string {
  return [
    'server:',
    `    rundir: ${JSON.stringify(dir)}`,
    `    listen: 127.0.0.1@${port}`,
    '    udp-workers: 1',
    '    tcp-workers: 1',
    '    background-workers: 1',
    ...(extras.controlSocket === undefined ? [] : ['control:', `    listen: ${JSON.stringify(extras.controlSocket)}`]),
    'log:',
    '  - target: stderr',
    '    any: warning',
    'database:',
    `    storage: ${JSON.stringify(dir)}`,
    'template:',
    '  - id: default',
    `    storage: ${JSON.stringify(dir)}`,
    '    zonefile-sync: -1',
    '    zonefile-load: whole',
    '    journal-content: none',
    '    semantic-checks: off',
    ...(extras.modStats === true ? ['    global-module: mod-stats'] : []),
    'zone:',
    ...zones.map((z) => `  - domain: ${JSON.stringify(z.origin)}\n    file: ${JSON.stringify(z.file)}`),
    '',
  ].join('\n');
}

/** Options for `startKnot`. */
export interface KnotStartOptions {
  /** Budget for the zones to load and the server to answer. */
  readonly timeoutMs?: number;
  /** Pin knotd to this CPU (taskset -c). */
  readonly pinCpu?: number;
}

/** Starts knotd with the zones on 127.0.0.1:`port`; waits until the first zone's SOA answers. */
export async function startKnot(zones: readonly CorpusZone[], port: number, options: KnotStartOptions = {}): Promise<KnotServer> {
  const timeoutMs = options.timeoutMs ?? 60000;
  const dir = mkdtempSync(join(tmpdir(), 'mcns-knot-'));
  const conf = join(dir, 'knot.conf');
  writeFileSync(conf, knotConfig(dir, port, zones));
  const knotd = options.pinCpu === undefined
    ? await ServerProcess.spawn('knotd', 'knotd', ['-c', conf])
    : await ServerProcess.spawn('knotd', 'taskset', ['-c', String(options.pinCpu), 'knotd', '-c', conf]);
  const address = { host: '127.0.0.1', port };
  const stop = async (): Promise<void> => {
    await knotd.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  let readyMs: number;
  try {
    const first = zones[0];
    if (first === undefined) throw new Error('no zones to serve');
    const probe = dnsPacket.encode({ type: 'query', id: 1, questions: [{ name: first.origin, type: 'SOA', class: 'IN' }] });
    readyMs = await knotd.waitForAnswer(address, probe, timeoutMs, (response) => response.length > 3 && (response[3]! & 0x0f) === 0);
  } catch (error) {
    await stop();
    throw error;
  }
  return { address, process: knotd, readyMs, stop };
}
