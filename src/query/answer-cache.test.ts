import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RRType, decodeMessage, encodeMessage, nameFromText, nameToText, parseZoneFile, type Message,
} from '../wire/index.js';
import { buildZoneSnapshot, ZoneTable } from '../zone/index.js';
import { AnswerCache, createQueryEngine, type RequestContext } from './index.js';

const ZONE = `
$TTL 3600
@     SOA   ns1 hostmaster 1 7200 900 1209600 300
@     NS    ns1
@     MX    10 mail
ns1   A     192.0.2.1
mail  A     192.0.2.2
www   A     192.0.2.3
alias CNAME www
*.w   A     192.0.2.9
sub   NS    ns.sub
ns.sub A    192.0.2.20
dn    DNAME target.example.com.
x.target A  192.0.2.30
`;

const ORIGIN = nameFromText('example.com.');
const UDP: RequestContext = { transport: 'udp', remoteAddress: '192.0.2.99', remotePort: 5353 };
const TCP: RequestContext = { transport: 'tcp', remoteAddress: '192.0.2.99', remotePort: 5353 };

function zones(extra = ''): ZoneTable {
  const table = new ZoneTable();
  table.set(buildZoneSnapshot(ORIGIN, parseZoneFile(ZONE + extra, { origin: ORIGIN, fileName: 'z' }).records));
  return table;
}

function request(qname: string, qtype: number, o: { id?: number; rd?: boolean; cd?: boolean; edns?: number | null; do?: boolean } = {}): Uint8Array {
  const edns = o.edns === undefined ? 1232 : o.edns;
  const msg: Message = {
    header: { id: o.id ?? 1, qr: false, opcode: 0, aa: false, tc: false, rd: o.rd ?? true, ra: false, z: false, ad: false, cd: o.cd ?? false },
    rcode: 0, questions: [{ name: nameFromText(qname), type: qtype, class: 1 }], answers: [], authorities: [], additionals: [],
    edns: edns === null ? null : { udpSize: edns, version: 0, do: o.do ?? false, z: 0, options: [] },
  };
  return encodeMessage(msg);
}

const QUESTIONS: [string, number][] = [
  ['www.example.com.', RRType.A], ['WWW.Example.COM.', RRType.A], ['www.example.com.', RRType.AAAA],
  ['nope.example.com.', RRType.A], ['alias.example.com.', RRType.A], ['ALIAS.example.com.', RRType.A],
  ['example.com.', RRType.MX], ['Host.W.example.com.', RRType.A], ['a.sub.example.com.', RRType.A],
  ['www.example.net.', RRType.A], ['example.com.', RRType.ANY], ['X.dn.example.com.', RRType.A], ['x.dn.example.com.', RRType.A],
];
const SHAPES = [{}, { rd: false }, { cd: true }, { edns: null }, { do: true }, { edns: 512 }];

test('a cache hit is byte-identical to a fresh answer but for the ID', () => {
  const cached = createQueryEngine({ zones: zones() });
  const fresh = createQueryEngine({ zones: zones(), answerCacheBytes: 0 });
  let id = 1;
  // Warm, then ask again with other IDs: every reply must equal an uncached one.
  for (const ctx of [UDP, TCP]) for (const [qname, qtype] of QUESTIONS) for (const shape of SHAPES) cached.handle(request(qname, qtype, { ...shape, id: id++ }), ctx);
  for (const ctx of [UDP, TCP]) {
    for (const [qname, qtype] of QUESTIONS) {
      for (const shape of SHAPES) {
        const req = request(qname, qtype, { ...shape, id: id++ });
        assert.deepEqual(cached.handle(req, ctx), fresh.handle(req, ctx), `${qname} ${qtype} ${JSON.stringify(shape)} ${ctx.transport}`);
      }
    }
  }
  assert.ok(cached.stats.cacheHits >= 2 * QUESTIONS.length * SHAPES.length, `hits ${cached.stats.cacheHits}`);
  assert.equal(fresh.stats.cacheHits, 0);
});

