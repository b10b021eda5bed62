// The forwarder against real upstreams on loopback: knotd serving test zones, and
// unbound (a real recursive resolver) answering local data and forwarding a zone to
// that knotd. Checks answers, caching, TC -> TCP, RFC 2308 negative TTLs and TTL
// decrement with an injected clock.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import { createForwarder, type ForwardAnswer, type ForwardResult } from '../src/forwarder/index.js';
import { nameFromText, rdataToText, type Question } from '../src/wire/index.js';
import { askUdp } from './forward/ask-udp.js';
import { startKnotUpstream, type KnotUpstream } from './forward/knot-upstream.js';
import { startUnboundUpstream, type UnboundUpstream } from './forward/unbound-upstream.js';

const BIG_TXT_COUNT = 12;
const FWD_ZONE = [
  '$ORIGIN fwd.test.',
  '$TTL 300',
  '@ 3600 IN SOA ns.fwd.test. admin.fwd.test. 1 7200 900 1209600 60',
  '@ IN NS ns',
  'ns IN A 192.0.2.53',
  'www IN A 192.0.2.1',
  'www IN AAAA 2001:db8::1',
  'alias IN CNAME www',
  ...Array.from({ length: BIG_TXT_COUNT }, (_, i) => `big IN TXT "${String(i).padStart(2, '0')} ${'t'.repeat(150)}"`),
  '',
].join('\n');
const NEG_ZONE = [
  '$ORIGIN neg.test.',
  '@ 30 IN SOA ns.neg.test. admin.neg.test. 1 7200 900 1209600 600',
  '@ 300 IN NS ns',
  'ns 300 IN A 192.0.2.54',
  '',
].join('\n');

let knot: KnotUpstream;
let unbound: UnboundUpstream;

before(async () => {
  knot = await startKnotUpstream([{ origin: 'fwd.test.', text: FWD_ZONE }, { origin: 'neg.test.', text: NEG_ZONE }]);
  unbound = await startUnboundUpstream({
    localData: ['only.unbound.test. 120 IN A 192.0.2.50'],
    forwardZones: [{ name: 'fwd.test.', to: `127.0.0.1@${knot.port}` }],
    readyName: 'only.unbound.test.',
  });
});

after(async () => {
  await unbound?.close();
  await knot?.close();
});

function q(name: string, type: number): Question {
  return { name: nameFromText(name), type, class: 1 };
}

function answer(r: ForwardResult): ForwardAnswer {
  assert.equal(r.kind, 'answer', r.kind === 'failure' ? r.detail : '');
  return r as ForwardAnswer;
}

const PLAIN = { dnssecOk: false, checkingDisabled: false };

test('a question forwarded through unbound to knotd is answered, then served from the cache', async () => {
  const f = createForwarder({ upstreams: [unbound.address] });
  try {
    const first = answer(await f.resolve(q('www.fwd.test.', 1), PLAIN));
    assert.equal(first.rcode, 0);
    assert.deepEqual(first.answers.map((r) => rdataToText(r.type, r.rdata)), ['192.0.2.1']);
    assert.equal(first.fromCache, false);
    const second = answer(await f.resolve(q('WWW.FWD.TEST.', 1), PLAIN));
    assert.equal(second.fromCache, true);
    assert.deepEqual(second.answers.map((r) => rdataToText(r.type, r.rdata)), ['192.0.2.1']);
    const s = f.stats();
    assert.equal(s.upstreams[0]!.queries, 1, 'the second question did not reach the upstream');
    assert.equal(s.cache.hits, 1);
    assert.equal(s.cache.misses, 1);
    assert.equal(s.upstreams[0]!.latency.count, 1);
  } finally {
    f.close();
  }
});

test('unbound local data and a CNAME chain come back as the upstream gave them', async () => {
  const f = createForwarder({ upstreams: [unbound.address] });
  try {
    const local = answer(await f.resolve(q('only.unbound.test.', 1), PLAIN));
    assert.deepEqual(local.answers.map((r) => rdataToText(r.type, r.rdata)), ['192.0.2.50']);
    const chain = answer(await f.resolve(q('alias.fwd.test.', 1), PLAIN));
    assert.deepEqual(chain.answers.map((r) => r.type), [5, 1]);
  } finally {
    f.close();
  }
});

