// The snapshot schedule: counted from the newest snapshot in the directory, a
// start-up grace for one that is due, the interval after each run, and close().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../log/index.js';
import { scheduleSnapshots } from './schedule-snapshots.js';

const log = createLogger({ level: 'error', sink: { write: () => true } });

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'mcns-schedule-'));
}

test('with no snapshot yet the first one comes after the grace (here the short interval), then one per interval', async () => {
  const dir = tempDir();
  let runs = 0;
  const scheduler = scheduleSnapshots({ intervalMs: 60, dir, now: () => new Date(), log, run: async () => { runs++; } });
  try {
    assert.ok(scheduler.nextAt() !== null);
    await new Promise((r) => setTimeout(r, 250));
    assert.ok(runs >= 2 && runs <= 5, `runs: ${runs}`);
  } finally {
    await scheduler.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const after = runs;
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(runs, after, 'nothing runs after close()');
  assert.equal(scheduler.nextAt(), null);
});

test('the next snapshot is due one interval after the newest in the directory; a failing run is logged and the schedule goes on', async () => {
  const dir = tempDir();
  const now = new Date('2026-11-22T18:45:30Z');
  writeFileSync(join(dir, 'mcns-20261122-184500.db'), '');
  const hour = 3_600_000;
  let runs = 0;
  const scheduler = scheduleSnapshots({
    intervalMs: hour, dir, now: () => now, log, run: async () => {
      runs++;
      throw new Error('disk full');
    },
  });
  try {
    assert.equal(scheduler.nextAt()!.toISOString(), '2026-11-22T19:45:00.000Z');
  } finally {
    await scheduler.close();
  }
  // Overdue (newest snapshot two hours old): after the grace of 10 minutes.
  writeFileSync(join(dir, 'mcns-20261122-164500.db'), '');
  rmSync(join(dir, 'mcns-20261122-184500.db'));
  const overdue = scheduleSnapshots({ intervalMs: hour, dir, now: () => now, log, run: async () => undefined });
  try {
    assert.equal(overdue.nextAt()!.toISOString(), '2026-11-22T18:55:30.000Z');
  } finally {
    await overdue.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const failing = tempDir();
  let tries = 0;
  const retried = scheduleSnapshots({ intervalMs: 40, dir: failing, now: () => new Date(), log, run: async () => { tries++; throw new Error('disk full'); } });
  await new Promise((r) => setTimeout(r, 200));
  await retried.close();
  rmSync(failing, { recursive: true, force: true });
  assert.ok(tries >= 2, `a failed snapshot does not stop the schedule: ${tries}`);
  assert.equal(runs, 0);
});
