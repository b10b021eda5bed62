import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RRType, decodeMessage, encodeMessage, nameFromText, parseZoneFile, type Message } from '../wire/index.js';
import { buildZoneSnapshot, ZoneTable, type ZoneSnapshot } from '../zone/index.js';
import { createQueryEngine, type RequestContext } from './index.js';

const ORIGIN = nameFromText('example.com.');
const UDP: RequestContext = { transport: 'udp', remoteAddress: '192.0.2.99', remotePort: 5353 };

function zones(): ZoneTable {
  const table = new ZoneTable();
  const text = '$TTL 60\n@ SOA ns1 hm 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\nwww A 192.0.2.2\n*.w CNAME www\ndn DNAME x.example.com.\n';
  table.set(buildZoneSnapshot(ORIGIN, parseZoneFile(text, { origin: ORIGIN, fileName: 'z' }).records));
  return table;
}

function query(qname: string, qtype: number, id: number): Uint8Array {
  const msg: Message = {
    header: { id, qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, z: false, ad: false, cd: false },
    rcode: 0, questions: [{ name: nameFromText(qname), type: qtype, class: 1 }], answers: [], authorities: [], additionals: [],
    edns: { udpSize: 1232, version: 0, do: false, z: 0, options: [] },
  };
  return encodeMessage(msg);
}

/** A deterministic byte source, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s >>> 24;
  };
}

test('handle never throws: random bytes and mutated queries get a valid reply or none', () => {
  for (const cacheBytes of [0, 1 << 20]) {
    const e = createQueryEngine({ zones: zones(), answerCacheBytes: cacheBytes });
    const next = random(42);
    const seeds = [query('www.example.com.', RRType.A, 1), query('a.w.example.com.', RRType.A, 2), query('q.dn.example.com.', RRType.ANY, 3)];
    for (let i = 0; i < 6000; i++) {
      let bytes: Uint8Array;
      if (i % 2 === 0) {
        bytes = new Uint8Array(next() % 80);
        for (let j = 0; j < bytes.length; j++) bytes[j] = next();
      } else {
        bytes = seeds[i % seeds.length]!.slice();
        for (let flips = 1 + (next() % 4); flips > 0; flips--) bytes[next() % bytes.length] = next();
      }
      const reply = e.handle(bytes, i % 3 === 0 ? { ...UDP, transport: 'tcp' } : UDP);
      if (reply === null) continue;
      assert.ok(reply instanceof Uint8Array);
      const msg = decodeMessage(reply);
      assert.equal(msg.header.qr, true);
      assert.equal(msg.header.id, (bytes[0]! << 8) | bytes[1]!);
    }
    assert.equal(e.stats.internalErrors, 0);
  }
});

test('an unexpected exception becomes SERVFAIL with the request\'s ID and is counted', () => {
  const table = zones();
  const good = table.get(ORIGIN)!;
  const broken: ZoneSnapshot = { ...good, nodes: { get() { throw new Error('broken invariant'); } } as unknown as ZoneSnapshot['nodes'] };
  table.set(broken);
  const e = createQueryEngine({ zones: table });
  const reply = decodeMessage(e.handle(query('www.example.com.', RRType.A, 0x4242), UDP) as Uint8Array);
  assert.equal(reply.rcode, 2);
  assert.equal(reply.header.id, 0x4242);
  assert.equal(e.stats.internalErrors, 1);
  assert.match(String(e.lastInternalError), /broken invariant/);
});

test('counts queries, hits and misses', () => {
  const e = createQueryEngine({ zones: zones() });
  e.handle(query('www.example.com.', RRType.A, 1), UDP);
  e.handle(query('www.example.com.', RRType.A, 2), UDP);
  assert.deepEqual({ ...e.stats }, { queries: 2, cacheHits: 1, cacheMisses: 1, forwardCacheHits: 0, forwarded: 0, dropped: 0, internalErrors: 0 });
  e.clearCache();
  e.handle(query('www.example.com.', RRType.A, 3), UDP);
  assert.equal(e.stats.cacheMisses, 2);
});
