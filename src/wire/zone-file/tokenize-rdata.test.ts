import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenizeRdata } from './tokenize-rdata.js';
import { WireError } from '../types.js';

test('tokenizeRdata: the zone-file rules for one record', () => {
  assert.deepEqual(tokenizeRdata('10 mail ; the MX'), [{ text: '10', quoted: false }, { text: 'mail', quoted: false }]);
  assert.deepEqual(tokenizeRdata('"a b" c\\"d'), [{ text: 'a b', quoted: true }, { text: 'c\\"d', quoted: false }]);
  assert.deepEqual(tokenizeRdata('( 1 2\n 3 )'), ['1', '2', '3'].map((text) => ({ text, quoted: false })));
  assert.deepEqual(tokenizeRdata('\\# 2 abcd'), ['\\#', '2', 'abcd'].map((text) => ({ text, quoted: false })));
  assert.deepEqual(tokenizeRdata('   '), []);
});

const bad: [string, string][] = [
  ['"abc', 'unterminated quoted string at column 1'],
  ['1 ( 2', 'unbalanced parenthesis opened at line 1'],
  ['1 )', 'unbalanced parenthesis ")" at column 3'],
  ['1\n2', 'rdata continues on line 2 outside parentheses at "2"'],
];
for (const [text, want] of bad) {
  test(`tokenizeRdata(${JSON.stringify(text)}) throws ${want}`, () => {
    assert.throws(() => tokenizeRdata(text), (err: unknown) => err instanceof WireError && err.code === 'BAD_TEXT' && err.message === want);
  });
}