test('a hit keeps the client\'s ID, and CD set or clear is its own entry', () => {
  const e = createQueryEngine({ zones: zones() });
  e.handle(request('wWw.EXAMPLE.com.', RRType.A, { id: 1, cd: true }), UDP);
  const reply = decodeMessage(e.handle(request('wWw.EXAMPLE.com.', RRType.A, { id: 0xabcd, cd: true }), UDP) as Uint8Array);
  assert.equal(e.stats.cacheHits, 1);
  assert.equal(reply.header.id, 0xabcd);
  assert.equal(reply.header.cd, true);
  assert.equal(nameToText(reply.questions[0]!.name), 'wWw.EXAMPLE.com.');
  // CD reaches the upstream for forwarded names, so it is part of the key.
  const clear = decodeMessage(e.handle(request('wWw.EXAMPLE.com.', RRType.A, { id: 2 }), UDP) as Uint8Array);
  assert.equal(e.stats.cacheHits, 1);
  assert.equal(clear.header.cd, false);
});

test('each spelling of a name has its own entry', () => {
  const e = createQueryEngine({ zones: zones() });
  e.handle(request('www.example.com.', RRType.A), UDP);
  const reply = decodeMessage(e.handle(request('WWW.example.com.', RRType.A), UDP) as Uint8Array);
  assert.equal(e.stats.cacheHits, 0);
  assert.equal(nameToText(reply.questions[0]!.name), 'WWW.example.com.');
});

test('a change to the zone table empties the cache', () => {
  const table = zones();
  const e = createQueryEngine({ zones: table });
  const req = request('www.example.com.', RRType.A);
  const before = decodeMessage(e.handle(req, UDP) as Uint8Array);
  assert.equal(decodeMessage(e.handle(req, UDP) as Uint8Array).answers.length, 1);
  assert.equal(e.stats.cacheHits, 1);
  table.set(buildZoneSnapshot(ORIGIN, parseZoneFile(ZONE + 'www A 192.0.2.4\n', { origin: ORIGIN, fileName: 'z' }).records));
  const after = decodeMessage(e.handle(req, UDP) as Uint8Array);
  assert.equal(before.answers.length, 1);
  assert.equal(after.answers.length, 2);
  assert.equal(e.stats.cacheHits, 1);
});

test('a DNAME answer keeps each client\'s spelling in the synthesized target', () => {
  const e = createQueryEngine({ zones: zones() });
  for (let round = 0; round < 2; round++) {
    for (const label of ['X', 'x']) {
      const reply = decodeMessage(e.handle(request(`${label}.dn.example.com.`, RRType.A), UDP) as Uint8Array);
      const cname = reply.answers.find((rr) => rr.type === RRType.CNAME)!;
      assert.equal(Buffer.from(cname.rdata).toString('latin1'), `\x01${label}\x06target\x07example\x03com\x00`);
    }
  }
  assert.equal(e.stats.cacheHits, 2);
});

