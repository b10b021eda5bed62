import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryLog } from './query-log.js';

/** A NOERROR response header with no question: enough for a line. */
const REPLY = Uint8Array.from([0, 1, 0x84, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'mcns-query-log-'));
}

function lines(path: string): Record<string, unknown>[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
}

test('is off until configured: rate 0, nothing written', async () => {
  const log = new QueryLog();
  assert.equal(log.rate, 0);
  assert.equal(log.path, null);
  await log.close();
});

test('appends one line per response in batches, and close writes what waits', async () => {
  const dir = tempDir();
  try {
    const path = join(dir, 'q.jsonl');
    const log = new QueryLog({ now: () => 0, flushIntervalMs: 10_000 });
    await log.configure({ path, sample: 1 });
    assert.equal(log.rate, 1);
    for (let i = 0; i < 3; i++) log.record('udp', '127.0.0.1', 1000 + i, REPLY);
    assert.equal(lines(path).length, 0, 'nothing written before the batch is due');
    await log.close();
    assert.deepEqual(lines(path).map((l) => l['port']), [1000, 1001, 1002]);
    assert.equal(log.rate, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('samples the given fraction of responses; 0 opens nothing and writes nothing', async () => {
  const dir = tempDir();
  try {
    const path = join(dir, 'q.jsonl');
    let draw = 0;
    const values = [0.1, 0.5, 0.24, 0.9];
    const log = new QueryLog({ random: () => values[draw++ % values.length]!, flushIntervalMs: 1 });
    await log.configure({ path, sample: 0.25 });
    for (let i = 0; i < 4; i++) log.record('tcp', '::1', i, REPLY);
    await log.configure({ path, sample: 0 });
    assert.deepEqual(lines(path).map((l) => l['port']), [0, 2]);
    const none = join(dir, 'none.jsonl');
    await log.configure({ path: none, sample: 0 });
    assert.equal(log.rate, 0);
    assert.equal(existsSync(none), false);
    await log.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('reopening after a rename starts a new file and leaves the old one whole', async () => {
  const dir = tempDir();
  try {
    const path = join(dir, 'q.jsonl');
    const log = new QueryLog({ flushIntervalMs: 1 });
    await log.configure({ path, sample: 1 });
    log.record('udp', '127.0.0.1', 1, REPLY);
    renameSync(path, `${path}.1`);
    log.record('udp', '127.0.0.1', 2, REPLY);
    await log.configure({ path, sample: 1 });
    log.record('udp', '127.0.0.1', 3, REPLY);
    await log.close();
    assert.deepEqual(lines(`${path}.1`).map((l) => l['port']), [1, 2]);
    assert.deepEqual(lines(path).map((l) => l['port']), [3]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file that cannot be opened rejects and leaves the log off', async () => {
  const log = new QueryLog();
  await assert.rejects(log.configure({ path: '/nonexistent-dir/q.jsonl', sample: 1 }), /ENOENT/);
  assert.equal(log.rate, 0);
  log.record('udp', '127.0.0.1', 1, REPLY); // the transports would not call it; it must not throw either
  await log.close();
});
