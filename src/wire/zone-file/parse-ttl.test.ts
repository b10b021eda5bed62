import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTtl } from './parse-ttl.js';
import { WireError } from '../types.js';

const good: [string, number][] = [
  ['0', 0], ['3600', 3600], ['1h', 3600], ['1H30M', 5400], ['1h30m', 5400], ['2w', 1209600], ['1d', 86400],
  ['1w2d3h4m5s', 604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5], ['90s', 90], ['2147483647', 2147483647],
  ['007', 7],
];
for (const [text, want] of good) {
  test(`parseTtl("${text}") = ${want}`, () => assert.equal(parseTtl(text), want));
}

const bad: [string, string][] = [
  ['5x', 'TTL "5x" is not a number or duration'],
  ['', 'TTL "" is empty'],
  ['h', 'TTL "h" is not a number or duration'],
  ['1h30', 'TTL "1h30" is not a number or duration'],
  ['-1', 'TTL "-1" is not a number or duration'],
  ['1.5h', 'TTL "1.5h" is not a number or duration'],
  ['2147483648', 'TTL "2147483648" exceeds 2147483647'],
  ['3551w', 'TTL "3551w" exceeds 2147483647'],
  ['99999999999999999999', 'TTL "99999999999999999999" exceeds 2147483647'],
];
for (const [text, want] of bad) {
  test(`parseTtl("${text}") throws`, () => {
    assert.throws(() => parseTtl(text), (err: unknown) => err instanceof WireError && err.code === 'BAD_TEXT' && err.message === want);
  });
}
