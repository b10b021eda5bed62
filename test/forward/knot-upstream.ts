// Starts knotd on a loopback port serving test zones, as an upstream for the
// forwarder tests (an authoritative server answers RD queries for its own zones, and
// REFUSED for the rest, which is all a forwarder needs from an upstream).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntilAnswering } from './ask-udp.js';
import { pickFreePort } from './pick-port.js';

/** A zone for knotd: its origin ("fwd.test.") and master-file text. */
export interface TestZone {
  readonly origin: string;
  readonly text: string;
}

/** A running knotd. */
export interface KnotUpstream {
  readonly port: number;
  /** "127.0.0.1:PORT", as the forwarder's `upstreams` wants it. */
  readonly address: string;
  /** Stops the process we started (by its pid) and removes its files. */
  close(): Promise<void>;
}

/** Stops one child we started: SIGTERM, then SIGKILL after 3 s; resolves when it exited. */
export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts knotd with `zones` on 127.0.0.1 and waits until it answers the first zone's SOA. */
export async function startKnotUpstream(zones: readonly TestZone[]): Promise<KnotUpstream> {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-fwd-knot-'));
  const port = await pickFreePort();
  const zoneConf = zones.map((z, i) => {
    writeFileSync(join(dir, `zone${i}.zone`), z.text);
    return `  - domain: ${z.origin}\n    file: ${join(dir, `zone${i}.zone`)}\n`;
  }).join('');
  writeFileSync(join(dir, 'knot.conf'), [
    'server:',
    `    listen: 127.0.0.1@${port}`,
    `    rundir: ${dir}`,
    '    udp-workers: 1',
    '    tcp-workers: 1',
    '    background-workers: 1',
    'database:',
    `    storage: ${dir}`,
    'log:',
    '  - target: stderr',
    '    any: error',
    'template:',
    '  - id: default',
    `    storage: ${dir}`,
    '    zonefile-sync: -1',
    '    journal-content: none',
    'zone:',
    zoneConf,
  ].join('\n'));
  let stderr = '';
  const child = spawn('knotd', ['-c', join(dir, 'knot.conf'), '-s', join(dir, 'knot.sock')], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  const close = async (): Promise<void> => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilAnswering(port, zones[0]!.origin, 'SOA');
  } catch (err) {
    await close();
    throw new Error(`knotd did not start: ${(err as Error).message}\n${stderr}`);
  }
  return { port, address: `127.0.0.1:${port}`, close };
}
