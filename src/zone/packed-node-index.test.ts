import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RRType, nameFromText, nameLower, parseZoneFile, type Name } from '../wire/index.js';
import { buildZoneSnapshot } from './build-zone-snapshot.js';
import { MEMO_NODES, PackedNodeIndex } from './packed-node-index.js';
import { ZoneSnapshotBuilder } from './zone-snapshot-builder.js';
import { NodeFlag, type RecordData } from './types.js';

const ORIGIN = nameFromText('example.com.');
const HEAD = '$TTL 300\n@ SOA ns1 hostmaster 7 3600 900 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n';

function records(text: string): RecordData[] {
  return parseZoneFile(text, { origin: ORIGIN, fileName: 'test' }).records
    .map((r) => ({ name: r.name, type: r.type, ttl: r.ttl, rdata: r.rdata }));
}

const key = (text: string): Name => nameLower(nameFromText(text, ORIGIN));

test('a built snapshot keeps its nodes in a PackedNodeIndex; lookups ignore case and keys come back lowercased', () => {
  const zone = buildZoneSnapshot(ORIGIN, records(`${HEAD}WwW A 192.0.2.2\nwww A 192.0.2.3\n`));
  assert.ok(zone.nodes instanceof PackedNodeIndex);
  const node = zone.nodes.get(key('www'))!;
  assert.equal(node.name, nameFromText('WwW.example.com.'));
  assert.deepEqual(node.rrsets.get(RRType.A)!.rdatas.map((r) => [...r]), [[192, 0, 2, 2], [192, 0, 2, 3]]);
  assert.equal(zone.nodes.get(nameFromText('WWW.example.com.') as Name)?.name, node.name);
  assert.equal(zone.nodes.has(key('nope')), false);
  assert.deepEqual([...zone.nodes.keys()].sort(), [key('@'), key('ns1'), key('www')].sort());
});

test('asking twice gives the same RRset objects (the query path compares them by identity), and the apex SOA is the snapshot\'s', () => {
  const zone = buildZoneSnapshot(ORIGIN, records(`${HEAD}mx MX 10 ns1\n`));
  const a = zone.nodes.get(key('mx'))!.rrsets.get(RRType.MX);
  const b = zone.nodes.get(key('mx'))!.rrsets.get(RRType.MX);
  assert.ok(a !== undefined && a === b);
  assert.equal(zone.nodes.get(ORIGIN)!.rrsets.get(RRType.SOA), zone.soa);
  assert.equal([...zone.nodes.values()].find((n) => n.name === ORIGIN)!.rrsets.get(RRType.NS), zone.nodes.get(ORIGIN)!.rrsets.get(RRType.NS));
});

test('a node forgotten by the bounded memo is made again with the same content', () => {
  const lines = Array.from({ length: MEMO_NODES + 10 }, (_, i) => `h${i} TXT "t${i}"\n`).join('');
  const zone = buildZoneSnapshot(ORIGIN, records(HEAD + lines));
  const first = zone.nodes.get(key('h0'))!.rrsets.get(RRType.TXT)!;
  for (let i = 1; i < MEMO_NODES + 10; i++) zone.nodes.get(key(`h${i}`));
  const again = zone.nodes.get(key('h0'))!.rrsets.get(RRType.TXT)!;
  assert.notEqual(again, first);
  assert.deepEqual(again, first);
  assert.equal(zone.nodes.get(ORIGIN)!.rrsets.get(RRType.SOA), zone.soa, 'the apex is never forgotten');
});

test('the builder takes RDATA as ranges of a shared buffer, groups records that come apart, and drops duplicates', () => {
  const builder = new ZoneSnapshotBuilder(ORIGIN);
  for (const r of records(HEAD)) builder.addRecord(r);
  const shared = new Uint8Array([9, 9, 192, 0, 2, 7, 192, 0, 2, 8, 9]);
  const a = nameFromText('a.b.example.com.');
  builder.add(a, RRType.A, 60, shared, 2, 4);
  builder.add(nameFromText('z.example.com.'), RRType.A, 60, shared, 6, 4);
  builder.add(a, RRType.A, 30, shared, 6, 4);
  builder.add(nameFromText('A.B.example.com.'), RRType.A, 10, shared, 2, 4);
  builder.add(nameFromText('outside.org.'), RRType.A, 60, shared, 2, 4);
  shared.fill(0);
  const zone = builder.finish();
  const set = zone.nodes.get(key('a.b'))!.rrsets.get(RRType.A)!;
  assert.deepEqual(set.rdatas.map((r) => [...r]), [[192, 0, 2, 7], [192, 0, 2, 8]]);
  assert.equal(set.ttl, 30, 'the lowest TTL of the records kept');
  assert.equal(zone.nodes.get(key('b'))!.flags, NodeFlag.EMPTY);
  assert.equal(zone.recordCount, 3 + 3);
  assert.equal(zone.serial, 7);
  assert.throws(() => builder.finish());
});
