// The management listeners' certificate: the self-signed CA and server certificate
// made on first start (names, key modes, reuse, renewal near expiry), configured
// pairs refused with a config error, and a live HTTPS server that picks up a new
// pair when the files change or on reload() while an open keep-alive connection
// keeps working, and that keeps its pair when the new one is broken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import {
  createRestServer, ensureSelfSignedTls, openApiTls, type ApiTls, type RestServer,
} from '../src/api/index.js';
import type { ApiConfig } from '../src/config/index.js';
import { createLogger } from '../src/log/index.js';
import { healthOver, servedSerial } from './helpers/tls-probe.js';
import type { Principal } from '../src/service/index.js';

const DAY = 86_400_000;
const SELF_SIGNED: ApiConfig = { restAddr: { host: '127.0.0.1', port: 0 }, grpcAddr: { host: '127.0.0.1', port: 0 }, tlsCert: null, tlsKey: null };

function logSink(): { lines: string[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return { lines, logger: createLogger({ level: 'info', sink: { write: (s: string) => { lines.push(s); } } }) };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'mcns-tls-'));
}

test('first start makes a CA and a server certificate naming localhost, 127.0.0.1, ::1 and the host', async () => {
  const dir = tempDir();
  try {
    const { lines, logger } = logSink();
    const tls = await openApiTls(SELF_SIGNED, { databasePath: join(dir, 'mcns.db'), configSource: null, log: logger, now: () => new Date(), watchIntervalMs: 0 });
    tls.close();
    const tlsDir = join(dir, 'tls');
    assert.equal(tls.caPath, join(tlsDir, 'ca.pem'));
    const ca = new X509Certificate(readFileSync(join(tlsDir, 'ca.pem')));
    const cert = new X509Certificate(readFileSync(join(tlsDir, 'cert.pem')));
    assert.equal(ca.ca, true);
    assert.equal(cert.ca, false);
    assert.ok(cert.checkIssued(ca) && cert.verify(ca.publicKey), 'server certificate signed by the CA');
    assert.equal(ca.publicKey.asymmetricKeyType, 'ec');
    assert.equal(ca.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    const years = (new Date(ca.validTo).getTime() - Date.now()) / (365 * DAY);
    assert.ok(years > 9.9 && years < 10.1, `CA valid ${years} years`);
    const days = (new Date(cert.validTo).getTime() - Date.now()) / DAY;
    assert.ok(days > 364 && days < 366, `server certificate valid ${days} days`);
    assert.equal(cert.checkHost('localhost'), 'localhost');
    assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
    assert.ok(cert.checkIP('::1') !== undefined);
    const host = hostname().toLowerCase();
    if (/^[a-z0-9.-]+$/.test(host)) assert.ok(cert.checkHost(host) !== undefined, `names ${host}`);
    assert.match(cert.subjectAltName ?? '', /DNS:localhost/);
    for (const key of ['key.pem', 'ca-key.pem']) assert.equal(statSync(join(tlsDir, key)).mode & 0o777, 0o600, key);
    assert.ok(tls.material.notAfter().getTime() === new Date(cert.validTo).getTime());
    assert.ok(lines.some((l) => l.includes(`trust it with --ca-cert ${join(tlsDir, 'ca.pem')}`)), 'logs the CA path');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('later starts reuse the pair; near expiry only the server certificate is remade, with the same CA', async () => {
  const dir = tempDir();
  try {
    const now = new Date();
    const first = await ensureSelfSignedTls({ dir, now, extraNames: ['ns1.example'] });
    assert.equal(first.made, 'ca-and-certificate');
    const ca = readFileSync(first.caPath, 'utf8');
    const cert = readFileSync(first.certPath, 'utf8');
    const again = await ensureSelfSignedTls({ dir, now, extraNames: ['ns1.example'] });
    assert.equal(again.made, 'nothing');
    assert.equal(readFileSync(first.certPath, 'utf8'), cert);

    const renewed = await ensureSelfSignedTls({ dir, now: new Date(now.getTime() + 340 * DAY), extraNames: ['ns1.example'] });
    assert.equal(renewed.made, 'certificate');
    assert.match(renewed.reason ?? '', /expires/);
    assert.equal(readFileSync(first.caPath, 'utf8'), ca, 'the CA clients trust stays');
    assert.notEqual(readFileSync(first.certPath, 'utf8'), cert);
    assert.ok(new X509Certificate(readFileSync(first.certPath)).checkIssued(new X509Certificate(ca)));

    writeFileSync(first.certPath, 'garbage');
    assert.equal((await ensureSelfSignedTls({ dir, now, extraNames: ['ns1.example'] })).made, 'certificate');
    rmSync(first.caKeyPath);
    assert.equal((await ensureSelfSignedTls({ dir, now, extraNames: ['ns1.example'] })).made, 'ca-and-certificate');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a configured pair must be complete and load, or startup stops with a config error naming [api]', async () => {
  const dir = tempDir();
  try {
    const made = await ensureSelfSignedTls({ dir, now: new Date() });
    const options = { databasePath: join(dir, 'mcns.db'), configSource: '/etc/mcns.toml', log: logSink().logger, now: () => new Date(), watchIntervalMs: 0 };
    await assert.rejects(openApiTls({ ...SELF_SIGNED, tlsCert: made.certPath }, options),
      { code: 'CONFIG', message: '[api] tls_cert is set but tls_key is not: set both, or neither for a self-signed certificate' });
    await assert.rejects(openApiTls({ ...SELF_SIGNED, tlsCert: join(dir, 'none.pem'), tlsKey: made.keyPath }, options),
      (err: Error & { code?: string }) => err.code === 'CONFIG' && /none\.pem" cannot be read: no such file/.test(err.message));
    await assert.rejects(openApiTls({ ...SELF_SIGNED, tlsCert: made.certPath, tlsKey: made.caKeyPath }, options),
      (err: Error & { code?: string }) => err.code === 'CONFIG' && /does not belong to certificate/.test(err.message));
    const good = await openApiTls({ ...SELF_SIGNED, tlsCert: made.certPath, tlsKey: made.keyPath }, options);
    assert.equal(good.caPath, null);
    good.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});



async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const service = { invoke: async () => ({ status: 'ok' }) as never };
const authenticate = async (): Promise<Principal> => { throw new Error('not used'); };

test('a new pair is served to new connections after a file change or reload(); open keep-alive connections keep working', async () => {
  const dir = tempDir();
  const { lines, logger } = logSink();
  let tls: ApiTls | null = null;
  let rest: RestServer | null = null;
  const agent = new HttpsAgent({ keepAlive: true, maxSockets: 1 });
  try {
    tls = await openApiTls(SELF_SIGNED, { databasePath: join(dir, 'mcns.db'), configSource: null, log: logger, now: () => new Date(), watchIntervalMs: 100 });
    rest = await createRestServer({ service, authenticate, tls: tls.material, address: { host: '127.0.0.1', port: 0 }, log: logger });
    await rest.start();
    const port = rest.address().port;
    const ca = readFileSync(tls.caPath!);
    const tlsDir = join(dir, 'tls');
    const first = await servedSerial(port, ca);
    assert.equal(first, tls.material.current().serial);
    const open = await healthOver(agent, port, ca);
    assert.equal(open.status, 200);
    assert.equal((open.socket as TLSSocket).getPeerCertificate().serialNumber, first);

    // 1. The files change (a new pair from the same CA, renamed into place): picked up by the watcher.
    const staging = join(dir, 'staging');
    await ensureSelfSignedTls({ dir: staging, now: new Date() });
    copyFileSync(join(tlsDir, 'ca.pem'), join(staging, 'ca.pem'));
    copyFileSync(join(tlsDir, 'ca-key.pem'), join(staging, 'ca-key.pem'));
    assert.equal((await ensureSelfSignedTls({ dir: staging, now: new Date() })).made, 'certificate');
    renameSync(join(staging, 'key.pem'), join(tlsDir, 'key.pem'));
    renameSync(join(staging, 'cert.pem'), join(tlsDir, 'cert.pem'));
    await until(async () => (await servedSerial(port, ca)) !== first);
    const second = await servedSerial(port, ca);
    assert.equal(second, tls.material.current().serial);
    const reused = await healthOver(agent, port, ca);
    assert.equal(reused.status, 200);
    assert.equal(reused.socket, open.socket, 'the keep-alive connection was not dropped');
    assert.equal((reused.socket as TLSSocket).getPeerCertificate().serialNumber, first, 'it keeps the pair it was made with');

    // 2. A broken pair (a certificate without its key) is refused; the last good one stays.
    writeFileSync(join(tlsDir, 'cert.pem.new'), readFileSync(join(tlsDir, 'ca.pem')));
    renameSync(join(tlsDir, 'cert.pem.new'), join(tlsDir, 'cert.pem'));
    await until(async () => lines.some((l) => l.includes('new certificate refused')));
    assert.equal(await servedSerial(port, ca), second);
    assert.equal(tls.material.reload('SIGHUP').outcome, 'refused');

    // 3. reload() (what SIGHUP calls) with a good pair again: swapped at once.
    const other = await ensureSelfSignedTls({ dir: join(dir, 'other'), now: new Date() });
    copyFileSync(other.keyPath, join(tlsDir, 'key.pem'));
    copyFileSync(other.certPath, join(tlsDir, 'cert.pem'));
    const result = tls.material.reload('SIGHUP');
    assert.ok(result.outcome === 'swapped' || result.outcome === 'unchanged', result.outcome);
    const otherCa = readFileSync(other.caPath);
    const third = await servedSerial(port, otherCa);
    assert.equal(third, new X509Certificate(readFileSync(other.certPath)).serialNumber);
    assert.equal((await healthOver(agent, port, ca)).socket, open.socket, 'still the first connection');
  } finally {
    agent.destroy();
    await rest?.close();
    tls?.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
