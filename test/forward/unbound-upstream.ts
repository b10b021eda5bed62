// Starts unbound on a loopback port as a real recursive upstream for the forwarder
// tests: local-data records it answers itself, and forward zones it sends to another
// loopback server (a knotd we started). `do-not-query-localhost: no` lets it query
// loopback at all; it never touches the network beyond 127.0.0.1.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntilAnswering } from './ask-udp.js';
import { stopChild } from './knot-upstream.js';
import { pickFreePort } from './pick-port.js';

/** What the test unbound serves. */
export interface UnboundSetup {
  /** local-data lines, e.g. "only.unbound.test. 120 IN A 192.0.2.50". */
  readonly localData: readonly string[];
  /** Zones forwarded to loopback servers: name and "127.0.0.1@port". */
  readonly forwardZones: readonly { readonly name: string; readonly to: string }[];
  /** A name it answers, to wait for readiness. */
  readonly readyName: string;
}

/** A running unbound. */
export interface UnboundUpstream {
  readonly port: number;
  readonly address: string;
  close(): Promise<void>;
}

/** Starts unbound in the foreground and waits until it answers `readyName`. */
export async function startUnboundUpstream(setup: UnboundSetup): Promise<UnboundUpstream> {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-fwd-unbound-'));
  const port = await pickFreePort();
  const lines = [
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
    '  module-config: "iterator"',
    '  qname-minimisation: no',
    // RFC 6761 names such as "test." are local zones by default; the tests use them.
    '  local-zone: "test." nodefault',
    ...setup.localData.map((d) => `  local-data: "${d}"`),
    ...setup.forwardZones.map((z) => `  domain-insecure: "${z.name}"`),
    'remote-control:',
    '  control-enable: no',
    ...setup.forwardZones.flatMap((z) => ['forward-zone:', `  name: "${z.name}"`, `  forward-addr: ${z.to}`]),
  ];
  writeFileSync(join(dir, 'unbound.conf'), lines.join('\n') + '\n');
  let stderr = '';
  const child = spawn('unbound', ['-d', '-p', '-c', join(dir, 'unbound.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  const close = async (): Promise<void> => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilAnswering(port, setup.readyName, 'A');
  } catch (err) {
    await close();
    throw new Error(`unbound did not start: ${(err as Error).message}\n${stderr}`);
  }
  return { port, address: `127.0.0.1:${port}`, close };
}
