import { test } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import {
  decodeMessage,
  encodeMessage,
  nameFromText,
  rdataFromText,
  Rcode,
  typeFromText,
  type Message,
  type Question,
  type ResourceRecord,
} from '../wire/index.js';
import { AnswerCache, cacheFlags, STALE_TTL, type AnswerCacheOptions, type ReplyShape } from './answer-cache.js';

const OPTIONS: AnswerCacheOptions = { maxBytes: 1 << 20, minTtl: 0, maxTtl: 86400, negMaxTtl: 3600, serveStale: false, staleMaxAge: 86400 };

/** One record from zone-file text: "owner ttl IN type rdata...". */
function rr(line: string): ResourceRecord {
  const tokens = line.match(/"[^"]*"|\S+/g)!;
  const [owner, ttl, cls, type, ...rdata] = tokens;
  assert.equal(cls, 'IN');
  const t = typeFromText(type!)!;
  return {
    name: nameFromText(owner!),
    type: t,
    class: 1,
    ttl: Number(ttl),
    rdata: rdataFromText(t, rdata.map((x) => (x.startsWith('"') ? { text: x.slice(1, -1), quoted: true } : { text: x, quoted: false })), nameFromText(owner!)),
  };
}

function q(name: string, type: string): Question {
  return { name: nameFromText(name), type: typeFromText(type)!, class: 1 };
}

function upstream(question: Question, rcode: number, answers: string[], authorities: string[] = [], additionals: string[] = []): Message {
  return {
    header: { id: 1, qr: true, opcode: 0, aa: false, tc: false, rd: true, ra: true, z: false, ad: false, cd: false },
    rcode,
    questions: [question],
    answers: answers.map(rr),
    authorities: authorities.map(rr),
    additionals: additionals.map(rr),
    edns: null,
  };
}

/** A client request as bytes, built by dns-packet (an independent codec). */
function request(name: string, type: string, opts: { id?: number; edns?: boolean; do?: boolean; cd?: boolean } = {}): Uint8Array {
  return dnsPacket.encode({
    type: 'query',
    id: opts.id ?? 0xbeef,
    flags: dnsPacket.RECURSION_DESIRED | (opts.cd === true ? dnsPacket.CHECKING_DISABLED : 0),
    questions: [{ name, type: type as dnsPacket.RecordType }],
    additionals: opts.edns === true ? [{ type: 'OPT', name: '.', udpPayloadSize: 1232, flags: opts.do === true ? dnsPacket.DNSSEC_OK : 0 } as dnsPacket.Answer] : [],
  });
}

const SHAPE: ReplyShape = { dnssecOk: false, checkingDisabled: false, edns: false, udpSize: 1232, maxSize: 512 };
const T0 = 1_000_000;

test('a hit copies the answer with the client ID, case and RD, RA set, TTLs decremented by whole seconds of age', () => {
  const cache = new AnswerCache(OPTIONS);
  const question = q('www.example.com.', 'A');
  assert.notEqual(cache.store(question, 0, upstream(question, Rcode.NOERROR, ['www.example.com. 300 IN A 192.0.2.1', 'www.example.com. 600 IN A 192.0.2.2']), T0), null);
  const asked = q('WwW.Example.COM.', 'A');
  const reply = cache.respond(request('WwW.Example.COM', 'A', { id: 4242 }), asked, SHAPE, T0 + 10_999)!;
  const got = dnsPacket.decode(Buffer.from(reply));
  assert.equal(got.id, 4242);
  assert.equal(got.questions![0]!.name, 'WwW.Example.COM');
  assert.equal(got.flag_qr, true);
  assert.equal(got.flag_aa, false);
  assert.equal(got.flag_rd, true);
  assert.equal(got.flag_ra, true);
  assert.equal((got as unknown as { rcode: string }).rcode, 'NOERROR');
  assert.deepEqual(got.answers!.map((a) => { const s = a as dnsPacket.StringAnswer; return [s.ttl, s.data]; }), [[290, '192.0.2.1'], [590, '192.0.2.2']]);
  assert.equal(got.additionals!.length, 0, 'no OPT for a request without one');
  assert.deepEqual(cache.stats().hits, 1);
});

test('entries expire at the smallest TTL; a miss is counted and nothing is served', () => {
  const cache = new AnswerCache(OPTIONS);
  const question = q('www.example.com.', 'A');
  cache.store(question, 0, upstream(question, Rcode.NOERROR, ['www.example.com. 300 IN A 192.0.2.1', 'www.example.com. 60 IN A 192.0.2.2']), T0);
  assert.notEqual(cache.respond(request('www.example.com', 'A'), question, SHAPE, T0 + 59_999), null);
  assert.equal(cache.respond(request('www.example.com', 'A'), question, SHAPE, T0 + 60_000), null);
  assert.equal(cache.stats().hits, 1);
  assert.equal(cache.stats().entries, 0, 'dropped: serve-stale is off');
});

