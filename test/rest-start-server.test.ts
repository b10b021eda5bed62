// startServer in-process with the management API on free ports: the real service
// and authenticator behind REST (a change made over REST is answered by DNS when
// the call returns), the self-signed CA reported, and close() ending the API
// before DNS and the database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import { Agent, request } from 'undici';
import { checkConfig } from '../src/config/index.js';
import { createLogger } from '../src/log/index.js';
import { startServer } from '../src/main.js';
import { openStore, TokenStore } from '../src/store/index.js';
import { buildQuery, decodeReply, queryUdp } from './helpers/dns-client.js';

const quiet = createLogger({ level: 'error', sink: { write() {} } });

test('startServer serves REST with the real service: a change over REST is in DNS when the call returns', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-rest-start-'));
  const config = checkConfig({
    dns: { listen_addr: '127.0.0.1:0' },
    api: { rest_addr: '127.0.0.1:0', grpc_addr: '127.0.0.1:0' },
  }, null, dir);
  const running = await startServer(config, { logger: quiet });
  let agent: Agent | null = null;
  try {
    assert.match(running.api.restUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(running.api.grpcAddress, /^127\.0\.0\.1:\d+$/);
    assert.equal(running.api.caPath, join(dir, 'data', 'tls', 'ca.pem'));
    assert.ok(running.tlsNotAfter().getTime() > Date.now() + 300 * 86_400_000);
    agent = new Agent({ connect: { ca: readFileSync(running.api.caPath!) } });

    const ready = await request(`${running.api.restUrl}/v1/ready`, { dispatcher: agent });
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(await ready.body.json(), { ready: true, reason: '' });

    const side = openStore(config.database.path);
    const { secret } = new TokenStore(side).create({ name: 'test', role: 'editor', zones: ['example.com.'] }, new Date());
    side.close();
    const put = await request(`${running.api.restUrl}/v1/zones/example.com./rrsets/rest.example.com./A`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ttl: 120, records: ['192.0.2.77'] }),
      dispatcher: agent,
    });
    assert.equal(put.statusCode, 200, await put.body.text());
    const [host, port] = [running.listening[0]!.split(':')[0]!, Number(running.listening[0]!.split(':')[1])];
    const reply = decodeReply(await queryUdp(host, port, buildQuery('rest.example.com', 'A' as dnsPacket.RecordType)));
    assert.deepEqual(reply?.answers?.flatMap((a) => (a.type === 'A' ? [a.data] : [])), ['192.0.2.77']);

    const outside = await request(`${running.api.restUrl}/v1/zones/other.example./rrsets/www/A`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ttl: 120, records: ['192.0.2.77'] }),
      dispatcher: agent,
    });
    assert.equal(outside.statusCode, 403);
    assert.equal(((await outside.body.json()) as { error: { code: string } }).error.code, 'PERMISSION_DENIED');
  } finally {
    await agent?.close();
    await running.close();
    await running.close();
  }
  const after = new Agent({ connect: { ca: readFileSync(running.api.caPath!) } });
  try {
    await assert.rejects(request(`${running.api.restUrl}/v1/health`, { dispatcher: after }), { code: 'ECONNREFUSED' });
  } finally {
    await after.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a REST address in use fails startServer with ADDRESS_IN_USE and releases DNS and the database', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-rest-start-'));
  const first = await startServer(checkConfig({
    dns: { listen_addr: '127.0.0.1:0' }, api: { rest_addr: '127.0.0.1:0', grpc_addr: '127.0.0.1:0' },
  }, join(dir, 'a.toml'), dir), { logger: quiet });
  try {
    const busy = new URL(first.api.restUrl).port;
    const config = checkConfig({
      dns: { listen_addr: '127.0.0.1:0' }, database: { path: 'b.db' }, api: { rest_addr: `127.0.0.1:${busy}`, grpc_addr: '127.0.0.1:0' },
    }, join(dir, 'b.toml'), dir);
    await assert.rejects(startServer(config, { logger: quiet }), (err: Error & { code?: string }) =>
      err.code === 'ADDRESS_IN_USE' && err.message.startsWith(`127.0.0.1:${busy} (rest, https) is already in use`));
    // The database of the failed start was closed: another open succeeds and sees no lock.
    const store = openStore(join(dir, 'b.db'));
    store.close();
  } finally {
    await first.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