test('keyOf reads plain queries and leaves everything unusual to the slow path', () => {
  const cache = new AnswerCache(1 << 20, 1232);
  const plain = request('www.example.com.', RRType.A);
  assert.notEqual(cache.keyOf(plain, 'udp'), null);
  assert.notEqual(cache.keyOf(request('WWW.example.com.', RRType.A), 'udp'), cache.keyOf(plain, 'udp'));
  assert.notEqual(cache.keyOf(plain, 'tcp'), cache.keyOf(plain, 'udp'));
  assert.notEqual(cache.keyOf(request('www.example.com.', RRType.A, { rd: false }), 'udp'), cache.keyOf(plain, 'udp'));
  assert.notEqual(cache.keyOf(request('www.example.com.', RRType.A, { do: true }), 'udp'), cache.keyOf(plain, 'udp'));
  assert.notEqual(cache.keyOf(request('www.example.com.', RRType.A, { edns: null }), 'udp'), cache.keyOf(plain, 'udp'));
  assert.notEqual(cache.keyOf(request('www.example.com.', 65), 'udp'), cache.keyOf(request('www.example.com.', 97), 'udp'));
  // Same key for sizes that give the same limit.
  assert.equal(cache.keyOf(request('www.example.com.', RRType.A, { edns: 4096 }), 'udp'), cache.keyOf(plain, 'udp'));
  const unusual: [string, Uint8Array][] = [];
  const withQr = plain.slice(); withQr[2] = withQr[2]! | 0x80; unusual.push(['QR set', withQr]);
  const notify = plain.slice(); notify[2] = (notify[2]! & 0x87) | (4 << 3); unusual.push(['opcode NOTIFY', notify]);
  const badClass = plain.slice(); badClass[12 + 17 + 3] = 3; unusual.push(['class CH', badClass]);
  unusual.push(['AXFR', request('example.com.', RRType.AXFR)]);
  unusual.push(['trailing byte', new Uint8Array([...request('www.example.com.', RRType.A, { edns: null }), 0])]);
  unusual.push(['truncated', plain.subarray(0, 20)]);
  const v1 = plain.slice(); v1[plain.length - 5] = 1; unusual.push(['EDNS version 1', v1]);
  const pointer = new Uint8Array([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1]); unusual.push(['pointer in the question', pointer]);
  const nsid = encodeMessage({ ...decodeMessage(plain), edns: { udpSize: 1232, version: 0, do: false, z: 0, options: [{ code: 3, data: new Uint8Array(0) }] } });
  unusual.push(['NSID option', nsid]);
  for (const [what, bytes] of unusual) assert.equal(cache.keyOf(bytes, 'udp'), null, what);
  const cookie = encodeMessage({ ...decodeMessage(plain), edns: { udpSize: 1232, version: 0, do: false, z: 0, options: [{ code: 10, data: new Uint8Array(8) }] } });
  assert.equal(cache.keyOf(cookie, 'udp'), cache.keyOf(plain, 'udp'), 'a client cookie does not change the answer');
});

test('stays within its bounds by starting over, and keeps answering', () => {
  const cache = new AnswerCache(1 << 20, 1232);
  const response = new Uint8Array(300);
  for (let i = 0; i < 20_000; i++) {
    const req = request(`h${i}.example.com.`, RRType.A, { id: i & 0xffff });
    assert.equal(cache.probe(req, 'udp'), true);
    response[300 - 1] = i & 0xff;
    cache.set(response);
    assert.ok(cache.size <= 8192);
    assert.equal(cache.probe(req, 'udp'), true);
    const got = cache.get(req, false, () => 0) as Uint8Array;
    assert.equal(got.length, 300);
    assert.equal((got[0]! << 8) | got[1]!, i & 0xffff, 'the request\'s ID');
    assert.equal(got[299], i & 0xff, 'its own response');
  }
  assert.ok(cache.size > 0);
});

test('many keys in one table: each finds its own entry, a missing one misses, and a key set twice keeps the newer response', () => {
  const cache = new AnswerCache(16 << 20, 1232);
  const n = 50_000;
  for (let i = 0; i < n; i++) {
    assert.equal(cache.probe(request(`n${i}.example.com.`, RRType.A), 'udp'), true);
    cache.set(new Uint8Array([0, 0, 0x81, 0, i >>> 16, (i >>> 8) & 0xff, i & 0xff]));
  }
  assert.equal(cache.size, n);
  for (let i = 0; i < n; i += 7) {
    cache.probe(request(`n${i}.example.com.`, RRType.A), 'udp');
    const got = cache.get(request(`n${i}.example.com.`, RRType.A), false, () => 0)!;
    assert.equal((got[4]! << 16) | (got[5]! << 8) | got[6]!, i);
  }
  cache.probe(request('absent.example.com.', RRType.A), 'udp');
  assert.equal(cache.get(request('absent.example.com.', RRType.A), false, () => 0), null);
  const again = request('n5.example.com.', RRType.A);
  cache.probe(again, 'udp');
  cache.set(new Uint8Array([0, 0, 0x81, 0, 9, 9, 9]));
  assert.equal(cache.size, n, 'the same key again replaces, it does not add');
  cache.probe(again, 'udp');
  assert.deepEqual([...cache.get(again, false, () => 0)!.subarray(4)], [9, 9, 9]);
  cache.clear();
  assert.equal(cache.size, 0);
  cache.probe(again, 'udp');
  assert.equal(cache.get(again, false, () => 0), null, 'cleared');
});
