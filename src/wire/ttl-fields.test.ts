import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RRType, encodeMessage, nameFromText, rdataFromText, ttlFieldsOf, type Message } from './index.js';

const NAME = nameFromText('www.example.org.');
const a = (ttl: number) => ({ name: NAME, type: RRType.A, class: 1, ttl, rdata: rdataFromText(RRType.A, [{ text: '192.0.2.1', quoted: false }], NAME) });

function message(edns: boolean): Message {
  return {
    header: { id: 1, qr: true, opcode: 0, aa: false, tc: false, rd: true, ra: true, z: false, ad: false, cd: false },
    rcode: 0, questions: [{ name: NAME, type: RRType.A, class: 1 }],
    answers: [a(300), a(60)], authorities: [], additionals: [a(120)],
    edns: edns ? { udpSize: 1232, version: 0, do: true, z: 0, options: [] } : null,
  };
}

function ttlAt(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

test('finds every record\'s TTL field and the lowest TTL, OPT skipped', () => {
  for (const edns of [false, true]) {
    const bytes = encodeMessage(message(edns));
    const fields = ttlFieldsOf(bytes)!;
    assert.deepEqual(fields.offsets.map((o) => ttlAt(bytes, o)), [300, 60, 120], `edns ${edns}`);
    assert.equal(fields.minTtl, 60);
    assert.equal(fields.questionEnd, 12 + 17 + 4, 'www.example.org. is 17 bytes');
    assert.equal(fields.additionalStart, fields.offsets[2]! - 4 - 2, 'the third record, a compressed name, starts the additional section');
  }
});

test('a message with no records has no TTLs and a lowest TTL of 0', () => {
  const bytes = encodeMessage({ ...message(true), answers: [], additionals: [] });
  assert.deepEqual(ttlFieldsOf(bytes), { offsets: [], minTtl: 0, questionEnd: 33, additionalStart: 33 });
});

test('bytes that do not walk to the end exactly give null', () => {
  const bytes = encodeMessage(message(false));
  assert.equal(ttlFieldsOf(bytes.subarray(0, bytes.length - 1)), null, 'cut short');
  assert.equal(ttlFieldsOf(new Uint8Array([...bytes, 0])), null, 'a trailing byte');
  assert.equal(ttlFieldsOf(bytes.subarray(0, 11)), null, 'shorter than a header');
});
