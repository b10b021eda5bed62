import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { Agent, request } from 'node:http';
import { createMetrics } from './create-metrics.js';
import { MetricsError } from './metrics-error.js';
import { createMetricsServer } from './metrics-server.js';

test('GET /metrics renders, GET / points at it, HEAD has no body, other paths 404 and methods 405', async () => {
  const metrics = createMetrics({ version: '9.9.9', commit: null, processMetrics: false });
  const server = createMetricsServer({ address: { host: '127.0.0.1', port: 0 }, metrics });
  const bound = await server.start();
  try {
    assert.equal(server.url(), `http://127.0.0.1:${bound.port}/metrics`);
    const scrape = await fetch(server.url());
    assert.equal(scrape.status, 200);
    assert.equal(scrape.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    assert.match(await scrape.text(), /^mcns_build_info\{version="9\.9\.9",/m);
    const head = await fetch(server.url(), { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
    const index = await fetch(`http://127.0.0.1:${bound.port}/?x=1`);
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal((await fetch(`http://127.0.0.1:${bound.port}/metricz`)).status, 404);
    const post = await fetch(server.url(), { method: 'POST', body: 'x' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
  } finally {
    await server.close();
    metrics.close();
  }
});

test('a scrape whose source throws answers 500 and logs; the next scrape works again', async () => {
  const warnings: string[] = [];
  let fail = true;
  const server = createMetricsServer({
    address: { host: '127.0.0.1', port: 0 },
    metrics: { contentType: 'text/plain', render: async () => { if (fail) throw new Error('boom'); return 'ok\n'; } },
    log: { warn: (fields, message) => warnings.push(`${message} ${JSON.stringify(fields)}`) },
  });
  await server.start();
  try {
    const failed = await fetch(server.url());
    assert.equal(failed.status, 500);
    assert.equal(await failed.text(), 'scrape failed: boom\n');
    assert.deepEqual(warnings, ['metrics: scrape failed {"err":"boom"}']);
    fail = false;
    assert.equal(await (await fetch(server.url())).text(), 'ok\n');
  } finally {
    await server.close();
  }
});

test('an address in use is one MetricsError line naming it and the config key', async () => {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const port = (holder.address() as { port: number }).port;
  const server = createMetricsServer({ address: { host: '127.0.0.1', port }, metrics: { contentType: 'text/plain', render: async () => '' } });
  try {
    await assert.rejects(server.start(), (err: unknown) => {
      assert.ok(err instanceof MetricsError);
      assert.equal(err.code, 'ADDRESS_IN_USE');
      assert.ok(!err.message.includes('\n'));
      assert.match(err.message, new RegExp(`^metrics: 127\\.0\\.0\\.1:${port} \\(http\\) is already in use: .*set \\[metrics\\] listen_addr to a free address or "off"$`));
      return true;
    });
  } finally {
    await server.close();
    await new Promise<void>((resolve) => holder.close(() => resolve()));
  }
});

test('close() ends idle keep-alive connections and is safe to call twice', async () => {
  const server = createMetricsServer({ address: { host: '127.0.0.1', port: 0 }, metrics: { contentType: 'text/plain', render: async () => 'x\n' } });
  const { port } = await server.start();
  // A keep-alive connection left open, as Prometheus keeps one per target.
  await new Promise<void>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/metrics', agent: new Agent({ keepAlive: true }) }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end();
  });
  const started = Date.now();
  await Promise.all([server.close(), server.close()]);
  assert.ok(Date.now() - started < 2_000, 'close does not wait for the keep-alive timeout');
});
