import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nameFromText, type Name } from '../wire/index.js';
import { NodeIndex, hashName } from './node-index.js';

test('holds, replaces and finds names through growth', () => {
  const index = new NodeIndex<number>();
  const names: Name[] = [];
  for (let i = 0; i < 5000; i++) names.push(nameFromText(`n${i}.example.`));
  names.forEach((name, i) => index.set(name, i));
  assert.equal(index.size, 5000);
  names.forEach((name, i) => assert.equal(index.get(name), i));
  // A fresh copy of the key (not the same string object) is found too.
  assert.equal(index.get(Buffer.from(names[42]!, 'latin1').toString('latin1') as Name), 42);
  index.set(names[7]!, -7);
  assert.equal(index.get(names[7]!), -7);
  assert.equal(index.size, 5000);
  assert.equal(index.get(nameFromText('missing.example.')), undefined);
  assert.equal(index.has(names[0]!), true);
});

test('iterates every entry once', () => {
  const index = new NodeIndex<string>(4);
  for (const text of ['a.', 'b.', 'c.', 'd.', 'e.']) index.set(nameFromText(text), text);
  assert.deepEqual([...index.values()].sort(), ['a.', 'b.', 'c.', 'd.', 'e.']);
  assert.deepEqual([...index.keys()].length, 5);
  assert.deepEqual([...index].map(([, v]) => v).sort(), ['a.', 'b.', 'c.', 'd.', 'e.']);
  const seen: string[] = [];
  index.forEach((v) => seen.push(v));
  assert.equal(seen.length, 5);
});

test('hashName is never 0 (the empty-slot mark)', () => {
  for (let i = 0; i < 10000; i++) assert.notEqual(hashName(`k${i}`), 0);
});
