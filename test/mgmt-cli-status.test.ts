// `mcns status` and the CLI's API client against HTTPS servers made to fail in
// each way an operator meets: nothing listening, a certificate nobody told the
// client to trust, an expired certificate, a server not ready yet. Each must be
// one line naming the cause and the fix, with exit code 5.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureSelfSignedTls } from '../src/api/tls/ensure-self-signed-tls.js';
import { main, type CliIo } from '../src/cli/index.js';

const YEAR_MS = 365 * 86_400_000;

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

async function mcns(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (s: string) => { out += s; } },
    stderr: { write: (s: string) => { err += s; } },
    cwd: process.cwd(),
    env,
    signals: new EventEmitter(),
  };
  const code = await main(args, io);
  return { code, out, err };
}

/** An HTTPS server on 127.0.0.1 with a CA and certificate made as of `now`, answering health and ready. */
async function fakeServer(now: Date, ready: { status: number; body: unknown }): Promise<{ url: string; caPath: string; notAfter: Date; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-status-'));
  const tls = await ensureSelfSignedTls({ dir, now });
  const server: Server = createServer({ cert: readFileSync(tls.certPath), key: readFileSync(tls.keyPath) }, (req, res) => {
    const [status, body] = req.url === '/v1/health' ? [200, { status: 'ok' }] : req.url === '/v1/ready' ? [ready.status, ready.body] : [404, {}];
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { X509Certificate } = await import('node:crypto');
  const notAfter = new Date(new X509Certificate(readFileSync(tls.certPath)).validTo);
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    caPath: tls.caPath,
    notAfter,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const READY = { status: 200, body: { ready: true, reason: 'ok' } };

test('nothing listening: "connection refused at ...: is mcns running?", exit 5', async () => {
  const s = await fakeServer(new Date(), READY);
  const url = s.url;
  await s.close();
  const r = await mcns(['status', '--addr', url]);
  assert.equal(r.code, 5);
  assert.equal(r.out, '');
  assert.equal(r.err, `error: connection refused at ${url}: is mcns running?\n`);
  const j = await mcns(['status', '--json'], { MCNS_ADDR: url });
  assert.equal(j.code, 5);
  const report = JSON.parse(j.out) as { status: string; code: string; reason: string };
  assert.deepEqual([report.status, report.code, report.reason], ['error', 'CONNECTION_REFUSED', `connection refused at ${url}: is mcns running?`]);
});

test('healthy: "ok", exit 0; --verbose and --json show the certificate expiry', async () => {
  const s = await fakeServer(new Date(), READY);
  try {
    const r = await mcns(['status', '--addr', s.url, '--ca-cert', s.caPath]);
    assert.deepEqual([r.code, r.out, r.err], [0, 'ok\n', '']);
    const expiry = s.notAfter.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const v = await mcns(['status', '--verbose'], { MCNS_ADDR: s.url, MCNS_CA_CERT: s.caPath });
    assert.equal(v.code, 0);
    assert.match(v.out, /^ok\n/);
    assert.match(v.out, new RegExp(`expires +${expiry} \\(in 36\\d days\\)`));
    const j = await mcns(['status', '--json', '--addr', s.url, '--ca-cert', s.caPath]);
    const report = JSON.parse(j.out) as { status: string; ready: boolean; certificate: { notAfter: string; trusted: boolean } };
    assert.deepEqual([j.code, report.status, report.ready, report.certificate.notAfter, report.certificate.trusted], [0, 'ok', true, expiry, true]);
  } finally {
    await s.close();
  }
});

test('a certificate the client was not told to trust: "pass --ca-cert <data dir>/tls/ca.pem"', async () => {
  const s = await fakeServer(new Date(), READY);
  try {
    const r = await mcns(['status', '--addr', s.url]);
    assert.equal(r.code, 5);
    assert.match(r.err, /^error: certificate not trusted \([A-Z_]+\): pass --ca-cert <data dir>\/tls\/ca\.pem\n$/);
    // Every remote verb explains it the same way.
    const z = await mcns(['zone', 'list', '--addr', s.url]);
    assert.equal(z.code, 5);
    assert.match(z.err, /certificate not trusted/);
  } finally {
    await s.close();
  }
});

test('an expired certificate: "certificate expired on <date>: renew it, see RUNBOOK Certificate Expiry"', async () => {
  // Made two years ago: the CA (10 years) still holds, the server certificate (1 year) has expired.
  const s = await fakeServer(new Date(Date.now() - 2 * YEAR_MS), READY);
  try {
    assert.ok(s.notAfter.getTime() < Date.now());
    const expiry = s.notAfter.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const r = await mcns(['status', '--addr', s.url, '--ca-cert', s.caPath]);
    assert.equal(r.code, 5);
    assert.equal(r.err, `error: certificate expired on ${expiry}: renew it, see RUNBOOK Certificate Expiry\n`);
    const j = await mcns(['status', '--json', '--addr', s.url, '--ca-cert', s.caPath]);
    const report = JSON.parse(j.out) as { code: string; certificate: { notAfter: string; daysLeft: number } };
    assert.deepEqual([j.code, report.code, report.certificate.notAfter], [5, 'TLS', expiry]);
    assert.ok(report.certificate.daysLeft < 0);
  } finally {
    await s.close();
  }
});

test('not ready: "not ready: <reason>", exit 5', async () => {
  const s = await fakeServer(new Date(), { status: 503, body: { error: { code: 'UNAVAILABLE', message: 'not ready: loading zones', field: null } } });
  try {
    const r = await mcns(['status', '--addr', s.url, '--ca-cert', s.caPath]);
    assert.deepEqual([r.code, r.out, r.err], [5, '', 'error: not ready: loading zones\n']);
  } finally {
    await s.close();
  }
});

test('a CA file that is missing or not PEM is refused before connecting', async () => {
  const missing = await mcns(['status', '--ca-cert', '/nonexistent/ca.pem']);
  assert.deepEqual([missing.code, missing.err], [3, 'error: CA certificate "/nonexistent/ca.pem" not found\n']);
  const notPem = await mcns(['status', '--ca-cert', 'package.json']);
  assert.deepEqual([notPem.code, notPem.err], [2, 'error: CA certificate "package.json" is not PEM (no BEGIN CERTIFICATE line)\n']);
  const badAddr = await mcns(['status', '--addr', 'ftp://x']);
  assert.equal(badAddr.code, 2);
});
