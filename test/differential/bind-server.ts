// Starts BIND 9 (named) as an authoritative-only reference server on loopback:
// a generated named.conf in a temporary directory, the corpus zones as primary
// zones, BIND's defaults otherwise.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import type { CorpusZone } from '../corpus/corpus-files.js';
import type { ServerAddress } from './dns-exchange.js';
import { ServerProcess } from './server-process.js';

/** A running named and where it listens. */
export interface BindServer {
  readonly address: ServerAddress;
  readonly process: ServerProcess;
  /** Stops named by its PID and removes its directory. */
  stop(): Promise<void>;
}

/**
 * The named.conf for a reference server. Only what a test needs differs from
 * BIND's defaults: no recursion (an authoritative server), no NOTIFY (it would
 * go to the zones' NS addresses, off loopback), files in `dir`, loopback only.
 */
export function bindConfig(dir: string, port: number, zones: readonly CorpusZone[]): string {
  const zoneBlocks = zones.map((z) => `zone ${JSON.stringify(z.origin)} { type primary; file ${JSON.stringify(z.file)}; };`);
  return [
    'options {',
    `  directory ${JSON.stringify(dir)};`,
    `  pid-file ${JSON.stringify(join(dir, 'named.pid'))};`,
    `  session-keyfile ${JSON.stringify(join(dir, 'session.key'))};`,
    `  listen-on port ${port} { 127.0.0.1; };`,
    '  listen-on-v6 { none; };',
    '  recursion no;',
    '  notify no;',
    '};',
    'controls { };',
    ...zoneBlocks,
    '',
  ].join('\n');
}

/** Starts named with the zones on 127.0.0.1:`port` and waits until the first zone's SOA answers. */
export async function startBind(zones: readonly CorpusZone[], port: number, timeoutMs = 15000): Promise<BindServer> {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-bind-'));
  const conf = join(dir, 'named.conf');
  writeFileSync(conf, bindConfig(dir, port, zones));
  // -g: foreground, log to stderr; -n 1: one worker thread; -4: IPv4 only.
  const named = await ServerProcess.spawn('named', 'named', ['-g', '-4', '-n', '1', '-c', conf]);
  const address = { host: '127.0.0.1', port };
  const stop = async (): Promise<void> => {
    await named.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const first = zones[0];
    if (first === undefined) throw new Error('no zones to serve');
    const probe = dnsPacket.encode({ type: 'query', id: 1, questions: [{ name: first.origin, type: 'SOA', class: 'IN' }] });
    // A NOERROR answer to the SOA means the zones are loaded (REFUSED/SERVFAIL before).
    await named.waitForAnswer(address, probe, timeoutMs, (response) => response.length > 3 && (response[3]! & 0x0f) === 0);
  } catch (error) {
    await stop();
    throw error;
  }
  return { address, process: named, stop };
}
