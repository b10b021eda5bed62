import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUpstream, isSameAddress } from './parse-upstream.js';
import { UpstreamPool } from './upstream-pool.js';
import { ForwarderError } from './forwarder-error.js';

const options = { failThreshold: 2, backoffBaseMs: 1000, backoffMaxMs: 4000 };

function pool(): { p: UpstreamPool; events: string[] } {
  const events: string[] = [];
  const p = new UpstreamPool(['127.0.0.1:5301', '127.0.0.1:5302', '[::1]:5303'].map(parseUpstream), options,
    (u, s) => events.push(`${u} ${s}`));
  return { p, events };
}

const labels = (list: readonly { upstream: { label: string } }[]): string[] => list.map((s) => s.upstream.label);

test('healthy upstreams are tried in configured order', () => {
  const { p } = pool();
  assert.deepEqual(labels(p.order(0)), ['127.0.0.1:5301', '127.0.0.1:5302', '[::1]:5303']);
});

test('consecutive failures mark an upstream down; it moves behind the healthy ones', () => {
  const { p, events } = pool();
  const a = p.states[0]!;
  p.recordFailure(a, 'timeout', 0);
  assert.equal(a.downUntil, 0, 'one failure is not enough');
  p.recordFailure(a, 'timeout', 10);
  assert.equal(a.downUntil, 1010);
  assert.deepEqual(events, ['127.0.0.1:5301 down']);
  assert.deepEqual(labels(p.order(500)), ['127.0.0.1:5302', '[::1]:5303', '127.0.0.1:5301']);
  assert.equal(a.snapshot().down, true);
  assert.equal(a.snapshot().timeouts, 2);
});

test('a success in between resets the run of failures', () => {
  const { p } = pool();
  const a = p.states[0]!;
  p.recordFailure(a, 'rcode', 0);
  p.recordSuccess(a, 3);
  p.recordFailure(a, 'rcode', 0);
  assert.equal(a.downUntil, 0);
  assert.equal(a.snapshot().badRcodes, 2);
  assert.equal(a.snapshot().latency.count, 1);
});

test('after the backoff one query probes; failure doubles the backoff up to the cap, success restores', () => {
  const { p, events } = pool();
  const a = p.states[0]!;
  p.recordFailure(a, 'timeout', 0);
  p.recordFailure(a, 'timeout', 0); // down until 1000
  const probeOrder = p.order(1000);
  assert.equal(probeOrder[0], a, 'the due probe goes first');
  assert.equal(a.probing, true);
  // A concurrent query does not probe again.
  assert.deepEqual(labels(p.order(1001)), ['127.0.0.1:5302', '[::1]:5303', '127.0.0.1:5301']);
  p.recordFailure(a, 'timeout', 1500);
  assert.equal(a.downUntil, 3500, 'backoff doubled to 2000');
  assert.equal(a.probing, false);
  p.order(3500);
  p.recordFailure(a, 'timeout', 3500);
  assert.equal(a.downUntil, 7500, 'backoff 4000');
  p.order(7500);
  p.recordFailure(a, 'timeout', 7500);
  assert.equal(a.downUntil, 11500, 'capped at 4000');
  p.order(11500);
  p.recordSuccess(a, 2);
  assert.equal(a.downUntil, 0);
  assert.deepEqual(events, ['127.0.0.1:5301 down', '127.0.0.1:5301 up']);
  assert.deepEqual(labels(p.order(11600)), ['127.0.0.1:5301', '127.0.0.1:5302', '[::1]:5303']);
});

test('when every upstream is down they are still offered, soonest due first', () => {
  const { p } = pool();
  const [a, b, c] = p.states;
  for (const [s, t] of [[c!, 0], [a!, 100], [b!, 200]] as const) {
    p.recordFailure(s, 'network', t);
    p.recordFailure(s, 'network', t);
  }
  assert.equal(p.allDown(500), true);
  assert.deepEqual(labels(p.order(500)), ['[::1]:5303', '127.0.0.1:5301', '127.0.0.1:5302']);
  assert.equal(p.allDown(1000), false, 'a probe is due');
});

test('a released probe can be claimed again', () => {
  const { p } = pool();
  const a = p.states[0]!;
  p.recordFailure(a, 'timeout', 0);
  p.recordFailure(a, 'timeout', 0);
  assert.equal(p.order(2000)[0], a);
  p.release(a);
  assert.equal(p.order(2000)[0], a);
});

test('upstream addresses parse with and without ports, IPv6 in brackets', () => {
  assert.deepEqual(
    [parseUpstream('192.0.2.1:5353'), parseUpstream('192.0.2.1'), parseUpstream('[2001:db8::1]:53'), parseUpstream('2001:db8::1')]
      .map((u) => [u.label, u.address, u.port, u.family]),
    [['192.0.2.1:5353', '192.0.2.1', 5353, 4], ['192.0.2.1:53', '192.0.2.1', 53, 4],
      ['[2001:db8::1]:53', '2001:db8::1', 53, 6], ['[2001:db8::1]:53', '2001:db8::1', 53, 6]],
  );
  for (const bad of ['dns.example:53', '192.0.2.1:0', '192.0.2.1:65536', '[::1', '[::1]x', '192.0.2.1:5x', '']) {
    assert.throws(() => parseUpstream(bad), (e: unknown) => e instanceof ForwarderError && e.code === 'BAD_UPSTREAM', bad);
  }
  const v6 = parseUpstream('[::1]:53');
  assert.equal(isSameAddress(v6, '0:0:0:0:0:0:0:1'), true);
  assert.equal(isSameAddress(parseUpstream('127.0.0.1:53'), '::ffff:127.0.0.1'), true);
  assert.equal(isSameAddress(parseUpstream('127.0.0.1:53'), '127.0.0.2'), false);
});
