import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RRType, nameFromText, nameLower, parseZoneFile, type Name } from '../wire/index.js';
import { buildZoneSnapshot } from './build-zone-snapshot.js';
import { NodeIndex } from './node-index.js';
import { OverlayNodeIndex } from './overlay-node-index.js';
import { PackedNodeIndex } from './packed-node-index.js';
import { patchZoneSnapshot, type RRsetPatch } from './patch-zone-snapshot.js';
import { NodeFlag, type RecordData, type RRset, type ZoneSnapshot } from './types.js';

const ORIGIN = nameFromText('example.com.');

/** A zone with a delegation and its glue, a wildcard, and empty non-terminals. */
const BASE = `$TTL 300
@ SOA ns1 hostmaster 1 3600 900 1209600 300
@ NS ns1
ns1 A 192.0.2.1
www A 192.0.2.2
sub NS ns.sub
ns.sub A 192.0.2.53
*.wild TXT "any"
c.b.a TXT "deep"
`;

function records(text: string): RecordData[] {
  return parseZoneFile(text, { origin: ORIGIN, fileName: 'test' }).records
    .map((r) => ({ name: r.name, type: r.type, ttl: r.ttl, rdata: r.rdata }));
}

/** A snapshot as comparable data: each node's key, flags and RRsets (lowercased owners, RDATA as hex). */
function shape(snapshot: ZoneSnapshot): unknown {
  const nodes: [string, number, string[]][] = [];
  snapshot.nodes.forEach((node, key) => {
    const sets: string[] = [];
    node.rrsets.forEach((set) => {
      sets.push(`${set.type}/${set.ttl}/${set.rdatas.map((r) => Buffer.from(r).toString('hex')).sort().join(',')}`);
    });
    nodes.push([JSON.stringify(key), node.flags, sets.sort()]);
  });
  nodes.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { nodes, size: snapshot.nodes.size, recordCount: snapshot.recordCount, serial: snapshot.serial, soa: snapshot.soa.rdatas.length };
}

/** Every record of a snapshot. */
function contentOf(snapshot: ZoneSnapshot): RecordData[] {
  const out: RecordData[] = [];
  snapshot.nodes.forEach((node) => node.rrsets.forEach((set) => {
    for (const rdata of set.rdatas) out.push({ name: set.name, type: set.type, ttl: set.ttl, rdata });
  }));
  return out;
}

function rrset(owner: string, type: number, ttl: number, ...rdatas: number[][]): RRset {
  return { name: nameFromText(owner, ORIGIN), type, ttl, rdatas: rdatas.map((b) => new Uint8Array(b)) };
}

function patch(owner: string, type: number, set: RRset | null): RRsetPatch {
  return { owner: nameLower(nameFromText(owner, ORIGIN)), type, rrset: set };
}

function nodeOf(snapshot: ZoneSnapshot, owner: string): { flags: number; types: number[] } | undefined {
  const node = snapshot.nodes.get(nameLower(nameFromText(owner, ORIGIN)));
  return node === undefined ? undefined : { flags: node.flags, types: [...node.rrsets.keys()] };
}

test('adding a name makes its empty non-terminals; removing it drops them again', () => {
  const base = buildZoneSnapshot(ORIGIN, records(BASE));
  const added = patchZoneSnapshot(base, [patch('x.y.z', RRType.A, rrset('x.y.z', RRType.A, 60, [192, 0, 2, 9]))], 2)!;
  assert.deepEqual(nodeOf(added, 'y.z'), { flags: NodeFlag.EMPTY, types: [] });
  assert.deepEqual(nodeOf(added, 'z'), { flags: NodeFlag.EMPTY, types: [] });
  assert.equal(added.recordCount, base.recordCount + 1);
  assert.equal(nodeOf(base, 'x.y.z'), undefined, 'the old snapshot is unchanged');
  const removed = patchZoneSnapshot(added, [patch('x.y.z', RRType.A, null)], 3)!;
  assert.equal(nodeOf(removed, 'x.y.z'), undefined);
  assert.equal(nodeOf(removed, 'y.z'), undefined);
  assert.equal(nodeOf(removed, 'z'), undefined);
  assert.deepEqual(shape(removed), shape(buildZoneSnapshot(ORIGIN, records(BASE), 3)));
});

