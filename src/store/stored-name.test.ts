import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nameFromText, nameToText } from '../wire/index.js';
import { storedNameToWire } from './index.js';

test('stored owner names come back as the same wire names, escapes included', () => {
  const texts = [
    '.', 'com.', 'www.example.com.', 'WWW.Example.COM.', '*.apps.example.com.', '_sip._tcp.example.com.',
    'a\\.b.example.com.', 'sp\\032ace.example.com.', '\\200\\255.example.com.', `${'x'.repeat(63)}.example.com.`,
  ];
  for (const text of texts) {
    const wire = nameFromText(text);
    assert.equal(storedNameToWire(text), wire, text);
    assert.equal(storedNameToWire(nameToText(wire)), wire, `round trip of ${text}`);
  }
});

test('a label longer than 63 bytes is refused as the parser refuses it', () => {
  assert.throws(() => storedNameToWire(`${'x'.repeat(64)}.example.com.`), /label of 64 bytes/);
  assert.throws(() => storedNameToWire('a..b.'), /empty label/);
});
