import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RRType, nameFromText, nameToText, parseZoneFile, type Name } from '../wire/index.js';
import { buildZoneSnapshot, NodeFlag, ZoneError, type RecordData, type ZoneSnapshot } from './index.js';

const ORIGIN = nameFromText('example.com.');

function records(text: string, origin: Name = ORIGIN): RecordData[] {
  return parseZoneFile(`$TTL 3600\n${text}`, { origin, fileName: 'test.zone' }).records;
}

const HEAD = '@ SOA ns1 hostmaster 7 7200 900 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n';

function build(body: string): ZoneSnapshot {
  return buildZoneSnapshot(ORIGIN, records(HEAD + body));
}

function flagsOf(zone: ZoneSnapshot, text: string): string {
  const node = zone.nodes.get(nameFromText(text));
  if (node === undefined) return 'missing';
  const names = Object.entries(NodeFlag).filter(([, bit]) => (node.flags & bit) !== 0).map(([name]) => name);
  return names.join(' ') || 'none';
}

test('groups records into RRsets, counts records and takes the serial from the SOA', () => {
  const zone = build('www A 192.0.2.2\nwww A 192.0.2.3\nwww TXT "x"\n');
  assert.equal(zone.origin, nameFromText('example.com.'));
  assert.equal(zone.serial, 7);
  assert.equal(zone.recordCount, 6);
  const www = zone.nodes.get(nameFromText('www.example.com.'))!;
  assert.equal(www.rrsets.size, 2);
  assert.equal(www.rrsets.get(RRType.A)!.rdatas.length, 2);
  assert.deepEqual([...www.rrsets.keys()], [RRType.A, RRType.TXT]);
  assert.equal(zone.soa.type, RRType.SOA);
});

test('an explicit serial wins over the SOA', () => {
  assert.equal(buildZoneSnapshot(ORIGIN, records(HEAD), 42).serial, 42);
});

test('keys nodes by lowercased owner and keeps the case as entered', () => {
  const zone = buildZoneSnapshot(nameFromText('Example.COM.'), records(HEAD + 'WwW A 192.0.2.2\nwww A 192.0.2.3\n', nameFromText('Example.COM.')));
  assert.equal(zone.origin, nameFromText('example.com.'));
  const www = zone.nodes.get(nameFromText('www.example.com.'))!;
  assert.equal(nameToText(www.name), 'WwW.Example.COM.');
  assert.equal(www.rrsets.get(RRType.A)!.rdatas.length, 2);
});

test('drops exact duplicates, small and large RRsets alike', () => {
  let body = 'dup A 192.0.2.9\ndup A 192.0.2.9\n';
  for (let i = 0; i < 40; i++) body += `big TXT "t${i}"\nbig TXT "t${i}"\n`;
  const zone = build(body);
  assert.equal(zone.nodes.get(nameFromText('dup.example.com.'))!.rrsets.get(RRType.A)!.rdatas.length, 1);
  assert.equal(zone.nodes.get(nameFromText('big.example.com.'))!.rrsets.get(RRType.TXT)!.rdatas.length, 40);
  assert.equal(zone.recordCount, 3 + 1 + 40);
});

test('gives an RRset the lowest TTL of its records (RFC 2181 5.2)', () => {
  const zone = build('www 600 A 192.0.2.2\nwww 60 A 192.0.2.3\nwww 900 A 192.0.2.4\n');
  assert.equal(zone.nodes.get(nameFromText('www.example.com.'))!.rrsets.get(RRType.A)!.ttl, 60);
});

test('makes empty non-terminals between the apex and every owner', () => {
  const zone = build('a.b.c A 192.0.2.5\n');
  assert.equal(flagsOf(zone, 'b.c.example.com.'), 'EMPTY');
  assert.equal(flagsOf(zone, 'c.example.com.'), 'EMPTY');
  assert.equal(zone.nodes.get(nameFromText('c.example.com.'))!.rrsets.size, 0);
  assert.equal(flagsOf(zone, 'a.b.c.example.com.'), 'none');
});

test('an empty non-terminal that later gets records becomes a normal node', () => {
  const zone = build('a.b A 192.0.2.5\nB TXT "late"\n');
  assert.equal(flagsOf(zone, 'b.example.com.'), 'none');
  const b = zone.nodes.get(nameFromText('b.example.com.'))!;
  assert.equal(nameToText(b.name), 'B.example.com.');
  assert.equal(b.rrsets.size, 1);
});

