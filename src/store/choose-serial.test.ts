import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseSerial, serialIsGreater, serialNext } from './index.js';

test('RFC 1982: greater means ahead by less than 2^31, across the wrap', () => {
  assert.equal(serialIsGreater(2, 1), true);
  assert.equal(serialIsGreater(1, 2), false);
  assert.equal(serialIsGreater(1, 1), false);
  assert.equal(serialIsGreater(0, 0xffffffff), true);
  assert.equal(serialIsGreater(5, 0xfffffff0), true);
  assert.equal(serialIsGreater(0xfffffff0, 5), false);
  assert.equal(serialIsGreater(2 ** 31 - 1, 0), true);
  // Exactly 2^31 apart is undefined in RFC 1982 3.2; we never call it greater.
  assert.equal(serialIsGreater(2 ** 31, 0), false);
  assert.equal(serialIsGreater(0, 2 ** 31), false);
});

test('the next serial wraps to 0 after 2^32 - 1', () => {
  assert.equal(serialNext(41), 42);
  assert.equal(serialNext(0xffffffff), 0);
});

test('a new zone keeps the file serial', () => {
  assert.deepEqual(chooseSerial(null, 7), { serial: 7, bumped: false });
});

test('a greater file serial is kept, an equal or smaller one becomes current + 1', () => {
  assert.deepEqual(chooseSerial(2024010100, 2024010101), { serial: 2024010101, bumped: false });
  assert.deepEqual(chooseSerial(2024010100, 2024010100), { serial: 2024010101, bumped: true });
  assert.deepEqual(chooseSerial(2024010100, 1), { serial: 2024010101, bumped: true });
  assert.deepEqual(chooseSerial(0xffffffff, 0xffffffff), { serial: 0, bumped: true });
  assert.deepEqual(chooseSerial(0xfffffff0, 3), { serial: 3, bumped: false });
});
