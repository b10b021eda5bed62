import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RRType, rdataFromText, tokenizeRdata } from '../wire/index.js';
import { parseRRsetChange, parseRecords } from './parse-rrset-change.js';
import { parseZoneName } from './parse-zone-name.js';
import { ServiceError } from './types.js';

const zone = parseZoneName('example.com.');

test('A records read as the zone-file rules read them, leading zeros, spaces and comments included', () => {
  const texts = ['10.2.0.1', '0.0.0.0', '255.255.255.255', '010.002.000.001', '1.2.3.4 ', ' 1.2.3.4', '1.2.3.4 ; note', '( 1.2.3.4 )', '192.0.2.123'];
  for (const text of texts) {
    assert.deepEqual(parseRecords([text], RRType.A, zone), [rdataFromText(RRType.A, tokenizeRdata(text), zone.origin)], text);
  }
});

test('malformed A records are refused with the zone-file reason, naming the record', () => {
  const texts = ['256.1.1.1', '1.2.3', '1.2.3.4.5', '1..2.3', '1.2.3.4.', '0001.2.3.4', '1.2.3.-4', '+1.2.3.4', 'a.b.c.d', '1.2.3.4 5.6.7.8', '', '1.2.3.４'];
  for (const text of texts) {
    let general: unknown;
    try {
      rdataFromText(RRType.A, tokenizeRdata(text), zone.origin);
    } catch (err) {
      general = err;
    }
    assert.ok(general instanceof Error, `the zone-file path refuses ${JSON.stringify(text)}`);
    assert.throws(() => parseRecords(['10.0.0.1', text], RRType.A, zone, 'changes[3].records'), (err: unknown) => {
      assert.ok(err instanceof ServiceError);
      assert.equal(err.code, 'INVALID_ARGUMENT');
      assert.equal(err.field, 'changes[3].records[1]');
      assert.equal(err.message, `record "${text}" is not valid A rdata: ${(general as Error).message}`);
      return true;
    }, text);
  }
});

test('a change in a batch names its fields by position', () => {
  assert.throws(() => parseRRsetChange({ op: 'replace', name: 'www', type: 'A', ttl: 2 ** 31, records: ['10.0.0.1'] }, zone, 'changes[3].'),
    { code: 'INVALID_ARGUMENT', field: 'changes[3].ttl', message: 'changes[3].ttl must be <= 2147483647' });
  assert.throws(() => parseRRsetChange({ op: 'add', name: 'www', type: 'A', ttl: 1, records: ['10.0.0.300'] }, zone, 'changes[0].'),
    { code: 'INVALID_ARGUMENT', field: 'changes[0].records[0]' });
  const edit = parseRRsetChange({ op: 'replace', name: 'www', type: 'A', ttl: 300, records: ['192.0.2.1', '192.0.2.2'] }, zone, 'changes[1].');
  assert.deepEqual(edit.rdatas, [new Uint8Array([192, 0, 2, 1]), new Uint8Array([192, 0, 2, 2])]);
  assert.equal(edit.field, 'changes[1]');
});