test('the reply carries OPT when the request did, DO copied, and the key separates DO and CD', () => {
  const cache = new AnswerCache(OPTIONS);
  const question = q('www.example.com.', 'A');
  cache.store(question, cacheFlags(true, false), upstream(question, Rcode.NOERROR, ['www.example.com. 300 IN A 192.0.2.9']), T0);
  assert.equal(cache.respond(request('www.example.com', 'A', { edns: true }), question, { ...SHAPE, edns: true }, T0), null, 'DO=0 is another key');
  assert.equal(cache.respond(request('www.example.com', 'A', { edns: true, do: true, cd: true }), question,
    { ...SHAPE, edns: true, dnssecOk: true, checkingDisabled: true }, T0), null, 'CD=1 is another key');
  const reply = cache.respond(request('www.example.com', 'A', { edns: true, do: true }), question,
    { ...SHAPE, edns: true, dnssecOk: true, maxSize: 1232 }, T0)!;
  const m = decodeMessage(reply);
  assert.equal(m.edns?.do, true);
  assert.equal(m.edns?.udpSize, 1232);
  assert.equal(m.answers.length, 1);
});

test('NXDOMAIN is cached for min(SOA TTL, SOA MINIMUM) and the SOA TTL counts down (RFC 2308)', () => {
  const cache = new AnswerCache(OPTIONS);
  const question = q('nope.example.com.', 'A');
  const soa = 'example.com. 3600 IN SOA ns.example.com. admin.example.com. 1 7200 900 1209600 60';
  const entry = cache.store(question, 0, upstream(question, Rcode.NXDOMAIN, [], [soa]), T0)!;
  assert.equal(entry.negative, true);
  assert.equal(entry.expiresAt - T0, 60_000);
  const reply = decodeMessage(cache.respond(request('nope.example.com', 'A'), question, SHAPE, T0 + 15_000)!);
  assert.equal(reply.rcode, Rcode.NXDOMAIN);
  assert.equal(reply.authorities[0]!.ttl, 45);
  assert.equal(cache.respond(request('nope.example.com', 'A'), question, SHAPE, T0 + 60_000), null);
});

test('a NODATA answer whose SOA TTL is below MINIMUM lives for the SOA TTL; neg_max_ttl caps both', () => {
  const cache = new AnswerCache({ ...OPTIONS, negMaxTtl: 20 });
  const question = q('www.example.com.', 'AAAA');
  const soa = 'example.com. 30 IN SOA ns.example.com. admin.example.com. 1 7200 900 1209600 600';
  assert.equal(cache.store(question, 0, upstream(question, Rcode.NOERROR, [], [soa]), T0)!.expiresAt - T0, 20_000);
  const wide = new AnswerCache(OPTIONS);
  assert.equal(wide.store(question, 0, upstream(question, Rcode.NOERROR, [], [soa]), T0)!.expiresAt - T0, 30_000);
});

test('negative answers without an SOA, SERVFAIL, REFUSED and TTL 0 are not cached', () => {
  const cache = new AnswerCache(OPTIONS);
  const question = q('x.example.com.', 'A');
  assert.equal(cache.store(question, 0, upstream(question, Rcode.NXDOMAIN, []), T0), null);
  assert.equal(cache.store(question, 0, upstream(question, Rcode.NOERROR, []), T0), null);
  assert.equal(cache.store(question, 0, upstream(question, Rcode.SERVFAIL, []), T0), null);
  assert.equal(cache.store(question, 0, upstream(question, Rcode.REFUSED, []), T0), null);
  assert.equal(cache.store(question, 0, upstream(question, Rcode.NOERROR, ['x.example.com. 0 IN A 192.0.2.1']), T0), null);
  assert.equal(cache.stats().entries, 0);
});

test('min_ttl and max_ttl clamp every stored TTL', () => {
  const cache = new AnswerCache({ ...OPTIONS, minTtl: 30, maxTtl: 100 });
  const question = q('a.example.com.', 'A');
  cache.store(question, 0, upstream(question, Rcode.NOERROR, ['a.example.com. 5 IN A 192.0.2.1', 'a.example.com. 4000000000 IN A 192.0.2.2']), T0);
  const reply = decodeMessage(cache.respond(request('a.example.com', 'A'), question, SHAPE, T0)!);
  assert.deepEqual(reply.answers.map((a) => a.ttl), [30, 100]);
});

test('least recently used entries are evicted to stay within max bytes', () => {
  const probe = new AnswerCache(OPTIONS);
  const one = probe.store(q('n0.example.com.', 'A'), 0, upstream(q('n0.example.com.', 'A'), Rcode.NOERROR, ['n0.example.com. 300 IN A 192.0.2.1']), T0)!;
  const cache = new AnswerCache({ ...OPTIONS, maxBytes: one.bytes * 3 + 10 });
  const names = ['n0', 'n1', 'n2', 'n3', 'n4'];
  for (const [i, n] of names.entries()) {
    const question = q(`${n}.example.com.`, 'A');
    cache.store(question, 0, upstream(question, Rcode.NOERROR, [`${n}.example.com. 300 IN A 192.0.2.1`]), T0 + i);
    if (n === 'n2') assert.notEqual(cache.respond(request('n0.example.com', 'A'), q('n0.example.com.', 'A'), SHAPE, T0 + i), null, 'touch n0');
  }
  const present = names.filter((n) => cache.peek(q(`${n}.example.com.`, 'A'), 0) !== undefined);
  assert.deepEqual(present, ['n0', 'n3', 'n4'], 'n0 was used recently, n1 and n2 were not');
  const s = cache.stats();
  assert.equal(s.evictions, 2);
  assert.ok(s.bytes <= s.maxBytes);
  assert.equal(s.entries, 3);
});

