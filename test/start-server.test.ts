// startServer in-process: the embedded default imports the example zone into an
// empty database; a config file does not; close() releases sockets and database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkConfig } from '../src/config/index.js';
import { createLogger } from '../src/log/index.js';
import { startServer } from '../src/main.js';

/** The API and metrics on ports the system picks, so parallel tests never contend for the defaults. */
const FREE_PORTS = { api: { rest_addr: '127.0.0.1:0', grpc_addr: '127.0.0.1:0' }, metrics: { listen_addr: '127.0.0.1:0' } };
import { openStore } from '../src/store/index.js';

const quiet = createLogger({ level: 'error', sink: { write() {} } });

test('on the embedded default an empty database gets the example zone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-start-'));
  const config = checkConfig({ dns: { listen_addr: '127.0.0.1:0' }, ...FREE_PORTS }, null, dir);
  const running = await startServer(config, { logger: quiet });
  try {
    assert.equal(running.listening.length, 1);
    assert.match(running.listening[0]!, /^127\.0\.0\.1:\d+$/);
    assert.deepEqual(running.zones.list().map((z) => z.serial), [2026010101]);
    assert.deepEqual(running.initialLoad, { loaded: 1, unchanged: 0, removed: 0, failed: 0 });
    assert.deepEqual(running.reload(), { loaded: 0, unchanged: 1, removed: 0, failed: 0 });
  } finally {
    await running.close();
    await running.close();
  }
  const store = openStore(join(dir, 'data', 'mcns.db'));
  assert.deepEqual(store.listZones().map((z) => z.name), ['example.com.']);
  store.close();
});

test('with a config file an empty database stays empty', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-start-'));
  const config = checkConfig({ dns: { listen_addr: '127.0.0.1:0' }, ...FREE_PORTS }, join(dir, 'mcns.toml'), dir);
  const running = await startServer(config, { logger: quiet });
  try {
    assert.equal(running.zones.size, 0);
  } finally {
    await running.close();
  }
});

test('a failed start closes the database and rethrows the server error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-start-'));
  const first = await startServer(checkConfig({ dns: { listen_addr: '127.0.0.1:0' }, ...FREE_PORTS }, join(dir, 'a.toml'), dir), { logger: quiet });
  try {
    const port = first.listening[0]!.split(':')[1]!;
    const config = checkConfig({ dns: { listen_addr: `127.0.0.1:${port}` }, ...FREE_PORTS }, join(dir, 'b.toml'), dir);
    await assert.rejects(startServer(config, { logger: quiet }), (err: unknown) =>
      (err as { code?: string }).code === 'ADDRESS_IN_USE');
  } finally {
    await first.close();
  }
});
