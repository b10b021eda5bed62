// What the metrics hooks add to every DNS response on the hot path: the transports
// call ResponseStats.sample() per request, record() per response, and read the
// clock twice on 1 request in 16. Measured here on realistic replies (the same
// loop with and without the calls) and printed as a TAP diagnostic; the bound is
// loose (noise on a shared machine) and catches an order-of-magnitude regression
// such as an allocation or a closure per query.
// Run: npx tsc -p tsconfig.json && bash scripts/test.sh metrics-hot-path
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseStats, TransportSlot } from '../src/server/index.js';
import { benchReplies } from './helpers/bench-replies.js';

const ITERATIONS = 4_000_000;

function replies(): Uint8Array[] {
  return benchReplies({ aaaaNodata: true });
}

/** The transport's loop without the hooks: touch each reply. */
function baseline(all: readonly Uint8Array[]): number {
  let bytes = 0;
  for (let i = 0; i < ITERATIONS; i++) bytes += all[i & 1023]!.length;
  return bytes;
}

/** The same loop with the hooks as udp-listener.ts calls them. */
function hooked(all: readonly Uint8Array[], stats: ResponseStats): number {
  let bytes = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    const reply = all[i & 1023]!;
    const start = stats.sample() ? performance.now() : 0;
    bytes += reply.length;
    stats.record(TransportSlot.udp, reply);
    if (start !== 0) stats.observeSince(TransportSlot.udp, start);
  }
  return bytes;
}

test('the metrics hooks add tens of nanoseconds per response, not hundreds', (t) => {
  const all = replies();
  const stats = new ResponseStats();
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    let started = performance.now();
    baseline(all);
    const base = performance.now() - started;
    started = performance.now();
    hooked(all, stats);
    const withHooks = performance.now() - started;
    best = Math.min(best, ((withHooks - base) * 1e6) / ITERATIONS);
  }
  t.diagnostic(`metrics hooks: ${best.toFixed(1)} ns added per response (best of 5 rounds of ${ITERATIONS})`);
  let total = 0;
  stats.eachCount((_t, _q, _r, n) => { total += n; });
  assert.equal(total, 5 * ITERATIONS);
  assert.ok(best < 1000, `${best.toFixed(1)} ns per response`);
});