test('the cache-hit fast path writes a reply a stub decodes, with its ID and OPT', async () => {
  const f = createForwarder({ upstreams: [knot.address] });
  try {
    answer(await f.resolve(q('www.fwd.test.', 28), PLAIN));
    const req = dnsPacket.encode({
      type: 'query', id: 777, flags: dnsPacket.RECURSION_DESIRED,
      questions: [{ name: 'Www.Fwd.Test', type: 'AAAA' }],
      additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 4096 } as dnsPacket.Answer],
    });
    const reply = f.respondFromCache(req, q('Www.Fwd.Test.', 28), { dnssecOk: false, checkingDisabled: false, edns: true, udpSize: 1232, maxSize: 4096 }, Date.now());
    assert.notEqual(reply, null);
    const got = dnsPacket.decode(Buffer.from(reply!));
    assert.equal(got.id, 777);
    assert.equal(got.questions![0]!.name, 'Www.Fwd.Test');
    assert.deepEqual(got.answers!.map((a) => (a as dnsPacket.StringAnswer).data), ['2001:db8::1']);
    assert.equal(got.additionals![0]!.type, 'OPT');
  } finally {
    f.close();
  }
});

test('respondFromRequest answers straight from request bytes, only for admitted clients, RD set, names not ours', async () => {
  const f = createForwarder({
    upstreams: [knot.address],
    allowRecursion: ['127.0.0.0/8', '2001:db8::/32'],
    isAuthoritative: (n) => n.endsWith(nameFromText('ours.test.')),
  });
  try {
    answer(await f.resolve(q('www.fwd.test.', 1), PLAIN));
    answer(await f.resolve(q('www.fwd.test.', 16), { dnssecOk: true, checkingDisabled: false }));
    const ask = (opts: { rd?: boolean; edns?: number; do?: boolean; type?: dnsPacket.RecordType } = {}): Uint8Array => dnsPacket.encode({
      type: 'query', id: 4321, flags: opts.rd === false ? 0 : dnsPacket.RECURSION_DESIRED,
      questions: [{ name: 'WWW.fwd.test', type: opts.type ?? 'A' }],
      additionals: opts.edns === undefined ? [] : [{ type: 'OPT', name: '.', udpPayloadSize: opts.edns, flags: opts.do === true ? dnsPacket.DNSSEC_OK : 0 } as dnsPacket.Answer],
    });
    const udp = { transport: 'udp' as const, remoteAddress: '127.0.0.1' };
    const hit = f.respondFromRequest(ask({ edns: 4096 }), udp, Date.now());
    assert.notEqual(hit, null);
    const got = dnsPacket.decode(Buffer.from(hit!));
    assert.equal(got.id, 4321);
    assert.equal(got.questions![0]!.name, 'WWW.fwd.test');
    assert.deepEqual(got.answers!.map((a) => (a as dnsPacket.StringAnswer).data), ['192.0.2.1']);
    assert.equal((got.additionals![0] as unknown as { udpPayloadSize: number }).udpPayloadSize, 1232);
    assert.notEqual(f.respondFromRequest(ask(), { transport: 'udp', remoteAddress: '2001:db8::5' }, Date.now()), null);
    assert.equal(f.respondFromRequest(ask(), { transport: 'udp', remoteAddress: '192.0.2.9' }, Date.now()), null, 'not admitted');
    assert.equal(f.respondFromRequest(ask({ rd: false }), udp, Date.now()), null, 'RD clear');
    assert.equal(f.respondFromRequest(ask({ edns: 4096, do: true }), udp, Date.now()), null, 'DO is another key (A with DO never fetched)');
    assert.notEqual(f.respondFromRequest(ask({ edns: 4096, do: true, type: 'TXT' }), udp, Date.now()), null, 'TXT with DO was fetched');
    const ours = dnsPacket.encode({ type: 'query', id: 1, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name: 'x.ours.test', type: 'A' }] });
    assert.equal(f.respondFromRequest(ours, udp, Date.now()), null, 'our own zone');
  } finally {
    f.close();
  }
});

test('a truncated UDP answer is fetched again over TCP from the same upstream', async () => {
  const direct = await askUdp(knot.port, 'big.fwd.test', 'TXT');
  assert.equal((direct as { flag_tc?: boolean } | null)?.flag_tc, true, 'knotd truncates this RRset over plain UDP');
  const f = createForwarder({ upstreams: [knot.address] });
  try {
    const r = answer(await f.resolve(q('big.fwd.test.', 16), PLAIN));
    assert.equal(r.answers.length, BIG_TXT_COUNT);
    const u = f.stats().upstreams[0]!;
    assert.equal(u.tcpRetries, 1);
    assert.equal(u.queries, 2, 'one UDP try and one TCP try');
    assert.equal(u.answers, 1);
  } finally {
    f.close();
  }
});

