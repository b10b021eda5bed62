// The REST API of a real `mcns serve`: SIGHUP swaps in a new certificate for new
// connections while an open keep-alive connection keeps working; an unreachable
// identity provider makes management calls 502 while DNS answers dig and the
// built-in break-glass token still works; a REST address in use stops serve with
// one line and exit 5.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { Agent, request } from 'undici';
import { ensureSelfSignedTls } from '../src/api/index.js';
import { dig } from './helpers/dig.js';
import { freePort } from './helpers/free-port.js';
import { healthOver, servedSerial } from './helpers/tls-probe.js';
import { MCNS_BIN, startMcns } from './helpers/start-mcns.js';

const ZONE = 'example.com.';
const ZONE_TEXT = [
  '$ORIGIN example.com.',
  '$TTL 300',
  '@ IN SOA ns1 hostmaster 1 3600 600 86400 300',
  '@ IN NS ns1',
  'ns1 IN A 192.0.2.53',
  'www IN A 192.0.2.80',
  '',
].join('\n');

function portOf(url: string): number {
  return Number(new URL(url).port);
}



async function until(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('SIGHUP serves a new certificate to new connections; an open keep-alive connection keeps working', { timeout: 60_000 }, async () => {
  const proc = await startMcns({ zones: { [ZONE]: ZONE_TEXT }, api: true });
  const agent = new HttpsAgent({ keepAlive: true, maxSockets: 1 });
  try {
    const api = proc.api!;
    const port = portOf(api.restUrl);
    assert.match(proc.logs(), new RegExp(`trust it with --ca-cert ${api.caCertPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const before = await servedSerial(port, api.caCert);
    const open = await healthOver(agent, port, api.caCert);
    assert.equal(open.status, 200);

    // A new server certificate from the same CA, made aside and renamed into place.
    const tlsDir = join(proc.dir, 'tls');
    const staging = mkdtempSync(join(tmpdir(), 'mcns-staging-'));
    try {
      await ensureSelfSignedTls({ dir: staging, now: new Date() });
      copyFileSync(join(tlsDir, 'ca.pem'), join(staging, 'ca.pem'));
      copyFileSync(join(tlsDir, 'ca-key.pem'), join(staging, 'ca-key.pem'));
      await ensureSelfSignedTls({ dir: staging, now: new Date() });
      const expected = new X509Certificate(readFileSync(join(staging, 'cert.pem'))).serialNumber;
      renameSync(join(staging, 'key.pem'), join(tlsDir, 'key.pem'));
      renameSync(join(staging, 'cert.pem'), join(tlsDir, 'cert.pem'));
      process.kill(proc.pid, 'SIGHUP');
      await until(async () => (await servedSerial(port, api.caCert)) === expected, 5_000);
      assert.notEqual(expected, before);
      // The watcher would find the files too, but only after its poll and 300 ms of quiet.
      assert.match(proc.logs(), /"reason":"SIGHUP"[^\n]*tls: certificate reloaded/);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    const again = await healthOver(agent, port, api.caCert);
    assert.equal(again.status, 200);
    assert.equal(again.socket, open.socket, 'the keep-alive connection was not dropped');
    assert.equal((again.socket as TLSSocket).getPeerCertificate().serialNumber, before);
    assert.equal(proc.exit(), null);
  } finally {
    agent.destroy();
    await proc.stop();
  }
});

/** A loopback port with nothing listening: connections are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

test('an unreachable identity provider is 502 for management calls while DNS answers and break-glass tokens work', { timeout: 60_000 }, async () => {
  const idp = `http://127.0.0.1:${await closedPort()}/oauth2/introspect`;
  const proc = await startMcns({
    zones: { [ZONE]: ZONE_TEXT },
    api: true,
    configExtra: [
      '[auth]',
      'mode = "introspection"',
      `introspection_url = "${idp}"`,
      'introspection_client_id = "mcns"',
      'introspection_client_secret = "secret"',
      'introspection_timeout = "1s"',
    ].join('\n'),
  });
  const agent = new Agent({ connect: { ca: proc.api!.caCert } });
  try {
    const base = proc.api!.restUrl;
    const r = await request(`${base}/v1/zones`, { headers: { authorization: 'Bearer an-opaque-idp-token' }, dispatcher: agent });
    assert.equal(r.statusCode, 502);
    const body = await r.body.json() as { error: { code: string; message: string; field: string | null } };
    assert.equal(body.error.code, 'UNAVAILABLE');
    // The auth layer's words, said once.
    assert.ok(body.error.message.startsWith(`identity provider unreachable at ${idp}: `), body.error.message);
    assert.equal(body.error.message.split('unreachable').length, 2, body.error.message);

    const answer = await dig([`@${proc.hosts[0]}`, '-p', String(proc.port), 'www.example.com', 'A']);
    assert.equal(answer.status, 'NOERROR');
    assert.deepEqual(answer.answer.map((a) => a.data), ['192.0.2.80']);

    const boot = await proc.cli(['token', 'create', '--name', 'break-glass', '--role', 'admin']);
    assert.equal(boot.code, 0, boot.stderr);
    const ok = await request(`${base}/v1/zones`, { headers: { authorization: `Bearer ${boot.stdout.trim()}` }, dispatcher: agent });
    assert.equal(ok.statusCode, 200);
    const zones = await ok.body.json() as { items: { name: string }[] };
    assert.deepEqual(zones.items.map((z) => z.name), [ZONE]);
  } finally {
    await agent.close();
    await proc.stop();
  }
});

test('serve stops with one line and exit 5 when the REST address is in use', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-rest-busy-'));
  const holder: Server = createServer();
  try {
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const busy = (holder.address() as { port: number }).port;
    const config = join(dir, 'mcns.toml');
    writeFileSync(config, [
      '[dns]', `listen_addr = "127.0.0.1:${await freePort()}"`,
      '[database]', `path = "${join(dir, 'mcns.db')}"`,
      '[api]', `rest_addr = "127.0.0.1:${busy}"`, 'grpc_addr = "127.0.0.1:0"', '',
    ].join('\n'));
    const child = spawn(process.execPath, [MCNS_BIN, 'serve', '--config', config], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    const code = await new Promise<number | null>((resolve) => {
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.once('exit', (c) => { clearTimeout(killer); resolve(c); });
    });
    assert.equal(code, 5, stderr);
    const lines = stderr.split('\n').filter((l) => l.startsWith('error: '));
    assert.deepEqual(lines, [
      `error: 127.0.0.1:${busy} (rest, https) is already in use: another process (perhaps another mcns) holds it; ` +
      `find it with "ss -tlpn 'sport = :${busy}'" and stop it, or set [api] rest_addr to a free address`,
    ]);
  } finally {
    holder.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
