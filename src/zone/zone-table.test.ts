import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nameFromText, parseZoneFile } from '../wire/index.js';
import { buildZoneSnapshot, ZoneTable, type ZoneSnapshot } from './index.js';

function zone(origin: string): ZoneSnapshot {
  const o = nameFromText(origin);
  return buildZoneSnapshot(o, parseZoneFile('$TTL 60\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\n', { origin: o, fileName: 'z' }).records);
}

const n = nameFromText;

test('find returns the longest matching zone', () => {
  const table = new ZoneTable();
  table.set(zone('example.com.'));
  table.set(zone('sub.example.com.'));
  assert.equal(table.find(n('www.sub.example.com.'))?.origin, n('sub.example.com.'));
  assert.equal(table.find(n('sub.example.com.'))?.origin, n('sub.example.com.'));
  assert.equal(table.find(n('www.example.com.'))?.origin, n('example.com.'));
  assert.equal(table.find(n('example.com.'))?.origin, n('example.com.'));
  assert.equal(table.find(n('com.')), null);
  assert.equal(table.find(n('xexample.com.')), null);
});

test('the root zone matches every name', () => {
  const table = new ZoneTable();
  table.set(zone('.'));
  assert.equal(table.find(n('anything.at.all.'))?.origin, n('.'));
});

test('set replaces a snapshot whole and bumps the generation; delete too', () => {
  const table = new ZoneTable();
  const g0 = table.generation;
  const first = zone('example.com.');
  table.set(first);
  assert.equal(table.generation, g0 + 1);
  const second = zone('example.com.');
  table.set(second);
  assert.equal(table.generation, g0 + 2);
  assert.equal(table.get(n('EXAMPLE.com.')), second);
  assert.equal(table.size, 1);
  assert.deepEqual(table.list(), [second]);
  assert.equal(table.delete(n('Example.com.')), true);
  assert.equal(table.generation, g0 + 3);
  assert.equal(table.delete(n('example.com.')), false);
  assert.equal(table.generation, g0 + 3);
  assert.equal(table.get(n('example.com.')), null);
  assert.equal(table.find(n('www.example.com.')), null);
});