test('NXDOMAIN and NODATA are cached for min(SOA TTL, SOA MINIMUM), capped by neg_max_ttl (RFC 2308)', async () => {
  let clock = 1_000_000_000;
  const f = createForwarder({ upstreams: [knot.address], now: () => clock });
  try {
    const nx = answer(await f.resolve(q('nope.fwd.test.', 1), PLAIN));
    assert.equal(nx.rcode, 3);
    // fwd.test: SOA TTL 3600, MINIMUM 60 -> 60.
    assert.equal(nx.authorities.find((r) => r.type === 6)?.ttl, 60);
    assert.deepEqual(f.show(nameFromText('nope.fwd.test.')).map((e) => [e.ttlLeft, e.negative, e.rcode]), [[60, true, 3]]);
    // neg.test: SOA TTL 30, MINIMUM 600 -> 30.
    const nodata = answer(await f.resolve(q('ns.neg.test.', 16), PLAIN));
    assert.equal(nodata.rcode, 0);
    assert.equal(nodata.answers.length, 0);
    assert.deepEqual(f.show(nameFromText('ns.neg.test.')).map((e) => e.ttlLeft), [30]);
    clock += 29_000;
    const later = answer(await f.resolve(q('ns.neg.test.', 16), PLAIN));
    assert.equal(later.fromCache, true);
    assert.equal(later.authorities.find((r) => r.type === 6)?.ttl, 1);
    clock += 1_000;
    const refetched = answer(await f.resolve(q('ns.neg.test.', 16), PLAIN));
    assert.equal(refetched.fromCache, false, 'expired after 30 s');
  } finally {
    f.close();
  }
  const capped = createForwarder({ upstreams: [knot.address], negMaxTtl: 10 });
  try {
    answer(await capped.resolve(q('nope2.fwd.test.', 1), PLAIN));
    assert.deepEqual(capped.show(nameFromText('nope2.fwd.test.')).map((e) => e.ttlLeft), [10]);
  } finally {
    capped.close();
  }
});

test('cached TTLs count down with the injected clock, on both the record and the byte path', async () => {
  let clock = 5_000_000;
  const f = createForwarder({ upstreams: [knot.address], now: () => clock });
  try {
    answer(await f.resolve(q('www.fwd.test.', 1), PLAIN));
    clock += 100_400;
    const hit = f.lookupCache(q('www.fwd.test.', 1), PLAIN, clock)!;
    assert.deepEqual(hit.answers.map((r) => r.ttl), [200]);
    const req = dnsPacket.encode({ type: 'query', id: 1, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name: 'www.fwd.test', type: 'A' }] });
    const bytes = f.respondFromCache(req, q('www.fwd.test.', 1), { dnssecOk: false, checkingDisabled: false, edns: false, udpSize: 1232, maxSize: 512 }, clock)!;
    assert.equal((dnsPacket.decode(Buffer.from(bytes)).answers![0] as dnsPacket.StringAnswer).ttl, 200);
    clock += 200_000;
    assert.equal(f.lookupCache(q('www.fwd.test.', 1), PLAIN, clock), null, 'expired at 300 s');
  } finally {
    f.close();
  }
});

test('flush empties one name so the next question goes upstream again', async () => {
  const f = createForwarder({ upstreams: [knot.address] });
  try {
    answer(await f.resolve(q('www.fwd.test.', 1), PLAIN));
    assert.equal(f.flush(nameFromText('fwd.test.'), true), 1);
    assert.equal(answer(await f.resolve(q('www.fwd.test.', 1), PLAIN)).fromCache, false);
    assert.equal(f.stats().upstreams[0]!.queries, 2);
  } finally {
    f.close();
  }
});

test('a question knotd refuses (outside its zones) fails over, then fails with EDE 22', async () => {
  const f = createForwarder({ upstreams: [knot.address], attempts: 2 });
  try {
    const r = await f.resolve(q('example.org.', 1), PLAIN);
    assert.equal(r.kind, 'failure');
    if (r.kind !== 'failure') return;
    assert.equal(r.reason, 'all-upstreams-failed');
    assert.equal(r.ede.code, 22);
    assert.match(r.detail, /rcode 5/);
    assert.equal(f.stats().upstreams[0]!.badRcodes, 2);
  } finally {
    f.close();
  }
});
