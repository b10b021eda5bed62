// What the query log ([log] query_log) costs per DNS response, measured on the
// call the transports make (`if (queryLog.rate !== 0) queryLog.record(...)`) against
// the same loop without it: off, sampling 1.0 and sampling 0.01. Responses go in
// chunks of 1,000 with a pause between them, as the event loop would give the
// writer its turn. Two numbers per case: the time spent inline, in the loops (what
// a transport pays before its next datagram), and the CPU time of the whole process
// (the writer's batching and file writes included, noisier: the pauses cost CPU
// too). Printed as TAP diagnostics for src/server/README.md.
// The bounds are loose (a shared machine is noisy): they catch a regression of an
// order of magnitude, such as work done when the log is off.
// Run: npx tsc -p tsconfig.json && bash scripts/test.sh query-log-cost
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueryLog } from '../src/server/index.js';
import { benchReplies } from './helpers/bench-replies.js';

const CHUNK = 1_000;

function replies(): Uint8Array[] {
  return benchReplies();
}

/** Nanoseconds spent inline in the loops and CPU nanoseconds of the process (every thread) for `count` replies; the bare loop when log is null. */
async function cost(all: readonly Uint8Array[], count: number, log: QueryLog | null): Promise<{ inline: number; cpu: number }> {
  let bytes = 0;
  let inline = 0;
  const before = process.cpuUsage();
  for (let done = 0; done < count; done += CHUNK) {
    const started = performance.now();
    if (log === null) {
      for (let i = done; i < done + CHUNK; i++) bytes += all[i & 1023]!.length;
    } else {
      for (let i = done; i < done + CHUNK; i++) {
        const reply = all[i & 1023]!;
        bytes += reply.length;
        if (log.rate !== 0) log.record('udp', '192.0.2.7', 40_000 + (i & 1023), reply);
      }
    }
    inline += performance.now() - started;
    await sleep(1); // the event loop's turn: the writer's timer and file write
  }
  await log?.close();
  const used = process.cpuUsage(before);
  assert.ok(bytes > 0);
  return { inline: inline * 1e6, cpu: (used.user + used.system) * 1000 };
}

test('the query log costs a branch when off, and about a microsecond per logged response when on', { timeout: 300_000 }, async (t) => {
  const all = replies();
  const dir = mkdtempSync(join(tmpdir(), 'mcns-query-log-cost-'));
  try {
    const cases = [
      { label: 'off', sample: 0, count: 400_000 },
      { label: 'sample 1.0', sample: 1, count: 200_000 },
      { label: 'sample 0.01', sample: 0.01, count: 400_000 },
    ];
    const results: Record<string, number> = {};
    for (const c of cases) {
      let inline = Infinity;
      let cpu = Infinity;
      for (let round = 0; round < 5; round++) {
        const path = join(dir, `${c.label.replace(/\W/g, '')}-${round}.jsonl`);
        const base = await cost(all, c.count, null);
        const log = new QueryLog({ flushIntervalMs: 0 });
        await log.configure({ path: c.sample === 0 ? null : path, sample: c.sample });
        const hooked = await cost(all, c.count, log);
        inline = Math.min(inline, (hooked.inline - base.inline) / c.count);
        cpu = Math.min(cpu, (hooked.cpu - base.cpu) / c.count);
        if (c.sample === 1) assert.equal(readFileSync(path, 'utf8').split('\n').length - 1, c.count, 'every line written, none dropped');
        rmSync(path, { force: true });
      }
      results[c.label] = inline;
      t.diagnostic(`query log ${c.label}: ${inline.toFixed(1)} ns inline, ${cpu.toFixed(0)} ns CPU in all per response (best of 5 runs of ${c.count})`);
    }
    assert.ok(results['off']! < 20, `off: ${results['off']!.toFixed(1)} ns`);
    assert.ok(results['sample 0.01']! < 300, `0.01: ${results['sample 0.01']!.toFixed(1)} ns`);
    assert.ok(results['sample 1.0']! < 20_000, `1.0: ${results['sample 1.0']!.toFixed(1)} ns`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
