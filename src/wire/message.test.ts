import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import * as dnsPacket from 'dns-packet';
import { WireError, type Header, type Message, type Name, type ResourceRecord, type TextToken } from './types.js';
import { nameFromText, nameToText } from './name.js';
import { decodeMessage, encodeMessage, peekHeader } from './message.js';
import { readName } from './read-name.js';
import { rdataFromText, rdataToText, typeFromText } from './rdata.js';
import { makeEdeOption } from './edns.js';

const origin = nameFromText('example.com.');
const n = (text: string): Name => nameFromText(text, origin);
const words = (text: string): TextToken[] => text.split(' ').filter((t) => t !== '').map((t) => ({ text: t, quoted: false }));
const rr = (owner: string, type: string, text: string, ttl = 300): ResourceRecord => ({
  name: n(owner), type: typeFromText(type)!, class: 1, ttl, rdata: rdataFromText(typeFromText(type)!, words(text), origin),
});
const header = (over: Partial<Header> = {}): Header => ({
  id: 0x1234, qr: true, opcode: 0, aa: true, tc: false, rd: true, ra: false, z: false, ad: false, cd: false, ...over,
});
const message = (over: Partial<Message> = {}): Message => ({
  header: header(), rcode: 0, questions: [], answers: [], authorities: [], additionals: [], edns: null, ...over,
});
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function assertWireError(fn: () => unknown, code: string, offset?: number): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof WireError, `expected WireError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (offset !== undefined) assert.equal(e.offset, offset, e.message);
    return true;
  });
}

test('decodes a query built by dns-packet, with EDNS and the DO bit', () => {
  const buf = dnsPacket.encode({
    type: 'query', id: 4242, flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type: 'AAAA', name: 'www.Example.com' }],
    additionals: [{
      type: 'OPT', name: '.', udpPayloadSize: 1232, flags: dnsPacket.DNSSEC_OK,
      options: [{ code: 10, data: Buffer.from('0102030405060708', 'hex') }],
    } as unknown as dnsPacket.Answer],
  });
  const m = decodeMessage(buf);
  assert.equal(m.header.id, 4242);
  assert.equal(m.header.rd, true);
  assert.equal(m.header.qr, false);
  assert.equal(m.questions.length, 1);
  assert.equal(nameToText(m.questions[0]!.name), 'www.Example.com.');
  assert.equal(m.questions[0]!.type, 28);
  assert.equal(m.additionals.length, 0, 'OPT is not an additional');
  assert.deepEqual(m.edns && { ...m.edns, options: m.edns.options.map((o) => [o.code, hex(o.data)]) },
    { udpSize: 1232, version: 0, do: true, z: 0, options: [[10, '0102030405060708']] });
});

test('decodes a response built by dns-packet: RDATA equals our text parse of the same values', () => {
  const key = Buffer.from('mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==', 'base64');
  const answers: dnsPacket.Answer[] = [
    { type: 'A', name: 'example.com', ttl: 60, data: '192.0.2.1' },
    { type: 'AAAA', name: 'example.com', ttl: 60, data: '2001:db8::1' },
    { type: 'MX', name: 'example.com', ttl: 60, data: { preference: 10, exchange: 'mail.example.com' } },
    { type: 'NS', name: 'example.com', ttl: 60, data: 'ns1.example.com' },
    { type: 'CNAME', name: 'www.example.com', ttl: 60, data: 'example.com' },
    { type: 'TXT', name: 'example.com', ttl: 60, data: ['v=spf1 -all', 'second'] },
    { type: 'SRV', name: '_sip._tcp.example.com', ttl: 60, data: { priority: 10, weight: 60, port: 5060, target: 'sip.example.com' } },
    { type: 'SOA', name: 'example.com', ttl: 60, data: { mname: 'ns1.example.com', rname: 'hostmaster.example.com', serial: 7, refresh: 3600, retry: 900, expire: 604800, minimum: 300 } },
    { type: 'CAA', name: 'example.com', ttl: 60, data: { flags: 0, tag: 'issue', value: 'ca.example' } },
    { type: 'DS', name: 'example.com', ttl: 60, data: { keyTag: 12345, algorithm: 13, digestType: 2, digest: Buffer.from('abcdef', 'hex') } },
    { type: 'DNSKEY', name: 'example.com', ttl: 60, data: { flags: 257, algorithm: 13, key } },
    { type: 'NSEC', name: 'example.com', ttl: 60, data: { nextDomain: 'a.example.com', rrtypes: ['A', 'MX', 'RRSIG', 'NSEC', 'CAA'] } },
    { type: 'PTR', name: '1.2.0.192.in-addr.arpa', ttl: 60, data: 'example.com' },
    { type: 'DNAME', name: 'd.example.com', ttl: 60, data: 'other.net' },
    { type: 'HINFO', name: 'example.com', ttl: 60, data: { cpu: 'PC', os: 'Linux' } },
    { type: 'RRSIG', name: 'example.com', ttl: 60, data: { typeCovered: 'A', algorithm: 13, labels: 2, originalTTL: 60, expiration: 2000000000, inception: 1700000000, keyTag: 12345, signersName: 'example.com', signature: Buffer.from('test') } },
  ];
  const expected = [
    ['A', '192.0.2.1'], ['AAAA', '2001:db8::1'], ['MX', '10 mail.example.com.'], ['NS', 'ns1.example.com.'],
    ['CNAME', 'example.com.'], ['TXT', '"v=spf1 -all" "second"'], ['SRV', '10 60 5060 sip.example.com.'],
    ['SOA', 'ns1.example.com. hostmaster.example.com. 7 3600 900 604800 300'], ['CAA', '0 issue "ca.example"'],
    ['DS', '12345 13 2 ABCDEF'], ['DNSKEY', `257 3 13 ${key.toString('base64')}`], ['NSEC', 'a.example.com. A MX RRSIG NSEC CAA'],
    ['PTR', 'example.com.'], ['DNAME', 'other.net.'], ['HINFO', '"PC" "Linux"'],
    ['RRSIG', 'A 13 2 60 20330518033320 20231114221320 12345 example.com. dGVzdA=='],
  ];
  const m = decodeMessage(dnsPacket.encode({ type: 'response', id: 1, answers }));
  assert.equal(m.answers.length, expected.length);
  m.answers.forEach((a, i) => {
    const [type, text] = expected[i]!;
    assert.equal(a.type, typeFromText(type!), type);
    assert.equal(rdataToText(a.type, a.rdata), text, type);
    if (!text!.includes('"')) assert.equal(hex(a.rdata), hex(rdataFromText(a.type, words(text!), origin)), type);
  });
});

test('our encoding decodes with dns-packet (independent oracle)', () => {
  const msg = message({
    questions: [{ name: n('www'), type: 15, class: 1 }],
    answers: [rr('www', 'MX', '10 mail'), rr('www', 'MX', '20 mail2.other.net.'), rr('www', 'TXT', 'hello world')],
    authorities: [rr('@', 'NS', 'ns1'), rr('@', 'NS', 'ns2')],
    additionals: [rr('mail', 'A', '192.0.2.1'), rr('mail', 'AAAA', '2001:db8::25'), rr('_s._tcp', 'SRV', '1 2 3 mail')],
    edns: { udpSize: 1232, version: 0, do: true, z: 0, options: [] },
  });
  const p = dnsPacket.decode(Buffer.from(encodeMessage(msg)));
  assert.equal(p.id, 0x1234);
  assert.equal(p.questions?.[0]?.name, 'www.example.com');
  assert.deepEqual(p.answers?.map((a) => 'data' in a ? a.data : null), [
    { preference: 10, exchange: 'mail.example.com' }, { preference: 20, exchange: 'mail2.other.net' },
    [Buffer.from('hello'), Buffer.from('world')],
  ]);
  assert.deepEqual(p.authorities?.map((a) => 'data' in a ? a.data : null), ['ns1.example.com', 'ns2.example.com']);
  const adds = p.additionals ?? [];
  assert.equal(adds.length, 4);
  assert.deepEqual(adds.slice(0, 3).map((a) => 'data' in a ? a.data : null), [
    '192.0.2.1', '2001:db8::25', { priority: 1, weight: 2, port: 3, target: 'mail.example.com' },
  ]);
  const opt = adds[3] as dnsPacket.Answer & { udpPayloadSize?: number; flags?: number };
  assert.equal(opt.type, 'OPT');
  assert.equal(opt.udpPayloadSize, 1232);
  assert.equal((opt.flags ?? 0) & dnsPacket.DNSSEC_OK, dnsPacket.DNSSEC_OK);
});

test('encode then decode gives the same message', () => {
  const msg = message({
    header: header({ ad: true, cd: true, z: false, opcode: 5 }),
    rcode: 0x123 & 0xfff,
    questions: [{ name: n('@'), type: 6, class: 1 }],
    answers: [rr('@', 'SOA', 'ns1 hostmaster 1 2 3 4 5'), rr('a', 'RRSIG', 'A 13 2 300 20360101000000 20251201000000 1 example.com. AA==')],
    authorities: [rr('sub', 'DS', '1 13 2 AB')],
    additionals: [{ name: n('x'), type: 255, class: 255, ttl: 0, rdata: new Uint8Array(0) }],
    edns: { udpSize: 4096, version: 1, do: false, z: 5, options: [makeEdeOption(18, 'not here')] },
  });
  const back = decodeMessage(encodeMessage(msg));
  assert.equal(back.rcode, 0x123);
  assert.deepEqual(back.header, msg.header);
  assert.deepEqual(back.questions, msg.questions);
  for (const s of ['answers', 'authorities', 'additionals'] as const) {
    assert.deepEqual(back[s].map((r) => ({ ...r, rdata: hex(r.rdata) })), msg[s].map((r) => ({ ...r, rdata: hex(r.rdata) })), s);
  }
  assert.deepEqual({ ...back.edns!, options: back.edns!.options.map((o) => hex(o.data)) },
    { ...msg.edns!, options: ['00126e6f742068657265'] });
});

/** Walks every name in an encoded message and returns the pointer offsets seen (pointer position -> target). */
function pointers(buf: Uint8Array): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < buf.length; i++) {
    // Only meaningful for the test messages below, whose data bytes never look like 0xc0xx.
    if ((buf[i]! & 0xc0) === 0xc0 && buf[i]! !== 0xff) out.push([i, ((buf[i]! & 0x3f) << 8) | buf[i + 1]!]);
  }
  return out;
}

test('compression shrinks the message, points only backward, and keeps the bytes written first', () => {
  const msg = message({
    questions: [{ name: n('WWW.Example.COM.'), type: 15, class: 1 }],
    answers: [rr('www', 'MX', '10 mail'), rr('www', 'MX', '20 MAIL'), rr('www', 'CNAME', 'target.example.com.')],
    authorities: [rr('@', 'NS', 'ns1'), rr('@', 'NS', 'ns2')],
  });
  const enc = encodeMessage(msg);
  let uncompressed = 12 + msg.questions[0]!.name.length + 4;
  for (const r of [...msg.answers, ...msg.authorities]) uncompressed += r.name.length + 10 + r.rdata.length;
  assert.ok(enc.length < uncompressed * 0.6, `${enc.length} vs ${uncompressed}`);
  for (const [at, target] of pointers(enc)) assert.ok(target < at && target >= 12, `pointer at ${at} to ${target}`);
  const back = decodeMessage(enc);
  // Compression matches byte for byte, so every name keeps the case it was given,
  // as BIND answers by default; and nothing points into the (fenced) question.
  assert.equal(nameToText(back.answers[0]!.name), 'www.example.com.');
  assert.equal(rdataToText(15, back.answers[0]!.rdata), '10 mail.example.com.');
  assert.equal(rdataToText(15, back.answers[1]!.rdata), '20 MAIL.example.com.');
  assert.equal(rdataToText(5, back.answers[2]!.rdata), 'target.example.com.');
  const questionEnd = 12 + msg.questions[0]!.name.length + 4;
  for (const [at, target] of pointers(enc)) assert.ok(target >= questionEnd, `pointer at ${at} into the question (${target})`);
});

test('with the question fenced off, the bytes after it do not depend on its spelling', () => {
  const answers = [rr('www', 'MX', '10 mail'), rr('www', 'CNAME', 'target.example.com.')];
  const lower = encodeMessage(message({ questions: [{ name: n('www.example.com.'), type: 15, class: 1 }], answers }));
  const mixed = encodeMessage(message({ questions: [{ name: n('WwW.eXaMpLe.CoM.'), type: 15, class: 1 }], answers }));
  const questionEnd = 12 + n('www.example.com.').length + 4;
  assert.deepEqual(Buffer.from(lower.subarray(questionEnd)), Buffer.from(mixed.subarray(questionEnd)));
  // Without the fence, names may point at the question when it is spelled the same.
  const unfenced = encodeMessage(message({ questions: [{ name: n('www.example.com.'), type: 15, class: 1 }], answers }), 65535, { fenceQuestion: false });
  assert.ok(unfenced.length < lower.length, `${unfenced.length} < ${lower.length}`);
});

test('names in RDATA of types other than RFC 1035 ones are never compressed nor used as targets', () => {
  const msg = message({
    questions: [{ name: n('example.com.'), type: 255, class: 1 }],
    answers: [
      rr('@', 'SRV', '0 0 1 sip.example.com.'),
      rr('@', 'DNAME', 'example.com.'),
      rr('@', 'RRSIG', 'A 13 2 300 20360101000000 20251201000000 1 example.com. AA=='),
      rr('@', 'NSEC', 'a.example.com. A'),
      rr('@', 'HTTPS', '1 svc.example.com. alpn=h2'),
      rr('@', 'NS', 'sip.example.com.'),
    ],
  });
  // Unfenced, so that the NS target can point at the question's example.com.
  const enc = encodeMessage(msg, 65535, { fenceQuestion: false });
  const body = Buffer.from(enc).toString('latin1');
  const wireName = (t: string): string => nameFromText(t);
  // Each uncompressed name appears whole in the message.
  assert.ok(body.includes('\x00\x00\x00\x00\x00\x01' + wireName('sip.example.com.')), 'SRV target written whole');
  assert.ok(body.includes(wireName('a.example.com.') + '\x00\x01\x40'), 'NSEC next name written whole');
  assert.ok(body.includes('\x00\x01' + wireName('svc.example.com.')), 'SVCB target written whole');
  // The NS target may be compressed, but not against the SRV target (not a compression target).
  const nsStart = body.lastIndexOf('\x00\x02\x00\x01');
  const rdata = enc.subarray(nsStart + 10);
  assert.equal(rdata[0], 3, 'NS target starts with its own "sip" label');
  assert.equal(rdata[4]! & 0xc0, 0xc0, 'then points at example.com');
  const back = decodeMessage(enc);
  assert.deepEqual(back.answers.map((a) => hex(a.rdata)), msg.answers.map((a) => hex(a.rdata)));
});

test('truncation: answers that do not fit set TC and drop the rest, OPT kept', () => {
  const answers = Array.from({ length: 40 }, (_, i) => rr('www', 'A', `192.0.2.${i}`));
  const msg = message({
    questions: [{ name: n('www'), type: 1, class: 1 }], answers,
    authorities: [rr('@', 'NS', 'ns1')], additionals: [rr('ns1', 'A', '192.0.2.53')],
    edns: { udpSize: 512, version: 0, do: false, z: 0, options: [makeEdeOption(0, 'x')] },
  });
  const enc = encodeMessage(msg, 512);
  assert.ok(enc.length <= 512);
  const back = decodeMessage(enc);
  assert.equal(back.header.tc, true);
  assert.ok(back.answers.length > 0 && back.answers.length < 40);
  assert.equal(back.authorities.length, 0);
  assert.equal(back.additionals.length, 0);
  assert.notEqual(back.edns, null);
  assert.equal(back.edns!.options.length, 1);
  // Exactly as many as fit: one more would not.
  const oneMore = encodeMessage({ ...msg, answers: answers.slice(0, back.answers.length + 1) }, 65535);
  assert.ok(oneMore.length > 512);
});

test('truncation: additional records that do not fit are left out whole, without TC', () => {
  const glue = Array.from({ length: 30 }, (_, i) => rr('ns1', 'AAAA', `2001:db8::${i + 1}`));
  const msg = message({
    questions: [{ name: n('@'), type: 2, class: 1 }],
    answers: [rr('@', 'NS', 'ns1'), rr('@', 'NS', 'ns2')],
    additionals: [rr('ns2', 'A', '192.0.2.2'), ...glue],
  });
  const back = decodeMessage(encodeMessage(msg, 512));
  assert.equal(back.header.tc, false);
  assert.equal(back.answers.length, 2);
  assert.equal(back.additionals.length, 1, 'the AAAA RRset that does not fit is dropped whole');
  assert.equal(back.additionals[0]!.type, 1);
});

test('TOO_LARGE only when header, question and OPT alone exceed the limit', () => {
  const msg = message({
    questions: [{ name: n('a-rather-long-label-for-the-test'), type: 1, class: 1 }],
    edns: { udpSize: 512, version: 0, do: false, z: 0, options: [{ code: 12, data: new Uint8Array(30) }] },
  });
  assertWireError(() => encodeMessage(msg, 60), 'TOO_LARGE');
  assert.ok(encodeMessage(msg, 120).length <= 120);
  assertWireError(() => encodeMessage(message({ rcode: 16 })), 'BAD_OPT');
});

test('peekHeader reads id, opcode and flags; null below 12 bytes', () => {
  assert.equal(peekHeader(new Uint8Array(11)), null);
  const p = peekHeader(Uint8Array.from([0xab, 0xcd, 0x28, 0x10, 0, 0, 0, 0, 0, 0, 0, 0]));
  assert.deepEqual(p, { id: 0xabcd, opcode: 5, qr: false, flagsWord: 0x2810 });
});

test('readName follows backward pointers and reports the end after the first pointer', () => {
  // 12 header bytes, then "example.com" at 12, then "www" + pointer to 12 at 25.
  const buf = Uint8Array.from([...new Uint8Array(12), 7, ...Buffer.from('example'), 3, ...Buffer.from('com'), 0, 3, ...Buffer.from('www'), 0xc0, 12]);
  const { name, end } = readName(buf, 25);
  assert.equal(nameToText(name), 'www.example.com.');
  assert.equal(end, buf.length);
});

const HEADER_1Q = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
const q = (nameBytes: number[]): Uint8Array => Uint8Array.from([...HEADER_1Q, ...nameBytes, 0, 1, 0, 1]);

test('each WireError code is provoked by a hand-made buffer', () => {
  assertWireError(() => decodeMessage(new Uint8Array(5)), 'TRUNCATED', 0);
  assertWireError(() => decodeMessage(Uint8Array.from([...HEADER_1Q, 3, 0x61])), 'TRUNCATED');
  assertWireError(() => decodeMessage(Uint8Array.from([...HEADER_1Q, 0, 0, 1])), 'TRUNCATED', 13);
  assertWireError(() => decodeMessage(Uint8Array.from([...q([0]), 9])), 'TRAILING_BYTES', 17);
  assertWireError(() => decodeMessage(q([0xc0, 12])), 'BAD_POINTER', 12); // to itself
  assertWireError(() => decodeMessage(q([0xc0, 14, 0])), 'BAD_POINTER', 12); // forward
  assertWireError(() => decodeMessage(q([1, 0x61, 0xc0, 12])), 'POINTER_LOOP', 14); // back into its own labels
  assertWireError(() => decodeMessage(q([0x40, 0])), 'BAD_LABEL_TYPE', 12);
  assertWireError(() => decodeMessage(q([0x80, 0])), 'BAD_LABEL_TYPE', 12);
  assertWireError(() => nameFromText('a'.repeat(64) + '.'), 'LABEL_TOO_LONG');
  const longName: number[] = [];
  for (let i = 0; i < 5; i++) longName.push(63, ...new Array<number>(63).fill(0x61));
  assertWireError(() => decodeMessage(q([...longName, 0])), 'NAME_TOO_LONG');
  // Pointers to names near 255 bytes may not push them over.
  const answerA = (rdata: number[], type = 1): Uint8Array =>
    Uint8Array.from([0, 1, 0x80, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, type >> 8, type & 0xff, 0, 1, 0, 0, 0, 60, 0, rdata.length, ...rdata]);
  assertWireError(() => decodeMessage(answerA([192, 0, 2])), 'BAD_RDLENGTH');
  assertWireError(() => decodeMessage(answerA([192, 0, 2, 1, 1])), 'BAD_RDLENGTH');
  const mxRunsOut = Uint8Array.from([...answerA([0, 10, 2, 0x61], 15), 0x62, 0]);
  assertWireError(() => decodeMessage(mxRunsOut), 'BAD_RDLENGTH'); // MX exchange runs past its rdata
  assertWireError(() => decodeMessage(answerA([0, 10, 1, 0x61, 0, 9], 15)), 'BAD_RDLENGTH'); // MX with extra byte
  assertWireError(() => decodeMessage(answerA([5, 0x61], 16)), 'BAD_RDLENGTH'); // TXT string runs past
  assertWireError(() => decodeMessage(answerA([0, 0, 0, 1, 0], 47)), 'BAD_RDATA'); // NSEC bitmap window len 0
  assertWireError(() => decodeMessage(answerA([0, 1, 0xc0, 12, 0, 0, 0, 0], 47)), 'BAD_RDATA'); // compressed NSEC next name
  assertWireError(() => decodeMessage(answerA([192, 0, 2, 1]).subarray(0, -1)), 'TRUNCATED', 21); // rdlength beyond the buffer
  // OPT problems.
  const opt = (owner: number[], rdata: number[] = []): number[] => [...owner, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, rdata.length, ...rdata];
  const withAdditional = (count: number, records: number[], section = 11): Uint8Array => {
    const h = [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    h[section] = count;
    return Uint8Array.from([...h, ...records]);
  };
  assert.notEqual(decodeMessage(withAdditional(1, opt([0]))).edns, null);
  assertWireError(() => decodeMessage(withAdditional(2, [...opt([0]), ...opt([0])])), 'BAD_OPT', 23);
  assertWireError(() => decodeMessage(withAdditional(1, opt([1, 0x61, 0]))), 'BAD_OPT', 12);
  assertWireError(() => decodeMessage(withAdditional(1, opt([0]), 7)), 'BAD_OPT', 12);
  assertWireError(() => decodeMessage(withAdditional(1, opt([0], [0, 10, 0, 9, 1]))), 'BAD_OPT', 23);
  assertWireError(() => decodeMessage(withAdditional(1, opt([0], [0, 10, 0]))), 'BAD_OPT', 23);
  // The full rcode joins the header's 4 bits with OPT's upper 8.
  const ext = withAdditional(1, [0, 0, 41, 0x10, 0, 1, 0, 0, 0, 0, 0]);
  ext[3] = 0x06;
  assert.equal(decodeMessage(ext).rcode, 0x16);
});

test('empty RDATA is accepted only for class ANY and NONE (RFC 2136 updates)', () => {
  const rec = (rrclass: number): Uint8Array =>
    Uint8Array.from([0x28, 0, 0x28, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, rrclass >> 8, rrclass & 0xff, 0, 0, 0, 0, 0, 0]);
  assert.equal(decodeMessage(rec(255)).authorities[0]!.rdata.length, 0);
  assert.equal(decodeMessage(rec(254)).authorities[0]!.rdata.length, 0);
  assertWireError(() => decodeMessage(rec(1)), 'BAD_RDLENGTH');
});

test('decoded RDATA is a copy, not a view of the input buffer', () => {
  const buf = Buffer.from(encodeMessage(message({ answers: [rr('@', 'A', '192.0.2.1'), rr('@', 'TYPE65534', '\\# 2 abcd')] })));
  const m = decodeMessage(buf);
  buf.fill(0);
  assert.equal(rdataToText(1, m.answers[0]!.rdata), '192.0.2.1');
  assert.equal(hex(m.answers[1]!.rdata), 'abcd');
});

test('compression of many random names agrees with dns-packet, also past the 16 KiB pointer limit', () => {
  let x = 12345;
  const rnd = (k: number): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % k;
  };
  const labels = ['a', 'B', 'www', 'WWW', 'mail', 'Example', 'example', 'com', 'NET', 'x'.repeat(63)];
  const randomName = (): string => {
    const parts: string[] = [];
    for (let i = 0, n = 1 + rnd(4); i < n; i++) parts.push(rnd(3) === 0 ? `u${rnd(100000)}` : labels[rnd(labels.length)]!);
    return parts.join('.') + '.';
  };
  const answers: ResourceRecord[] = [];
  for (let i = 0; i < 1500; i++) answers.push(rr(randomName(), 'CNAME', randomName()));
  const msg = message({ questions: [{ name: n(randomName()), type: 5, class: 1 }], answers });
  const enc = encodeMessage(msg);
  assert.ok(enc.length > 0x4000, 'the message is large enough to test the pointer limit');
  const ours = decodeMessage(enc);
  const theirs = dnsPacket.decode(Buffer.from(enc));
  assert.equal(ours.answers.length, 1500);
  ours.answers.forEach((a, i) => {
    const original = answers[i]!;
    assert.equal(nameToText(a.name).toLowerCase(), nameToText(original.name).toLowerCase());
    assert.equal(rdataToText(5, a.rdata).toLowerCase(), rdataToText(5, original.rdata).toLowerCase());
    const p = theirs.answers![i]! as { name: string; data: string };
    assert.equal(p.name.toLowerCase() + '.', nameToText(a.name).toLowerCase());
    assert.equal(p.data + '.', rdataToText(5, a.rdata));
  });
});

test('a TSIG record stays last, after OPT, and survives truncation (RFC 8945 5.1)', () => {
  const tsig: ResourceRecord = { name: n('key.'), type: 250, class: 255, ttl: 0, rdata: Uint8Array.from([0, 1, 2, 3]) };
  const answers = Array.from({ length: 40 }, (_, i) => rr('www', 'A', `192.0.2.${i}`));
  const msg = message({
    questions: [{ name: n('www'), type: 1, class: 1 }], answers, additionals: [rr('ns1', 'A', '192.0.2.53'), tsig],
    edns: { udpSize: 512, version: 0, do: false, z: 0, options: [] },
  });
  for (const size of [65535, 512]) {
    const enc = encodeMessage(msg, size);
    assert.ok(enc.length <= size);
    const back = decodeMessage(enc);
    assert.equal(back.additionals[back.additionals.length - 1]!.type, 250);
    assert.equal(hex(back.additionals[back.additionals.length - 1]!.rdata), '00010203');
    const p = dnsPacket.decode(Buffer.from(enc));
    assert.deepEqual(p.additionals!.slice(-2).map((a) => a.type), ['OPT', 'TSIG']);
  }
});
