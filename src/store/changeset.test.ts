import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nameFromText, nameToText } from '../wire/index.js';
import type { RecordData } from '../zone/index.js';
import { decodeChangeset, encodeChangeset } from './changeset.js';

function record(name: string, type: number, ttl: number, rdata: number[]): RecordData {
  return { name: nameFromText(name), type, ttl, rdata: new Uint8Array(rdata) };
}

test('encodes a changeset as the JSON of [name, type, ttl, base64] arrays, and reads it back', () => {
  const deleted = [record('example.com.', 6, 3600, [1, 2, 3]), record('www.example.com.', 1, 300, [192, 0, 2, 1])];
  const added = [record('www.example.com.', 1, 300, [192, 0, 2, 2]), record('www.example.com.', 1, 300, [192, 0, 2, 3]), record('Mail.example.com.', 16, 0, [])];
  const json = encodeChangeset({ deleted, added });
  const plain = (r: RecordData): unknown[] => [nameToText(r.name), r.type, r.ttl, Buffer.from(r.rdata).toString('base64')];
  assert.equal(json, JSON.stringify({ deleted: deleted.map(plain), added: added.map(plain) }));
  assert.deepEqual(decodeChangeset(json), { deleted, added });
});

test('owners with quotes, backslashes and odd bytes are escaped as JSON escapes them', () => {
  const odd = [record('a\\"b.example.com.', 1, 1, [1, 2, 3, 4]), record('\\\\x\\009.example.com.', 16, 2, [0]), record('.', 2, 3, [0])];
  const json = encodeChangeset({ deleted: [], added: odd });
  assert.equal(json, JSON.stringify({ deleted: [], added: odd.map((r) => [nameToText(r.name), r.type, r.ttl, Buffer.from(r.rdata).toString('base64')]) }));
  assert.deepEqual(decodeChangeset(json).added.map((r) => nameToText(r.name)), odd.map((r) => nameToText(r.name)));
  assert.equal(encodeChangeset({ deleted: [], added: [] }), '{"deleted":[],"added":[]}');
});

test('RDATA of every length up to 64 bytes, and views into larger buffers, encode as Buffer encodes them', () => {
  const backing = new Uint8Array(200).map((_, i) => (i * 37 + 11) & 255);
  for (let length = 0; length <= 64; length++) {
    for (const offset of [0, 3]) {
      const rdata = backing.subarray(offset, offset + length);
      const json = encodeChangeset({ deleted: [], added: [{ name: nameFromText('x.'), type: 1, ttl: 1, rdata }] });
      assert.equal(json, `{"deleted":[],"added":[["x.",1,1,"${Buffer.from(rdata).toString('base64')}"]]}`, `length ${length}, offset ${offset}`);
    }
  }
});
