import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { nameFromText, nameToBytes, nameToText, type Name } from '../wire/index.js';
import type { RecordData } from '../zone/index.js';
import { openStore, SCHEMA_VERSION, StoreError, type Store } from './index.js';

const ORIGIN = nameFromText('example.com.');
const T0 = new Date('2026-01-02T03:04:05.000Z');

function tempDb(): string {
  return join(mkdtempSync(join(tmpdir(), 'mcns-store-')), 'sub', 'mcns.db');
}

function withStore(fn: (store: Store, path: string) => void): void {
  const path = tempDb();
  const store = openStore(path, { now: () => T0 });
  try {
    fn(store, path);
  } finally {
    store.close();
  }
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function soa(serial: number, ttl = 3600): RecordData {
  const rdata = Buffer.concat([
    nameToBytes(nameFromText('ns1.example.com.')), nameToBytes(nameFromText('hostmaster.example.com.')),
    u32(serial), u32(7200), u32(3600), u32(1209600), u32(300),
  ]);
  return { name: ORIGIN, type: 6, ttl, rdata };
}

function rec(owner: string, type: number, rdata: Uint8Array, ttl = 300): RecordData {
  return { name: nameFromText(owner), type, ttl, rdata };
}

const ns = (target: string): Uint8Array => nameToBytes(nameFromText(target));
const a = (ip: string): Uint8Array => Uint8Array.from(ip.split('.').map(Number));

function zone(serial: number, extra: RecordData[] = []): RecordData[] {
  return [
    soa(serial),
    rec('example.com.', 2, ns('ns1.example.com.')),
    rec('ns1.example.com.', 1, a('192.0.2.1')),
    rec('www.example.com.', 1, a('192.0.2.10')),
    ...extra,
  ];
}

function serialOf(record: RecordData): number {
  const rdata = Buffer.from(record.rdata);
  return rdata.readUInt32BE(rdata.length - 20);
}

/** Records as comparable text: owner, type, ttl, rdata hex; sorted. */
function shape(records: readonly RecordData[]): string[] {
  return records.map((r) => `${nameToText(r.name)} ${r.type} ${r.ttl} ${Buffer.from(r.rdata).toString('hex')}`).sort();
}

test('opening creates the directory and file, in WAL mode, at the newest schema', () => {
  const path = tempDb();
  openStore(path).close();
  const db = new Database(path, { readonly: true });
  try {
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    assert.deepEqual(versions, Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    assert.deepEqual(tables, ['api_tokens', 'audit_log', 'journal', 'records', 'schema_migrations', 'zones']);
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").pluck().all();
    assert.deepEqual(indexes, ['audit_log_zone', 'journal_zone_serial', 'records_owner_type', 'records_zone_id']);
  } finally {
    db.close();
  }
  openStore(path).close(); // reopening migrates nothing and succeeds
});

test('checkpoint folds the WAL into the database and empties it; a reader holding a snapshot makes it report false', () => {
  withStore((store, path) => {
    store.importZone(ORIGIN, zone(2024010101), { source: 'test' });
    assert.ok(statSync(`${path}-wal`).size > 0);
    assert.equal(store.checkpoint(), true);
    assert.equal(statSync(`${path}-wal`).size, 0);
    store.importZone(ORIGIN, zone(2024010102), { source: 'test' });
    const reader = new Database(path, { readonly: true });
    try {
      reader.exec('BEGIN');
      reader.prepare('SELECT count(*) FROM zones').get();
      store.importZone(ORIGIN, zone(2024010103), { source: 'test' });
      assert.equal(store.checkpoint(50), false);
    } finally {
      reader.close();
    }
    assert.equal(store.checkpoint(), true);
  });
});

test('a database migrated by a newer mcns is refused with a clear message', () => {
  const path = tempDb();
  openStore(path).close();
  const db = new Database(path);
  db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 'x')").run(SCHEMA_VERSION + 5);
  db.close();
  assert.throws(() => openStore(path), (err: unknown) =>
    err instanceof StoreError && err.code === 'SCHEMA_TOO_NEW' &&
    err.message === `database "${path}" has schema version ${SCHEMA_VERSION + 5}, newer than the ${SCHEMA_VERSION} ` +
      'this mcns understands; run the mcns version that wrote it, or restore a backup made by this one');
});

test('a file that is not a database is refused as OPEN_FAILED', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'mcns-store-')), 'junk.db');
  writeFileSync(path, 'this is not an SQLite database but a text file long enough to have a header'.repeat(20));
  assert.throws(() => openStore(path), (err: unknown) =>
    err instanceof StoreError && err.code === 'OPEN_FAILED' && err.message.startsWith(`cannot open database "${path}": `));
});