test('serve-stale keeps expired entries up to stale_max_age and serves them with TTL 30 (RFC 8767)', () => {
  const cache = new AnswerCache({ ...OPTIONS, serveStale: true, staleMaxAge: 100 });
  const question = q('s.example.com.', 'A');
  cache.store(question, 0, upstream(question, Rcode.NOERROR, ['s.example.com. 10 IN A 192.0.2.7']), T0);
  assert.equal(cache.staleEntry(question, 0, T0 + 9_000), null, 'still fresh');
  assert.equal(cache.lookup(question, 0, T0 + 10_000), null, 'expired: not fresh');
  const stale = cache.staleEntry(question, 0, T0 + 50_000)!;
  const records = cache.records(stale, T0 + 50_000, true);
  assert.deepEqual(records.answers.map((a) => a.ttl), [STALE_TTL]);
  assert.equal(cache.staleEntry(question, 0, T0 + 110_000), null, 'past stale_max_age');
  assert.equal(cache.lookup(question, 0, T0 + 110_000), null);
  assert.equal(cache.stats().entries, 0, 'removed once past use');
});

test('a reply too big for the client drops the additional section first, then truncates with TC', () => {
  const cache = new AnswerCache(OPTIONS);
  const question = q('big.example.com.', 'TXT');
  const text = 'x'.repeat(200);
  const answers = [1, 2].map((i) => `big.example.com. 300 IN TXT "${i}${text}"`);
  const additionals = [1, 2].map((i) => `big.example.com. 300 IN TXT "add${i}${text}"`);
  cache.store(question, 0, upstream(question, Rcode.NOERROR, answers, [], additionals), T0);
  const fits = decodeMessage(cache.respond(request('big.example.com', 'TXT'), question, { ...SHAPE, maxSize: 512 }, T0)!);
  assert.equal(fits.header.tc, false);
  assert.equal(fits.answers.length, 2);
  assert.equal(fits.additionals.length, 0);
  const small = cache.respond(request('big.example.com', 'TXT', { edns: true }), question, { ...SHAPE, edns: true, maxSize: 300 }, T0)!;
  const tc = decodeMessage(small);
  assert.equal(tc.header.tc, true);
  assert.equal(tc.answers.length, 0);
  assert.notEqual(tc.edns, null, 'OPT kept in a truncated reply');
  const tcp = decodeMessage(cache.respond(request('big.example.com', 'TXT'), question, { ...SHAPE, maxSize: 65535 }, T0)!);
  assert.equal(tcp.additionals.length, 2);
});

test('flush removes all, one name, or a subtree; show lists entries with TTL left', () => {
  const cache = new AnswerCache(OPTIONS);
  for (const n of ['a.example.com.', 'b.a.example.com.', 'example.org.']) {
    for (const t of ['A', 'AAAA']) {
      const question = q(n, t);
      const data = t === 'A' ? '192.0.2.1' : '2001:db8::1';
      cache.store(question, 0, upstream(question, Rcode.NOERROR, [`${n} 300 IN ${t} ${data}`]), T0);
    }
  }
  const shown = cache.show(nameFromText('A.example.com.'), T0 + 100_000);
  assert.deepEqual(shown.map((e) => [e.type, e.ttlLeft, e.rcode, e.stale, e.negative]), [[1, 200, 0, false, false], [28, 200, 0, false, false]]);
  assert.equal(cache.flush(nameFromText('b.a.example.com.')), 2);
  assert.equal(cache.stats().entries, 4);
  assert.equal(cache.flush(nameFromText('example.com.'), true), 2);
  assert.equal(cache.stats().entries, 2);
  assert.equal(cache.flush(), 2);
  assert.deepEqual(cache.stats().bytes, 0);
});

test('records() decrements TTLs by age for the promise path', () => {
  const cache = new AnswerCache(OPTIONS);
  const question = q('r.example.com.', 'MX');
  const e = cache.store(question, 0, upstream(question, Rcode.NOERROR, ['r.example.com. 120 IN MX 10 mail.example.com.'], [], ['mail.example.com. 60 IN A 192.0.2.3']), T0)!;
  const r = cache.records(e, T0 + 30_500, false);
  assert.deepEqual([...r.answers, ...r.additionals].map((x) => x.ttl), [90, 30]);
  // The template re-encodes to the same bytes the upstream's records would.
  assert.equal(encodeMessage(decodeMessage(e.wire)).length, e.wire.length);
});
