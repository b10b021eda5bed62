import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WireError } from './types.js';
import { EdeCode, EdnsOptionCode, findEdnsOption, makeEdeOption, parseEdeOption } from './edns.js';

test('EDE options carry the info code and UTF-8 text (RFC 8914 2)', () => {
  const opt = makeEdeOption(EdeCode.NOT_AUTHORITATIVE, 'zone « x » not here');
  assert.equal(opt.code, EdnsOptionCode.EDE);
  assert.deepEqual([...opt.data.subarray(0, 2)], [0, 20]);
  assert.deepEqual(parseEdeOption(opt), { infoCode: 20, text: 'zone « x » not here' });
  assert.deepEqual(parseEdeOption(makeEdeOption(EdeCode.PROHIBITED)), { infoCode: 18, text: '' });
});

test('parseEdeOption refuses other options and short data', () => {
  assert.throws(() => parseEdeOption({ code: 10, data: new Uint8Array(8) }), WireError);
  assert.throws(() => parseEdeOption({ code: 15, data: new Uint8Array(1) }), (e: unknown) => e instanceof WireError && e.code === 'BAD_OPT');
});

test('codes match the IANA registries', () => {
  assert.deepEqual(
    [EdnsOptionCode.NSID, EdnsOptionCode.CLIENT_SUBNET, EdnsOptionCode.COOKIE, EdnsOptionCode.TCP_KEEPALIVE, EdnsOptionCode.PADDING],
    [3, 8, 10, 11, 12],
  );
  assert.deepEqual(
    [EdeCode.OTHER, EdeCode.STALE_ANSWER, EdeCode.DNSSEC_BOGUS, EdeCode.NOT_SUPPORTED, EdeCode.NO_REACHABLE_AUTHORITY, EdeCode.NETWORK_ERROR],
    [0, 3, 6, 21, 22, 23],
  );
});

test('findEdnsOption returns the first option with the code', () => {
  const edns = { udpSize: 1232, version: 0, do: false, z: 0, options: [{ code: 10, data: new Uint8Array(8) }, makeEdeOption(0, 'a'), makeEdeOption(1, 'b')] };
  assert.equal(parseEdeOption(findEdnsOption(edns, 15)!).text, 'a');
  assert.equal(findEdnsOption(edns, 3), undefined);
  assert.equal(findEdnsOption(null, 15), undefined);
});