test('importing a new zone stores it with the file serial and journals the creation', () => {
  withStore((store) => {
    const result = store.importZone(ORIGIN, zone(2024010101), { source: 'test' });
    assert.equal(result.created, true);
    assert.equal(result.changed, true);
    assert.equal(result.bumped, false);
    assert.equal(result.previousSerial, null);
    assert.equal(result.zone.serial, 2024010101);
    assert.equal(result.zone.recordCount, 4);
    assert.equal(result.zone.name, 'example.com.');
    assert.equal(result.zone.createdAt, T0.toISOString());
    assert.deepEqual(store.listZones().map((z) => [z.name, z.serial, z.recordCount]), [['example.com.', 2024010101, 4]]);
    const journal = store.journalEntries(result.zone.id);
    assert.equal(journal.length, 1);
    assert.equal(journal[0]!.serialBefore, null);
    assert.equal(journal[0]!.serialAfter, 2024010101);
    assert.equal(journal[0]!.source, 'test');
    assert.deepEqual(journal[0]!.changeset.deleted, []);
    assert.deepEqual(shape(journal[0]!.changeset.added), shape(zone(2024010101)));
    assert.equal(journal[0]!.changeset.added[0]!.type, 6, 'the SOA leads the additions');
  });
});

test('importing the same content again writes nothing', () => {
  withStore((store) => {
    const first = store.importZone(ORIGIN, zone(10));
    const again = store.importZone(ORIGIN, zone(10));
    assert.equal(again.changed, false);
    assert.equal(again.zone.serial, 10);
    assert.equal(store.journalEntries(first.zone.id).length, 1);
    // The same content with a lower serial is still no change.
    assert.equal(store.importZone(ORIGIN, zone(3)).changed, false);
  });
});

test('changed content with a serial that is not greater gets current + 1, and says so', () => {
  withStore((store) => {
    const { zone: z } = store.importZone(ORIGIN, zone(10));
    const result = store.importZone(ORIGIN, zone(10, [rec('mail.example.com.', 1, a('192.0.2.25'))]));
    assert.equal(result.bumped, true);
    assert.equal(result.fileSerial, 10);
    assert.equal(result.previousSerial, 10);
    assert.equal(result.zone.serial, 11);
    const records = store.loadZoneRecords(z.id);
    assert.equal(serialOf(records.find((r) => r.type === 6)!), 11, 'the stored SOA carries the stored serial');
    const lower = store.importZone(ORIGIN, zone(5, [rec('mail.example.com.', 1, a('192.0.2.26'))]));
    assert.equal(lower.zone.serial, 12);
    assert.equal(lower.bumped, true);
  });
});

test('a greater file serial is used as is, also across the 2^32 wrap', () => {
  withStore((store) => {
    store.importZone(ORIGIN, zone(0xfffffff0));
    const result = store.importZone(ORIGIN, zone(5));
    assert.equal(result.bumped, false);
    assert.equal(result.zone.serial, 5);
    // Only the serial changed: still a change, because the operator raised it.
    const serialOnly = store.importZone(ORIGIN, zone(6));
    assert.equal(serialOnly.changed, true);
    assert.equal(serialOnly.added, 1);
    assert.equal(serialOnly.deleted, 1);
  });
});

test('the journal holds exactly the records deleted and added, SOAs first', () => {
  withStore((store) => {
    const { zone: z } = store.importZone(ORIGIN, zone(1));
    const next = zone(2).filter((r) => nameToText(r.name) !== 'www.example.com.');
    next.push(rec('www.example.com.', 1, a('192.0.2.11')), rec('ns1.example.com.', 1, a('192.0.2.1'), 600));
    next.splice(next.findIndex((r) => nameToText(r.name) === 'ns1.example.com.' && r.ttl === 300), 1);
    const result = store.importZone(ORIGIN, next, { now: new Date('2026-02-03T00:00:00.000Z') });
    assert.equal(result.zone.serial, 2);
    const entry = store.journalEntries(z.id)[1]!;
    assert.equal(entry.serialBefore, 1);
    assert.equal(entry.serialAfter, 2);
    assert.equal(entry.time, '2026-02-03T00:00:00.000Z');
    assert.deepEqual(entry.changeset.deleted.map((r) => [nameToText(r.name), r.type, r.ttl]),
      [['example.com.', 6, 3600], ['ns1.example.com.', 1, 300], ['www.example.com.', 1, 300]]);
    assert.deepEqual(entry.changeset.added.map((r) => [nameToText(r.name), r.type, r.ttl]),
      [['example.com.', 6, 3600], ['www.example.com.', 1, 300], ['ns1.example.com.', 1, 600]]);
    assert.equal(serialOf(entry.changeset.deleted[0]!), 1);
    assert.equal(serialOf(entry.changeset.added[0]!), 2);
    assert.deepEqual(shape(store.loadZoneRecords(z.id)), shape(next));
  });
});

