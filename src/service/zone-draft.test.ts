import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RRType, nameFromText, nameLower, type Name } from '../wire/index.js';
import { buildZoneSnapshot, type RecordData, type RRset } from '../zone/index.js';
import { ZoneDraft } from './zone-draft.js';

const origin = nameLower(nameFromText('example.com.'));
const name = (text: string): Name => nameLower(nameFromText(text));
const record = (owner: string, type: number, rdata: number[]): RecordData => ({ name: nameFromText(owner), type, ttl: 300, rdata: new Uint8Array(rdata) });
const rrset = (owner: string, type: number, ...rdatas: number[][]): RRset => ({ name: nameFromText(owner), type, ttl: 60, rdatas: rdatas.map((r) => new Uint8Array(r)) });

function draft(): ZoneDraft {
  const snapshot = buildZoneSnapshot(origin, [
    record('example.com.', RRType.SOA, [0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]),
    record('example.com.', RRType.NS, [2, 110, 115, 0]),
    record('www.example.com.', RRType.A, [192, 0, 2, 1]),
    record('www.example.com.', RRType.TXT, [1, 120]),
  ], 1);
  return new ZoneDraft(origin, snapshot);
}

test('shows the base through, and each changed RRset over it', () => {
  const d = draft();
  const www = name('www.example.com.');
  assert.deepEqual(d.get(www, RRType.A)?.rdatas, [new Uint8Array([192, 0, 2, 1])]);
  d.set(www, RRType.A, rrset('www.example.com.', RRType.A, [192, 0, 2, 9], [192, 0, 2, 8]));
  d.set(name('new.example.com.'), RRType.A, rrset('new.example.com.', RRType.A, [10, 0, 0, 1]));
  d.set(www, RRType.TXT, null);
  assert.equal(d.get(www, RRType.A)?.rdatas.length, 2);
  assert.equal(d.get(www, RRType.TXT), null);
  assert.deepEqual(d.rrsetsAt(www).map((s) => s.type), [RRType.A]);
  assert.deepEqual(d.rrsetsAt(origin).map((s) => s.type).sort(), [RRType.NS, RRType.SOA].sort());
  assert.equal(d.recordCount, 4 + 1 + 1 - 1);
  // Patches in the order first changed: owners, then each owner's types.
  assert.deepEqual(d.patches().map((p) => [p.owner, p.type, p.rrset === null]), [
    [www, RRType.A, false], [www, RRType.TXT, true], [name('new.example.com.'), RRType.A, false],
  ]);
});

test('rollback undoes the sets since begin, and only those', () => {
  const d = draft();
  const www = name('www.example.com.');
  d.set(www, RRType.A, rrset('www.example.com.', RRType.A, [192, 0, 2, 5]));
  d.begin();
  d.set(www, RRType.A, rrset('www.example.com.', RRType.A, [192, 0, 2, 6], [192, 0, 2, 7]));
  d.set(www, RRType.TXT, null);
  d.set(name('x.example.com.'), RRType.MX, rrset('x.example.com.', RRType.MX, [0, 10, 0]));
  d.set(origin, RRType.NS, null);
  d.rollback();
  assert.deepEqual(d.get(www, RRType.A)?.rdatas, [new Uint8Array([192, 0, 2, 5])]);
  assert.equal(d.get(www, RRType.TXT)?.rdatas.length, 1);
  assert.equal(d.get(name('x.example.com.'), RRType.MX), null);
  assert.equal(d.get(origin, RRType.NS)?.rdatas.length, 1);
  assert.equal(d.recordCount, 4);
  assert.deepEqual(d.patches().map((p) => [p.owner, p.type]), [[www, RRType.A]]);
  assert.equal([...d.records()].length, 4);
});

test('rebase replaces everything, the apex included', () => {
  const d = draft();
  d.set(origin, RRType.TXT, rrset('example.com.', RRType.TXT, [1, 97]));
  d.rebase(null);
  assert.equal(d.get(origin, RRType.SOA), null);
  assert.equal(d.get(origin, RRType.TXT), null);
  assert.deepEqual(d.rrsetsAt(origin), []);
  assert.equal(d.recordCount, 0);
});
