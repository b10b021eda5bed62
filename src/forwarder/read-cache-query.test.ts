import { test } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import { nameFromText } from '../wire/index.js';
import { newCacheQuery, readCacheQuery } from './read-cache-query.js';

function encode(packet: dnsPacket.Packet): Uint8Array {
  return dnsPacket.encode(packet);
}

test('reads the lowercased name, type, class, RD, CD, DO and payload size from bytes', () => {
  const out = newCacheQuery();
  const req = encode({
    type: 'query', id: 9, flags: dnsPacket.RECURSION_DESIRED | dnsPacket.CHECKING_DISABLED,
    questions: [{ name: 'WWW.Example.Org', type: 'AAAA' }],
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 4096, flags: dnsPacket.DNSSEC_OK } as dnsPacket.Answer],
  });
  assert.equal(readCacheQuery(req, out), true);
  assert.deepEqual(out, {
    lname: nameFromText('www.example.org.'), type: 28, qclass: 1, rd: true, checkingDisabled: true, edns: true, dnssecOk: true, udpSize: 4096,
  });
  const plain = encode({ type: 'query', id: 1, flags: 0, questions: [{ name: 'a.b', type: 'A' }] });
  assert.equal(readCacheQuery(plain, out), true);
  assert.deepEqual([out.lname, out.rd, out.edns, out.dnssecOk, out.udpSize], [nameFromText('a.b.'), false, false, false, 0]);
});

test('anything but a plain one-question query is left to the slow path', () => {
  const out = newCacheQuery();
  const base: dnsPacket.Packet = { type: 'query', id: 1, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name: 'a.example', type: 'A' }] };
  const ok = encode(base);
  assert.equal(readCacheQuery(ok, out), true);
  const cases: [string, Uint8Array][] = [
    ['a response', encode({ ...base, type: 'response' })],
    ['two questions', encode({ ...base, questions: [{ name: 'a.example', type: 'A' }, { name: 'b.example', type: 'A' }] })],
    ['an answer record', encode({ ...base, answers: [{ name: 'a.example', type: 'A', data: '192.0.2.1' }] })],
    ['EDNS version 1', (() => {
      const b = Buffer.from(encode({ ...base, additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232 } as dnsPacket.Answer] }));
      b[b.length - 5] = 1; // the VERSION byte of the OPT TTL field
      return b;
    })()],
    ['trailing bytes', Buffer.concat([Buffer.from(ok), Buffer.from([0])])],
    ['cut short', ok.subarray(0, ok.length - 2)],
    ['a NOTIFY', (() => { const b = Buffer.from(ok); b[2] = 0x20; return b; })()],
    ['a malformed option list', (() => {
      const withOpt = Buffer.from(encode({ ...base, additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, options: [{ code: 10, data: Buffer.alloc(8) }] } as unknown as dnsPacket.Answer] }));
      withOpt[withOpt.length - 9] = 0xff; // option length runs past the end
      return withOpt;
    })()],
  ];
  for (const [what, bytes] of cases) assert.equal(readCacheQuery(bytes, out), false, what);
  // A compression pointer in the question.
  const pointer = Buffer.from(ok);
  pointer[12] = 0xc0;
  assert.equal(readCacheQuery(pointer, out), false, 'pointer');
});
