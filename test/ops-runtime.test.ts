// Ops inside the server process, driven in process over a real SQLite file and
// the real write path: the change log holds each change before its call returns
// (and a whole group-commit batch), rotation keeps the newest files, a torn last
// line is dropped; lines are written before the COMMIT and taken back when it
// fails, and cut on the next open when the process died before it; the server's own snapshot (backup API in steps on its
// connection) under 20 writes/s is sound; restore refuses what is not a sound
// mcns database of this version; a change log that does not belong to the
// database is refused without touching it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createLogger } from '../src/log/index.js';
import {
  backupLayout, listSnapshots, OpsError, prepareRestore, replayChanges, startOps, takeSnapshot, type BackupSettings, type OpsRuntime,
} from '../src/ops/index.js';
import { createManagementService, type ManagementService, type Principal } from '../src/service/index.js';
import { ChangeLogFile, changeLogFiles, checkDatabase, openStore, readChangeLog, type Store } from '../src/store/index.js';
import { ZoneTable } from '../src/zone/index.js';

const ADMIN: Principal = { id: 't-admin', name: 'root', role: 'admin', zones: null, via: 'token' };
const ZONE = 'ops.example.';
const quiet = createLogger({ level: 'error', sink: { write: () => true } });

interface Rig {
  readonly dir: string;
  readonly store: Store;
  readonly zones: ZoneTable;
  readonly service: ManagementService;
  readonly ops: OpsRuntime;
  readonly settings: BackupSettings;
  close(): Promise<void>;
}