test('skips records outside the origin', () => {
  const zone = buildZoneSnapshot(ORIGIN, [...records(HEAD), ...records('www A 192.0.2.1', nameFromText('xexample.com.'))]);
  assert.equal(zone.nodes.has(nameFromText('www.xexample.com.')), false);
  assert.equal(zone.recordCount, 3);
});

test('computes the node flags once', () => {
  const zone = build([
    'sub NS ns.sub', 'ns.sub A 192.0.2.6', 'deep.below.sub A 192.0.2.7',
    'alias CNAME www', 'dn DNAME target.example.net.', 'x.dn A 192.0.2.8',
    '*.wild A 192.0.2.9', 'a.*.w2 A 192.0.2.10',
  ].join('\n'));
  assert.equal(flagsOf(zone, 'example.com.'), 'none');
  assert.equal(flagsOf(zone, 'sub.example.com.'), 'DELEGATION');
  assert.equal(flagsOf(zone, 'ns.sub.example.com.'), 'OCCLUDED');
  assert.equal(flagsOf(zone, 'below.sub.example.com.'), 'OCCLUDED EMPTY');
  assert.equal(flagsOf(zone, 'alias.example.com.'), 'CNAME');
  assert.equal(flagsOf(zone, 'dn.example.com.'), 'DNAME');
  assert.equal(flagsOf(zone, 'x.dn.example.com.'), 'OCCLUDED');
  assert.equal(flagsOf(zone, 'wild.example.com.'), 'HAS_WILDCARD_CHILD EMPTY');
  assert.equal(flagsOf(zone, '*.wild.example.com.'), 'WILDCARD');
  assert.equal(flagsOf(zone, '*.w2.example.com.'), 'WILDCARD EMPTY');
  assert.equal(flagsOf(zone, 'w2.example.com.'), 'HAS_WILDCARD_CHILD EMPTY');
});

test('a DNAME at the apex occludes the whole zone below it', () => {
  const zone = build('@ DNAME example.net.\nwww A 192.0.2.2\n');
  assert.equal(flagsOf(zone, 'example.com.'), 'DNAME');
  assert.equal(flagsOf(zone, 'www.example.com.'), 'OCCLUDED');
  assert.equal(flagsOf(zone, 'ns1.example.com.'), 'OCCLUDED');
});

test('NS at the apex is not a delegation', () => {
  assert.equal(build('').nodes.get(ORIGIN)!.flags & NodeFlag.DELEGATION, 0);
});

test('throws ZoneError NO_SOA when the apex has no SOA', () => {
  assert.throws(() => buildZoneSnapshot(ORIGIN, records('@ NS ns1\n')), (err: unknown) => err instanceof ZoneError && err.code === 'NO_SOA');
});

test('a node answers the ReadonlyMap methods in type order', () => {
  const node = build('m TXT "t"\nm A 192.0.2.1\nm MX 10 m\n').nodes.get(nameFromText('m.example.com.'))!;
  assert.deepEqual([...node.rrsets.keys()], [RRType.A, RRType.MX, RRType.TXT]);
  assert.deepEqual([...node.rrsets.values()].map((s) => s.type), [RRType.A, RRType.MX, RRType.TXT]);
  assert.deepEqual([...node.rrsets].map(([t]) => t), [RRType.A, RRType.MX, RRType.TXT]);
  const seen: number[] = [];
  node.rrsets.forEach((_set, type) => seen.push(type));
  assert.deepEqual(seen, [RRType.A, RRType.MX, RRType.TXT]);
  assert.equal(node.rrsets.has(RRType.AAAA), false);
});

test('builds a 200,000-name zone quickly', () => {
  const base = records(HEAD);
  const all: RecordData[] = [...base];
  const rdata = new Uint8Array([192, 0, 2, 1]);
  for (let i = 0; i < 200_000; i++) all.push({ name: nameFromText(`h${i}.s${i % 50}.example.com.`), type: RRType.A, ttl: 300, rdata });
  const start = performance.now();
  const zone = buildZoneSnapshot(ORIGIN, all);
  const ms = performance.now() - start;
  assert.equal(zone.nodes.size, 200_000 + 2 + 50);
  // 1M names take about 2 s on a loaded 2-core machine; this is a generous bound for 200k.
  assert.ok(ms < 3000, `took ${ms.toFixed(0)} ms`);
});