test('an error inside the import transaction rolls everything back', () => {
  withStore((store) => {
    const { zone: z } = store.importZone(ORIGIN, zone(1));
    const before = shape(store.loadZoneRecords(z.id));
    // The last record breaks the ttl CHECK after the deletions and the serial update ran.
    const bad = [soa(2), rec('example.com.', 2, ns('ns2.example.com.')), rec('x.example.com.', 1, a('192.0.2.9'), -1)];
    assert.throws(() => store.importZone(ORIGIN, bad), /CHECK constraint failed/);
    assert.deepEqual(shape(store.loadZoneRecords(z.id)), before);
    assert.equal(store.getZone(ORIGIN)!.serial, 1);
    assert.equal(store.journalEntries(z.id).length, 1);
    // A failing new zone leaves no zone behind either.
    const other = nameFromText('other.test.');
    assert.throws(() => store.importZone(other, [{ ...soa(1), name: other }, { name: other, type: 1, ttl: -5, rdata: a('192.0.2.1') }]));
    assert.equal(store.getZone(other), null);
  });
});

test('records that cannot form a zone are refused before anything is written', () => {
  withStore((store) => {
    assert.throws(() => store.importZone(ORIGIN, [rec('www.example.com.', 1, a('192.0.2.1'))]), (err: unknown) =>
      err instanceof StoreError && err.code === 'INVALID' &&
      err.message === 'zone "example.com." not stored: zone "example.com." has no SOA record at its apex');
    assert.throws(() => store.importZone(ORIGIN, zone(1, [rec('www.example.org.', 1, a('192.0.2.1')), soa(4)])), (err: unknown) =>
      err instanceof StoreError && err.code === 'INVALID' && err.problems.length === 2 &&
      err.message === 'zone "example.com." not stored: www.example.org. A is outside zone "example.com." (and 1 more)');
    assert.deepEqual(store.listZones(), []);
  });
});

test('loadZoneRecords returns wire names with their case, escapes and the stored bytes', () => {
  withStore((store) => {
    const records = zone(1, [
      rec('WWW2.Example.COM.', 1, a('192.0.2.2')),
      rec('a\\.b.example.com.', 16, Uint8Array.from([3, 0x61, 0x62, 0x63])),
      rec('\\200x.example.com.', 1, a('192.0.2.3')),
    ]);
    const { zone: z } = store.importZone(ORIGIN, records);
    const loaded = store.loadZoneRecords(z.id);
    assert.deepEqual(shape(loaded), shape(records));
    const names = new Set<Name>(loaded.map((r) => r.name));
    assert.ok(names.has(nameFromText('WWW2.Example.COM.')));
    assert.ok(names.has(nameFromText('a\\.b.example.com.')));
    assert.ok(loaded.every((r) => r.rdata instanceof Uint8Array));
  });
});

test('loadZoneRecords reads an owner edited by hand to contain a newline, row by row', () => {
  withStore((store, path) => {
    const { zone: z } = store.importZone(ORIGIN, zone(1));
    const db = new Database(path);
    db.prepare("UPDATE records SET name = 'a' || char(10) || 'b.example.com.' WHERE name = 'www.example.com.'").run();
    db.close();
    const loaded = store.loadZoneRecords(z.id);
    assert.equal(loaded.length, 4);
    assert.ok(loaded.some((r) => r.name === nameFromText('a\\010b.example.com.')));
    assert.deepEqual(loaded.map((r) => r.type), zone(1).map((r) => r.type));
  });
});

test('the origin is matched case-insensitively and stored lowercase', () => {
  withStore((store) => {
    const upper = nameFromText('EXAMPLE.com.');
    store.importZone(upper, zone(1).map((r) => (r.type === 6 ? { ...r, name: upper } : r)));
    assert.equal(store.getZone(ORIGIN)!.name, 'example.com.');
    assert.equal(store.requireZone(upper).origin, ORIGIN);
  });
});

test('deleting a zone removes its records and journal; a missing zone is NOT_FOUND', () => {
  withStore((store, path) => {
    const { zone: z } = store.importZone(ORIGIN, zone(1));
    store.deleteZone(ORIGIN);
    assert.equal(store.getZone(ORIGIN), null);
    assert.deepEqual(store.loadZoneRecords(z.id), []);
    assert.deepEqual(store.journalEntries(z.id), []);
    const db = new Database(path, { readonly: true });
    assert.equal(db.prepare('SELECT count(*) FROM records').pluck().get(), 0);
    db.close();
    assert.throws(() => store.deleteZone(ORIGIN), (err: unknown) =>
      err instanceof StoreError && err.code === 'NOT_FOUND' && err.message === 'zone "example.com." not found');
    assert.throws(() => store.requireZone(ORIGIN), /zone "example.com." not found/);
  });
});

// How fast is measured by bench/ (docs/PERFORMANCE.md), not asserted here.
test('loads a large zone whole and in order', () => {
  withStore((store) => {
    const records = zone(1);
    for (let i = 0; i < 100_000; i++) {
      records.push(rec(`h${i}.example.com.`, 1, a(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`)));
      if (i % 3 === 0) records.push(rec(`h${i}.example.com.`, 16, new Uint8Array(0)));
    }
    const { zone: z } = store.importZone(ORIGIN, records);
    const loaded = store.loadZoneRecords(z.id);
    assert.equal(loaded.length, records.length);
    assert.deepEqual(shape(loaded.slice(-5)), shape(records.slice(-5)));
    assert.equal(loaded.filter((r) => r.rdata.length === 0).length, 33_334);
  });
});
