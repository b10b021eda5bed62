// Upstream failures: one that never answers, one that answers SERVFAIL, all of them
// down (serve-stale, RFC 8767), probing after the backoff, close() during a wait, and
// identical questions sharing one upstream query. Real sockets on loopback; the
// healthy upstream is a knotd we start.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createForwarder, type ForwardAnswer, type ForwardResult } from '../src/forwarder/index.js';
import { nameFromText, rdataToText, type Question } from '../src/wire/index.js';
import { startFakeUpstream, type FakeUpstream } from './forward/fake-upstream.js';
import { startKnotUpstream, type KnotUpstream } from './forward/knot-upstream.js';
import { scriptedAnswer } from './forward/scripted-answer.js';

const ZONE = [
  '$ORIGIN fwd.test.',
  '$TTL 300',
  '@ IN SOA ns.fwd.test. admin.fwd.test. 1 7200 900 1209600 60',
  '@ IN NS ns',
  'ns IN A 192.0.2.53',
  'www IN A 192.0.2.1',
  'mail IN A 192.0.2.25',
  '',
].join('\n');

let knot: KnotUpstream;
let silent: FakeUpstream;
let servfail: FakeUpstream;

before(async () => {
  knot = await startKnotUpstream([{ origin: 'fwd.test.', text: ZONE }]);
  silent = await startFakeUpstream(() => {});
  servfail = await startFakeUpstream((query, tools) => tools.reply(scriptedAnswer(query, { rcode: 'SERVFAIL' })));
});

after(async () => {
  await silent?.close();
  await servfail?.close();
  await knot?.close();
});

const PLAIN = { dnssecOk: false, checkingDisabled: false };

function q(name: string): Question {
  return { name: nameFromText(name), type: 1, class: 1 };
}

function answer(r: ForwardResult): ForwardAnswer {
  assert.equal(r.kind, 'answer', r.kind === 'failure' ? r.detail : '');
  return r as ForwardAnswer;
}

test('an upstream that never answers times out, the next one answers, and the dead one is marked down and skipped', async () => {
  const before = silent.queries.length;
  const f = createForwarder({ upstreams: [silent.address, knot.address], timeoutMs: 200, failThreshold: 1, backoffBaseMs: 60_000 });
  try {
    const t0 = performance.now();
    const first = answer(await f.resolve(q('www.fwd.test.'), PLAIN));
    assert.deepEqual(first.answers.map((r) => rdataToText(r.type, r.rdata)), ['192.0.2.1']);
    assert.ok(performance.now() - t0 >= 190, 'waited for the first upstream');
    const [dead, good] = f.stats().upstreams;
    assert.equal(dead!.timeouts, 1);
    assert.equal(dead!.down, true);
    assert.equal(good!.answers, 1);
    const t1 = performance.now();
    answer(await f.resolve(q('mail.fwd.test.'), PLAIN));
    assert.ok(performance.now() - t1 < 150, 'the down upstream was skipped');
    assert.equal(silent.queries.length - before, 1, 'the dead upstream got only the first query');
  } finally {
    f.close();
  }
});

test('an upstream answering SERVFAIL is passed over for the next one, and counted', async () => {
  const f = createForwarder({ upstreams: [servfail.address, knot.address] });
  try {
    const r = answer(await f.resolve(q('www.fwd.test.'), PLAIN));
    assert.equal(r.rcode, 0);
    const [bad, good] = f.stats().upstreams;
    assert.equal(bad!.badRcodes, 1);
    assert.equal(bad!.failures, 1);
    assert.equal(good!.answers, 1);
  } finally {
    f.close();
  }
});

test('with every upstream failing and no stale data the result is a failure value with EDE 22', async () => {
  const f = createForwarder({ upstreams: [silent.address], timeoutMs: 100, attempts: 2 });
  try {
    const r = await f.resolve(q('www.fwd.test.'), PLAIN);
    assert.equal(r.kind, 'failure');
    if (r.kind !== 'failure') return;
    assert.equal(r.reason, 'timeout');
    assert.equal(r.ede.code, 22);
    assert.match(r.detail, /no answer within 100 ms/);
    assert.equal(f.stats().failures, 1);
  } finally {
    f.close();
  }
});

test('serve-stale: when no upstream answers, expired data goes out with TTL 30 and EDE 3 (RFC 8767)', async () => {
  let online = true;
  const flaky = await startFakeUpstream((query, tools) => {
    if (online) tools.reply(scriptedAnswer(query, { addresses: ['192.0.2.77'], ttl: 60 }));
  });
  let clock = 10_000_000;
  const f = createForwarder({ upstreams: [flaky.address], now: () => clock, serveStale: true, staleMaxAge: 3600, timeoutMs: 100, attempts: 1, failThreshold: 1 });
  try {
    answer(await f.resolve(q('flaky.example.'), PLAIN));
    online = false;
    clock += 120_000; // expired 60 s ago
    const stale = answer(await f.resolve(q('flaky.example.'), PLAIN));
    assert.equal(stale.stale, true);
    assert.deepEqual(stale.answers.map((r) => [rdataToText(r.type, r.rdata), r.ttl]), [['192.0.2.77', 30]]);
    assert.deepEqual(stale.ede, { code: 3, text: 'upstreams unreachable; answer is stale' });
    // Now the only upstream is down: the next stale answer goes out without waiting on it.
    const asked = flaky.queries.length;
    const t0 = performance.now();
    assert.equal(answer(await f.resolve(q('flaky.example.'), PLAIN)).stale, true);
    assert.ok(performance.now() - t0 < 50);
    assert.equal(flaky.queries.length, asked, 'no upstream query while it is down');
    assert.equal(f.stats().cache.staleServed, 2);
    // Past stale_max_age the data is gone.
    clock += 3_600_000;
    assert.equal((await f.resolve(q('flaky.example.'), PLAIN)).kind, 'failure');
  } finally {
    f.close();
    await flaky.close();
  }
});

