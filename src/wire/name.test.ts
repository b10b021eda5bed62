import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WireError, type Name } from './types.js';
import {
  ROOT_NAME, nameCompareCanonical, nameConcat, nameEquals, nameFromLabels, nameFromText, nameIsAtOrBelow, nameIsWildcard,
  nameLabelCount, nameLabels, nameLower, nameParent, nameReplaceSuffix, nameSuffixOffsets, nameToText, nameToTextRelative,
  nameWildcard,
} from './name.js';

const t = (text: string): Name => nameFromText(text);

test('text to wire form and back, with escapes', () => {
  assert.equal(t('www.Example.com.'), '\x03www\x07Example\x03com\x00');
  assert.equal(t('.'), ROOT_NAME);
  assert.equal(nameToText(ROOT_NAME), '.');
  assert.equal(t('a\\.b.c.'), '\x03a.b\x01c\x00');
  assert.equal(t('\\065\\032x.'), '\x03A x\x00');
  assert.equal(nameToText(t('a\\.b.c.')), 'a\\.b.c.');
  assert.equal(nameToText(t('\\000\\255\\"\\;\\(.')), '\\000\\255\\"\\;\\(.');
  for (const text of ['a\\.b.c.', '\\@\\$x.', 'a\\032b.', 'x\\\\y.']) assert.equal(nameToText(t(text)), text);
});

test('relative names, "@" and the origin', () => {
  const origin = t('example.com.');
  assert.equal(nameFromText('www', origin), t('www.example.com.'));
  assert.equal(nameFromText('@', origin), origin);
  assert.throws(() => nameFromText('www'), WireError);
  assert.equal(nameToTextRelative(t('a.b.example.com.'), origin), 'a.b');
  assert.equal(nameToTextRelative(t('Example.COM.'), origin), '@');
  assert.equal(nameToTextRelative(t('other.net.'), origin), 'other.net.');
});

test('limits and malformed text', () => {
  const code = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      if (e instanceof WireError) return e.code;
      throw e;
    }
    return 'none';
  };
  assert.equal(code(() => t('a'.repeat(63) + '.')), 'none');
  assert.equal(code(() => t('a'.repeat(64) + '.')), 'LABEL_TOO_LONG');
  const label63 = 'a'.repeat(63);
  assert.equal(code(() => t(`${label63}.${label63}.${label63}.${'a'.repeat(61)}.`)), 'none'); // 255 bytes
  assert.equal(code(() => t(`${label63}.${label63}.${label63}.${'a'.repeat(62)}.`)), 'NAME_TOO_LONG');
  assert.equal(code(() => t('a..b.')), 'BAD_TEXT');
  assert.equal(code(() => t('a\\')), 'BAD_TEXT');
  assert.equal(code(() => t('a\\25.')), 'BAD_TEXT');
  assert.equal(code(() => t('a\\256.')), 'BAD_TEXT');
  assert.equal(code(() => t('€.')), 'BAD_TEXT');
  assert.equal(code(() => t('\\€.')), 'BAD_TEXT');
  assert.equal(code(() => nameFromLabels(['a', ''])), 'BAD_TEXT');
  assert.equal(code(() => nameConcat(t(`${label63}.${label63}.`), t(`${label63}.${label63}.`))), 'NAME_TOO_LONG');
});

test('label walking', () => {
  const n = t('a.bb.ccc.');
  assert.deepEqual(nameLabels(n), ['a', 'bb', 'ccc']);
  assert.equal(nameLabelCount(n), 3);
  assert.equal(nameLabelCount(ROOT_NAME), 0);
  assert.equal(nameParent(n), t('bb.ccc.'));
  assert.equal(nameParent(ROOT_NAME), null);
  assert.deepEqual(nameSuffixOffsets(n).map((o) => nameToText(n.slice(o) as Name)), ['a.bb.ccc.', 'bb.ccc.', 'ccc.', '.']);
  assert.equal(nameFromLabels(['a', 'bb', 'ccc']), n);
  assert.equal(nameWildcard(t('x.')), t('*.x.'));
  assert.ok(nameIsWildcard(t('*.x.')));
  assert.ok(!nameIsWildcard(t('\\*x.x.')));
});

test('case-insensitive comparison is ASCII only (RFC 4343)', () => {
  assert.equal(nameLower(t('WwW.ExAmple.COM.')), t('www.example.com.'));
  assert.equal(nameLower(t('\\192.')), t('\\192.'), 'latin1 letters are not folded');
  assert.ok(nameEquals(t('A.b.'), t('a.B.')));
  assert.ok(!nameEquals(t('\\192.'), t('\\224.')));
  assert.ok(nameIsAtOrBelow(t('www.Example.com.'), t('example.COM.')));
  assert.ok(nameIsAtOrBelow(t('example.com.'), t('example.com.')));
  assert.ok(nameIsAtOrBelow(t('example.com.'), ROOT_NAME));
  assert.ok(!nameIsAtOrBelow(t('xexample.com.'), t('example.com.')));
  assert.ok(!nameIsAtOrBelow(t('com.'), t('example.com.')));
  assert.equal(nameReplaceSuffix(t('a.b.old.'), t('old.'), t('new.example.')), t('a.b.new.example.'));
});

test('canonical order (RFC 4034 6.1 example)', () => {
  const sorted = ['example.', 'a.example.', 'yljkjljk.a.example.', 'Z.a.example.', 'zABC.a.EXAMPLE.', 'z.example.', '\\001.z.example.', '*.z.example.', '\\200.z.example.'];
  const shuffled = [...sorted].reverse().map(t);
  shuffled.sort(nameCompareCanonical);
  assert.deepEqual(shuffled.map(nameToText), sorted.map((s) => nameToText(t(s))));
});