test('a name that loses its data but keeps descendants becomes an empty non-terminal', () => {
  const base = buildZoneSnapshot(ORIGIN, records(`${BASE}b.a TXT "mid"\n`));
  const next = patchZoneSnapshot(base, [patch('b.a', RRType.TXT, null)], 2)!;
  assert.deepEqual(nodeOf(next, 'b.a'), { flags: NodeFlag.EMPTY, types: [] });
  assert.deepEqual(nodeOf(next, 'c.b.a')?.types, [RRType.TXT]);
});

test('wildcards mark their parent; removing the wildcard clears the mark', () => {
  const base = buildZoneSnapshot(ORIGIN, records(BASE));
  const added = patchZoneSnapshot(base, [patch('*.www', RRType.A, rrset('*.www', RRType.A, 60, [192, 0, 2, 7]))], 2)!;
  assert.equal(nodeOf(added, '*.www')!.flags & NodeFlag.WILDCARD, NodeFlag.WILDCARD);
  assert.equal(nodeOf(added, 'www')!.flags & NodeFlag.HAS_WILDCARD_CHILD, NodeFlag.HAS_WILDCARD_CHILD);
  assert.equal(nodeOf(base, 'www')!.flags & NodeFlag.HAS_WILDCARD_CHILD, 0, 'the old snapshot keeps its node');
  const removed = patchZoneSnapshot(added, [patch('*.www', RRType.A, null)], 3)!;
  assert.equal(nodeOf(removed, 'www')!.flags & NodeFlag.HAS_WILDCARD_CHILD, 0);
});

test('names added below a zone cut are occluded (glue), as the builder marks them', () => {
  const base = buildZoneSnapshot(ORIGIN, records(BASE));
  const next = patchZoneSnapshot(base, [patch('a.b.sub', RRType.A, rrset('a.b.sub', RRType.A, 60, [192, 0, 2, 8]))], 2)!;
  assert.equal(nodeOf(next, 'a.b.sub')!.flags & NodeFlag.OCCLUDED, NodeFlag.OCCLUDED);
  assert.equal(nodeOf(next, 'b.sub')!.flags & NodeFlag.OCCLUDED, NodeFlag.OCCLUDED);
  assert.deepEqual(shape(next), shape(buildZoneSnapshot(ORIGIN, contentOf(next), 2)));
});

test('NS below the apex, DNAME and removing the apex SOA are left to a rebuild (null)', () => {
  const base = buildZoneSnapshot(ORIGIN, records(BASE));
  assert.equal(patchZoneSnapshot(base, [patch('new', RRType.NS, rrset('new', RRType.NS, 60, [0]))], 2), null);
  assert.equal(patchZoneSnapshot(base, [patch('sub', RRType.NS, null)], 2), null);
  assert.equal(patchZoneSnapshot(base, [patch('d', RRType.DNAME, rrset('d', RRType.DNAME, 60, [0]))], 2), null);
  assert.equal(patchZoneSnapshot(base, [patch('@', RRType.SOA, null)], 2), null);
  assert.notEqual(patchZoneSnapshot(base, [patch('@', RRType.NS, rrset('@', RRType.NS, 60, [3, 110, 115, 50, 0]))], 2), null);
});

test('an apex SOA patch becomes the snapshot\'s soa', () => {
  const base = buildZoneSnapshot(ORIGIN, records(BASE));
  const soa: RRset = { ...base.soa, rdatas: [new Uint8Array(base.soa.rdatas[0]!).fill(7, -20)] };
  const next = patchZoneSnapshot(base, [patch('@', RRType.SOA, soa)], 9)!;
  assert.equal(next.soa, soa);
  assert.equal(next.serial, 9);
});