test('a down upstream is probed by one query after its backoff, and comes back when it answers', async () => {
  let online = false;
  const recovering = await startFakeUpstream((query, tools) => {
    if (online) tools.reply(scriptedAnswer(query, { addresses: ['192.0.2.88'] }));
  });
  let clock = 20_000_000;
  const f = createForwarder({
    upstreams: [recovering.address, knot.address], now: () => clock, timeoutMs: 100, failThreshold: 1, backoffBaseMs: 5_000,
  });
  try {
    answer(await f.resolve(q('www.fwd.test.'), PLAIN));
    assert.equal(f.stats().upstreams[0]!.down, true);
    clock += 4_000;
    answer(await f.resolve(q('mail.fwd.test.'), PLAIN));
    assert.equal(recovering.queries.length, 1, 'not probed before the backoff ends');
    online = true;
    clock += 2_000;
    const probed = answer(await f.resolve(q('probe.example.'), PLAIN));
    assert.deepEqual(probed.answers.map((r) => rdataToText(r.type, r.rdata)), ['192.0.2.88']);
    assert.equal(recovering.queries.length, 2);
    assert.equal(f.stats().upstreams[0]!.down, false);
  } finally {
    f.close();
    await recovering.close();
  }
});

test('close() ends a pending question at once with a failure, and later questions fail fast', async () => {
  const f = createForwarder({ upstreams: [silent.address], timeoutMs: 5_000 });
  const pending = f.resolve(q('www.fwd.test.'), PLAIN);
  await new Promise((r) => setTimeout(r, 20));
  const t0 = performance.now();
  f.close();
  const r = await pending;
  assert.ok(performance.now() - t0 < 100);
  assert.equal(r.kind === 'failure' && r.reason, 'closed');
  assert.equal((await f.resolve(q('www.fwd.test.'), PLAIN)).kind, 'failure');
});

test('a caller that gives up gets a failure; the shared work still fills the cache', async () => {
  const slow = await startFakeUpstream((query, tools) => {
    setTimeout(() => tools.reply(scriptedAnswer(query, { addresses: ['192.0.2.99'] })), 100);
  });
  const f = createForwarder({ upstreams: [slow.address] });
  try {
    const giveUp = new AbortController();
    const a = f.resolve(q('slow.example.'), { ...PLAIN, signal: giveUp.signal });
    const b = f.resolve(q('SLOW.example.'), PLAIN);
    giveUp.abort();
    assert.equal((await a).kind === 'failure' && (await a as { reason: string }).reason, 'aborted');
    answer(await b);
    assert.equal(slow.queries.length, 1, 'identical questions shared one upstream query');
    assert.equal(f.stats().coalesced, 1);
    assert.equal(answer(await f.resolve(q('slow.example.'), PLAIN)).fromCache, true);
  } finally {
    f.close();
    await slow.close();
  }
});

test('no upstreams configured: forwarding is disabled and resolve says so', async () => {
  const f = createForwarder({ upstreams: [] });
  assert.equal(f.enabled, false);
  const r = await f.resolve(q('www.fwd.test.'), PLAIN);
  assert.equal(r.kind === 'failure' && r.reason, 'no-upstreams');
  f.close();
});

test('past max_in_flight distinct waiting questions, a new one fails at once as overloaded', async () => {
  const f = createForwarder({ upstreams: [silent.address], timeoutMs: 300, attempts: 1, maxInFlight: 3 });
  try {
    const waiting = [1, 2, 3].map((i) => f.resolve(q(`w${i}.fwd.test.`), PLAIN));
    const t0 = performance.now();
    const r = await f.resolve(q('w4.fwd.test.'), PLAIN);
    assert.ok(performance.now() - t0 < 50);
    assert.equal(r.kind === 'failure' && r.reason, 'overloaded');
    assert.equal(r.kind === 'failure' && r.ede.code, 0);
    const joined = await Promise.all([f.resolve(q('w1.fwd.test.'), PLAIN), ...waiting]);
    assert.ok(joined.every((x) => x.kind === 'failure' && x.reason === 'timeout'), 'an identical question still joins');
    assert.equal(f.stats().overloaded, 1);
    assert.equal(f.stats().inFlight, 0);
  } finally {
    f.close();
  }
});