function open(overrides: Partial<BackupSettings> = {}): Rig {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-ops-'));
  const database = join(dir, 'mcns.db');
  const settings: BackupSettings = {
    dir: join(dir, 'backups'), keep: 14, intervalMs: null, journalDir: join(dir, 'journal'), journalFileBytes: 64 << 20, journalKeep: 16,
    ...overrides,
  };
  const store = openStore(database);
  const zones = new ZoneTable();
  const now = (): Date => new Date();
  const ops = startOps({ store, zones, layout: backupLayout(database, settings), log: quiet, now });
  const service = createManagementService({
    store, zones, now, readiness: () => ({ ready: true, reason: '' }), onZoneChanged: () => ops.onZoneChanged(),
  });
  return {
    dir, store, zones, service, ops, settings,
    async close() {
      await service.close();
      await ops.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function logLines(settings: BackupSettings): Record<string, unknown>[] {
  return changeLogFiles(settings.journalDir).flatMap((f) => readFileSync(f, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>));
}

test('every change is in the change log when its call returns; a group-commit batch is all there', async () => {
  const rig = open();
  try {
    await rig.service.invoke('createZone', ADMIN, { zone: ZONE, nameservers: ['ns1.example.net.'] });
    for (let i = 0; i < 5; i++) {
      const r = await rig.service.invoke('addRecords', ADMIN, { zone: ZONE, name: `a${i}.${ZONE}`, type: 'A', ttl: 300, records: [`192.0.2.${i}`] });
      const last = logLines(rig.settings).at(-1)!;
      assert.equal(last['serial_after'], r.serialAfter, 'the change is logged before the call returns');
      assert.equal(last['principal'], 'root');
      assert.equal(last['zone'], ZONE);
    }
    const batch = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      rig.service.invoke('addRecords', ADMIN, { zone: ZONE, name: `b${i}.${ZONE}`, type: 'A', ttl: 300, records: [`198.51.100.${i}`] })));
    const lines = logLines(rig.settings);
    assert.equal(lines.length, 1 + 5 + 20);
    assert.deepEqual(new Set(lines.slice(-20).map((l) => l['serial_after'])), new Set(batch.map((r) => r.serialAfter)));
    await rig.service.invoke('deleteZone', ADMIN, { zone: ZONE });
    const del = logLines(rig.settings).at(-1)!;
    assert.equal(del['kind'], 'delete');
    assert.equal(del['principal'], 'root');
    // A refused change writes nothing anywhere.
    await assert.rejects(rig.service.invoke('addRecords', ADMIN, { zone: ZONE, name: `x.${ZONE}`, type: 'A', ttl: 300, records: ['192.0.2.1'] }));
    assert.equal(logLines(rig.settings).length, 27);
  } finally {
    await rig.close();
  }
});

test('the change log rotates by size and keeps the newest files; replay from too far back is a gap', async () => {
  const rig = open({ journalFileBytes: 2_000, journalKeep: 3 });
  try {
    await rig.service.invoke('createZone', ADMIN, { zone: ZONE, nameservers: ['ns1.example.net.'] });
    const early = await takeSnapshot(rig.store, rig.settings.dir, 0, new Date());
    for (let i = 0; i < 40; i++) {
      await rig.service.invoke('addRecords', ADMIN, { zone: ZONE, name: `r${i}.${ZONE}`, type: 'A', ttl: 300, records: ['192.0.2.1'] });
    }
    const files = changeLogFiles(rig.settings.journalDir);
    assert.equal(files.length, 3);
    assert.ok(/changes-0000(0[4-9]|[1-9]\d)\.jsonl$/.test(files[0]!), `oldest files deleted: ${files.join(' ')}`);
    // The early snapshot predates the oldest file kept: replaying onto it must stop, not guess.
    const copy = openStore(early.path);
    try {
      assert.throws(() => replayChanges(copy, { files, now: new Date(), requestedBy: 'test' }),
        (err: unknown) => err instanceof OpsError && err.code === 'FAILED_PRECONDITION' && /changes in between are missing/.test(err.message));
    } finally {
      copy.close();
    }
  } finally {
    await rig.close();
  }
});

test('a last line cut short by a crash is dropped on open and reported by the reader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-log-'));
  try {
    const log = new ChangeLogFile(dir, { maxFileBytes: 1 << 20, keepFiles: 0 });
    log.append([`${JSON.stringify({ v: 1, kind: 'restore', time: 't', file: 'f', zones: {} })}\n`]);
    log.close();
    const file = changeLogFiles(dir)[0]!;
    appendFileSync(file, '{"v":1,"kind":"chan');
    assert.equal(readChangeLog([file]).torn, 'changes-000001.jsonl:2');
    assert.equal(readChangeLog([file]).lines.length, 1);
    new ChangeLogFile(dir, { maxFileBytes: 1 << 20, keepFiles: 0 }).close();
    assert.ok(readFileSync(file, 'utf8').endsWith('}\n'), 'the torn line is gone');
    writeFileSync(file, 'not json\n{}\n');
    assert.throws(() => readChangeLog([file]), /changes-000001\.jsonl:1: not a JSON line/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('write then sync: lines are in the file at once and on disk when sync resolves; unwrite takes back only the last write', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-log-'));
  const line = (n: number): string => `${JSON.stringify({ v: 1, kind: 'restore', time: `t${n}`, file: 'f', zones: {} })}\n`;
  try {
    const log = new ChangeLogFile(dir, { maxFileBytes: 1 << 20, keepFiles: 0 });
    log.write([line(1)]);
    const first = log.sync();
    const mark = log.write([line(2), line(3)]);
    // Two callers waiting at once share the fsyncs; both resolve.
    await Promise.all([first, log.sync()]);
    assert.deepEqual(readChangeLog(changeLogFiles(dir)).lines.map((l) => l.entry.time), ['t1', 't2', 't3']);
    log.unwrite(mark);
    log.write([line(4)]);
    await log.sync();
    log.close();
    const { lines, torn } = readChangeLog(changeLogFiles(dir));
    assert.equal(torn, null);
    assert.deepEqual(lines.map((l) => l.entry.time), ['t1', 't4'], 'the unwritten lines are gone, the next write follows the first');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a write whose COMMIT fails leaves no line in the change log; the next change follows on', async () => {
  const rig = open();
  try {
    await rig.service.invoke('createZone', ADMIN, { zone: ZONE, nameservers: ['ns1.example.net.'] });
    const zoneId = rig.store.zoneHeader(ZONE)!.id;
    const serial = rig.store.zoneHeader(ZONE)!.serial;
    const before = logLines(rig.settings).length;
    // A journal row (captured, so staged to the log before COMMIT) and a record of no zone: with
    // foreign keys deferred, the COMMIT itself fails and rolls everything back.
    assert.throws(() => rig.store.write((tx) => {
      rig.store.connection.pragma('defer_foreign_keys = ON');
      tx.insertJournal(zoneId, serial, serial + 1, new Date().toISOString(), 'test', { deleted: [], added: [] });
      tx.insertRecord(999_999, `x.${ZONE}`, 1, 300, new Uint8Array([192, 0, 2, 1]));
    }), /FOREIGN KEY/);
    await rig.store.copied();
    assert.equal(logLines(rig.settings).length, before, 'the staged line is taken back');
    const r = await rig.service.invoke('addRecords', ADMIN, { zone: ZONE, name: `a.${ZONE}`, type: 'A', ttl: 300, records: ['192.0.2.1'] });
    const lines = logLines(rig.settings);
    assert.equal(lines.length, before + 1);
    assert.equal(lines.at(-1)!['serial_before'], serial);
    assert.equal(lines.at(-1)!['serial_after'], r.serialAfter);
  } finally {
    await rig.close();
  }
});

test('the last batch written ahead of a COMMIT that never happened (the process died) is cut when the log is opened; older ones the database lacks are not', async () => {
  const rig = open();
  const reopen = (): OpsRuntime => startOps({ store: rig.store, zones: rig.zones, layout: backupLayout(rig.store.path, rig.settings), log: quiet, now: () => new Date() });
  const serials = (): (number | null)[] => readChangeLog(changeLogFiles(rig.settings.journalDir)).lines.map((l) => (l.entry.kind === 'change' ? l.entry.serialAfter : null));
  try {
    await rig.service.invoke('createZone', ADMIN, { zone: ZONE, nameservers: ['ns1.example.net.'] });
    const r = await rig.service.invoke('addRecords', ADMIN, { zone: ZONE, name: `a.${ZONE}`, type: 'A', ttl: 300, records: ['192.0.2.1'] });
    await rig.ops.close();
    // As a process killed between the log's write and its COMMIT leaves it: the last batch (one time) is in the log only.
    const file = changeLogFiles(rig.settings.journalDir).at(-1)!;
    const last = JSON.parse(readFileSync(file, 'utf8').trimEnd().split('\n').at(-1)!) as Record<string, unknown>;
    const orphan = (n: number, time: string): string =>
      `${JSON.stringify({ ...last, serial_before: r.serialAfter + n - 1, serial_after: r.serialAfter + n, time })}\n`;
    appendFileSync(file, orphan(1, '2099-01-01T00:00:00.000Z') + orphan(2, '2099-01-01T00:00:00.000Z'));
    appendFileSync(file, '{"v":1,"kind":"chan');
    const ops = reopen();
    await ops.close();
    assert.equal(readChangeLog(changeLogFiles(rig.settings.journalDir)).torn, null);
    assert.deepEqual(serials().slice(-1), [r.serialAfter], 'the log ends with the last change the database has');
    assert.equal(serials().length, 2);

    // Two batches the database lacks: it is not the database this log was written with; nothing is cut.
    appendFileSync(file, orphan(1, '2099-01-01T00:00:00.000Z') + orphan(2, '2099-01-01T00:00:01.000Z'));
    const again = reopen();
    await again.close();
    assert.deepEqual(serials().slice(-3), [r.serialAfter, r.serialAfter + 1, r.serialAfter + 2], 'lines of older batches stay');
  } finally {
    await rig.close();
  }
});

test('the server\'s own snapshot under 20 writes/s is sound; names never collide; old ones are pruned', async () => {
  const rig = open({ keep: 2 });
  try {
    await rig.service.invoke('createZone', ADMIN, { zone: ZONE, nameservers: ['ns1.example.net.'] });
    // Enough records that the backup takes several 100-page steps.
    await rig.service.invoke('applyChanges', ADMIN, {
      zone: ZONE, changes: Array.from({ length: 3000 }, (_, i) => ({ op: 'replace' as const, name: `bulk${i}.${ZONE}`, type: 'TXT', ttl: 300, records: [`"${'x'.repeat(200)}"`] })),
    });
    let stop = false;
    let writes = 0;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        await rig.service.invoke('addRecords', ADMIN, { zone: ZONE, name: `w${i}.${ZONE}`, type: 'A', ttl: 300, records: ['192.0.2.7'] });
        writes++;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const results = [];
    try {
      for (let n = 0; n < 3; n++) results.push(await rig.ops.snapshot());
    } finally {
      stop = true;
      await writer;
    }
    for (const r of results) assert.deepEqual(r.problems, [], r.path);
    assert.ok(writes > 0);
    const kept = listSnapshots(rig.settings.dir).map((s) => s.path);
    assert.equal(kept.length, 2, 'keep = 2');
    assert.deepEqual(kept, results.slice(1).map((r) => r.path));
    assert.deepEqual(checkDatabase(kept[1]!).problems, []);
    // Two snapshots in the same second get distinct names.
    const fixed = new Date('2026-11-22T18:45:00Z');
    const a = await takeSnapshot(rig.store, rig.settings.dir, 0, fixed);
    const b = await takeSnapshot(rig.store, rig.settings.dir, 0, fixed);
    assert.match(a.path, /mcns-20261122-184500\.db$/);
    assert.match(b.path, /mcns-20261122-184500-1\.db$/);
  } finally {
    await rig.close();
  }
});

test('restore refuses a missing file, the database itself, a damaged file, a foreign database and a newer schema', async () => {
  const rig = open();
  try {
    const layout = backupLayout(rig.store.path, rig.settings);
    const refuse = (file: string, code: string, pattern: RegExp): void => {
      assert.throws(() => prepareRestore(file, layout, rig.dir), (err: unknown) => {
        assert.ok(err instanceof OpsError, String(err));
        assert.equal(err.code, code, err.message);
        assert.match(err.message, pattern);
        return true;
      });
    };
    refuse('nope.db', 'NOT_FOUND', /snapshot \S+nope\.db not found/);
    refuse(rig.store.path, 'INVALID', /is the database itself/);
    writeFileSync(join(rig.dir, 'text.db'), 'this is not sqlite at all, just some text that is long enough to look like a file'.repeat(100));
    refuse('text.db', 'CORRUPT', /snapshot \S+text\.db is corrupt/);
    const foreign = new Database(join(rig.dir, 'foreign.db'));
    foreign.exec('CREATE TABLE t (x)');
    foreign.close();
    refuse('foreign.db', 'INVALID', /foreign\.db is not an mcns database/);
    const good = await takeSnapshot(rig.store, rig.settings.dir, 0, new Date());
    const newer = new Database(good.path);
    newer.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'now')").run();
    newer.close();
    refuse(good.path, 'SCHEMA_TOO_NEW', /schema version 99/);
  } finally {
    await rig.close();
  }
});

test('replay refuses a change log that does not belong to the database and leaves the zone as it was', async () => {
  const rig = open();
  const other = open();
  try {
    for (const r of [rig, other]) await r.service.invoke('createZone', ADMIN, { zone: ZONE, nameservers: ['ns1.example.net.'] });
    await other.service.invoke('addRecords', ADMIN, { zone: ZONE, name: `a.${ZONE}`, type: 'A', ttl: 300, records: ['192.0.2.1'] });
    // Same serials, different records: the other server's log.
    await rig.service.invoke('addRecords', ADMIN, { zone: ZONE, name: `b.${ZONE}`, type: 'A', ttl: 300, records: ['192.0.2.2'] });
    const files = changeLogFiles(other.settings.journalDir);
    await rig.service.invoke('deleteZone', ADMIN, { zone: ZONE });
    // The other log starts with the zone's creation: on rig (zone absent) it creates it, then applies a.
    const result = replayChanges(rig.store, { files, now: new Date(), requestedBy: 'test' });
    assert.equal(result.replayed[0]!.changes, 2);
    // Replaying the same log again finds the zone current.
    assert.deepEqual(replayChanges(rig.store, { files, now: new Date(), requestedBy: 'test' }).upToDate, [ZONE]);
    // A hand-edited log whose deletion does not match the records is refused, the zone untouched.
    const lines = readFileSync(files[0]!, 'utf8').split('\n').filter((l) => l !== '');
    const bad = JSON.parse(lines[1]!) as Record<string, unknown>;
    const serialNow = (await rig.service.invoke('getZone', ADMIN, { zone: ZONE })).serial;
    Object.assign(bad, {
      serial_before: serialNow, serial_after: serialNow + 1, time: 'later',
      changeset: { deleted: [[`nothere.${ZONE}`, 1, 300, 'wAACAQ==']], added: [] },
    });
    const badFile = join(rig.dir, 'bad.jsonl');
    writeFileSync(badFile, `${lines.join('\n')}\n${JSON.stringify(bad)}\n`);
    const before = rig.store.loadZoneRecords(rig.store.listZoneHeaders()[0]!.id).length;
    assert.throws(() => replayChanges(rig.store, { files: [badFile], now: new Date(), requestedBy: 'test' }),
      (err: unknown) => err instanceof OpsError && err.code === 'FAILED_PRECONDITION' && /bad\.jsonl:\d+ does not apply: nothere\.ops\.example\. 300 A record is not in zone/.test(err.message));
    assert.equal(rig.store.listZoneHeaders()[0]!.serial, serialNow);
    assert.equal(rig.store.loadZoneRecords(rig.store.listZoneHeaders()[0]!.id).length, before);
  } finally {
    await rig.close();
    await other.close();
  }
});