/** A deterministic generator, so a failing sequence can be replayed from its seed. */
function random(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s >>> 8) % n;
  };
}

test('random patch sequences give the snapshot buildZoneSnapshot makes of the same records', () => {
  const owners = ['@', 'www', 'a', 'b.a', 'c.b.a', '*.a', 'x.*.a', '*', 'p.q.r', 'q.r', 'ns.sub', 'deep.ns.sub', 'e.wild', '*.wild', 'n1', 'n2', 'n3'];
  const types = [RRType.A, RRType.TXT, RRType.MX, RRType.AAAA];
  for (const seed of [1, 2, 3, 4, 5]) {
    const next = random(seed);
    let snapshot = buildZoneSnapshot(ORIGIN, records(BASE));
    for (let step = 0; step < 400; step++) {
      const patches: RRsetPatch[] = [];
      for (let n = 1 + next(3); n > 0; n--) {
        const owner = owners[next(owners.length)]!;
        const type = types[next(types.length)]!;
        const set = next(3) === 0 ? null : rrset(owner, type, 60 + next(3), ...Array.from({ length: 1 + next(3) }, () => [next(256), next(256)]));
        patches.push(patch(owner, type, set));
      }
      const patched = patchZoneSnapshot(snapshot, patches, step + 2);
      assert.ok(patched !== null, `seed ${seed} step ${step}: patchable`);
      assert.deepEqual(shape(patched), shape(buildZoneSnapshot(ORIGIN, contentOf(patched), step + 2)), `seed ${seed} step ${step}`);
      snapshot = patched;
    }
  }
});

test('a long run of patches folds the overlay into the index now and then, and reads the same throughout', () => {
  const text = `${BASE}${Array.from({ length: 2000 }, (_, i) => `h${i} A 10.0.${i >> 8}.${i & 255}\n`).join('')}`;
  let snapshot = buildZoneSnapshot(ORIGIN, records(text));
  let overlays = 0;
  let folds = 0;
  for (let i = 0; i < 300; i++) {
    snapshot = patchZoneSnapshot(snapshot, [patch(`n${i}`, RRType.A, rrset(`n${i}`, RRType.A, 60, [10, 1, i >> 8, i & 255]))], i + 2)!;
    if (snapshot.nodes instanceof OverlayNodeIndex) overlays++;
    else if (snapshot.nodes instanceof PackedNodeIndex || snapshot.nodes instanceof NodeIndex) folds++;
  }
  assert.ok(overlays > 200 && folds >= 2, `overlays ${overlays}, folds ${folds}`);
  assert.equal(snapshot.nodes.size, 2000 + 300 + 10);
  for (let i = 0; i < 300; i++) assert.ok(snapshot.nodes.has(nameLower(nameFromText(`n${i}`, ORIGIN))));
  assert.deepEqual(shape(snapshot), shape(buildZoneSnapshot(ORIGIN, contentOf(snapshot), 301)));
});

test('NodeIndex.delete keeps every other key reachable (backward-shift deletion), and clone is independent', () => {
  const next = random(7);
  const index = new NodeIndex<number>();
  const model = new Map<Name, number>();
  const key = (i: number): Name => `\x01${String.fromCharCode(97 + (i % 26))}\x03k${i}\x00` as Name;
  for (let step = 0; step < 20000; step++) {
    const k = key(next(600));
    if (next(3) === 0) {
      assert.equal(index.delete(k), model.delete(k));
    } else {
      index.set(k, step);
      model.set(k, step);
    }
    if (step % 997 === 0) {
      for (let i = 0; i < 600; i++) assert.equal(index.get(key(i)), model.get(key(i)), `step ${step} key ${i}`);
      assert.equal(index.size, model.size);
      assert.deepEqual(new Map(index), model);
    }
  }
  const copy = index.clone();
  const some = key(1);
  copy.set(some, -1);
  copy.delete(key(2));
  assert.equal(index.get(some), model.get(some));
  assert.equal(index.get(key(2)), model.get(key(2)));
  assert.equal(copy.get(some), -1);
});
